import assert from "assert/strict";
import { at, atPath, field, Invalid, isObj, UNKNOWN } from "stride-guard/lib/kernel/values";
import { clean } from "stride-guard/lib/kernel/clean";
import { UNKNOWN_STRING } from "../support/run-control";

/** What field promises, written the plain way: own keys of objects only; unknown and malformed parents propagate. */
function referenceField(parent: unknown, key: string): unknown {
    if (parent === UNKNOWN || parent instanceof Invalid) return parent;
    if (!isObj(parent)) return undefined;
    return Object.prototype.hasOwnProperty.call(parent, key) ? parent[key] : undefined;
}

function referenceAt(root: unknown, path: string): unknown {
    let cur = root;
    for (const key of path.split(".")) {
        cur = referenceField(cur, key);
        if (cur === undefined || cur === UNKNOWN || cur instanceof Invalid) return cur;
    }
    return cur;
}

/** Parents of every shape an adapter meets: cleaned (no prototype), plain, class instances, arrays, markers, scalars. */
function parents(): unknown[] {
    const cleaned = clean({ a: 1, b: { c: "x" }, constructor: "own", u: UNKNOWN_STRING, n: null }).value;
    const inherited = Object.create({ a: "inherited" }) as Record<string, unknown>;
    inherited.own = 2;
    const withProtoKey = JSON.parse('{"__proto__": {"a": 1}, "b": 2}') as unknown;
    return [
        cleaned,
        { a: 1, b: { c: "x" }, constructor: undefined },
        inherited,
        withProtoKey,
        new Invalid("an object", "a number"),
        UNKNOWN,
        [1, 2],
        Object.assign([1], { a: 3 }),
        "abc",
        7,
        true,
        null,
        undefined,
        new Map([["a", 1]]),
        clean({ nested: { deeper: { leaf: 5 } } }).value,
    ];
}

const KEYS = ["a", "b", "c", "own", "constructor", "__proto__", "toString", "hasOwnProperty", "u", "n", "length", "0", "nested", "missing"];

describe("core/values field, at, atPath", () => {
    it("field reads exactly what the plain own-key read gives, for every parent shape and key", () => {
        for (const p of parents()) {
            for (const k of KEYS) assert.equal(field(p, k), referenceField(p, k), `${String(k)} of ${typeof p}`);
        }
    });

    it("atPath and at read exactly what the plain path walk gives", () => {
        const paths = ["a", "b.c", "b.c.d", "nested.deeper.leaf", "nested.deeper", "u.x", "n.x", "constructor.name", "missing.x", "__proto__.a"];
        for (const p of parents()) {
            for (const path of paths) {
                assert.equal(atPath(p, path.split(".")), referenceAt(p, path), `${path} of ${typeof p}`);
                assert.equal(at(p, path), referenceAt(p, path), `${path} of ${typeof p}`);
            }
        }
        const bad = new Invalid("an object", "a string");
        assert.equal(atPath({ a: bad }, ["a", "b", "c"]), bad);
        assert.equal(atPath(clean({ a: { b: UNKNOWN_STRING } }).value, ["a", "b", "c"]), UNKNOWN);
    });
});
