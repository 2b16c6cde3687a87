import assert from "assert/strict";
import { get, getPath } from "stride-guard/lib/adapters/read";
import { at, clean, field, Invalid, UNKNOWN } from "stride-guard/lib/core/values";
import { UNKNOWN_STRING } from "../support/run-control";

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

describe("adapters/read", () => {
    it("get reads exactly what field reads, for every parent shape and key", () => {
        for (const p of parents()) {
            for (const k of KEYS) assert.equal(get(p, k), field(p, k), `${String(k)} of ${typeof p}`);
        }
    });

    it("getPath reads exactly what at reads", () => {
        const paths = ["a", "b.c", "b.c.d", "nested.deeper.leaf", "nested.deeper", "u.x", "n.x", "constructor.name", "missing.x", "__proto__.a"];
        for (const p of parents()) {
            for (const path of paths) assert.equal(getPath(p, path.split(".")), at(p, path), `${path} of ${typeof p}`);
        }
        const bad = new Invalid("an object", "a string");
        assert.equal(getPath({ a: bad }, ["a", "b", "c"]), bad);
        assert.equal(getPath(clean({ a: { b: UNKNOWN_STRING } }).value, ["a", "b", "c"]), UNKNOWN);
    });
});
