/**
 * clean() against a reference: the straightforward walk it replaced (a Set of the objects being read for
 * cycles, unproxy at every node, `Object.create(null)` copies). Same value (prototypes included: objects
 * come out with a null prototype), same secrets and secret values in the same order, on hostile input,
 * on inputs built with cycles, shared objects, proxies and getters, and on every fixture. Fixed seed,
 * bounded runs.
 */
import assert from "assert/strict";
import fc from "fast-check";
import { Invalid, SECRET_SIG, SIG_KEY, UNKNOWN } from "stride-guard/lib/kernel/values";
import { clean, Cleaned, unproxy } from "stride-guard/lib/kernel/clean";
import { hostileInProcess, mutated, seeds } from "./hostile";
import { secret } from "../support/run-control";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);
const SEED = Number(process.env.PROPERTY_SEED ?? 20261126);

const SENTINELS = new Set([
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const SENSITIVE_KEY = /pass|secret|token|key|cred|auth|cert|private|sign|session|cookie|salt|seed/i;

/** The reference: clean() as it was written before it was optimized. */
function reference(input: unknown): Cleaned {
    const secrets: string[] = [];
    const secretValues: string[] = [];
    const seen = new Set<object>();
    const remembers = (mode: number, key: string, length: number) => mode === 1 || SENSITIVE_KEY.test(key) || length >= 12;
    const ctorName = (o: object) => {
        const ctor = (o as { constructor?: { name?: unknown } }).constructor;
        return typeof ctor === "function" ? ctor.name : undefined;
    };
    const asset = (rec: Record<string, unknown>, isSecret: boolean): unknown => {
        const text = unproxy(rec["text"]);
        if (typeof text === "string") {
            if (SENTINELS.has(text)) return UNKNOWN;
            if (isSecret) secrets.push(text);
            return text;
        }
        return new Invalid("string asset", "a file or remote asset");
    };
    const walk = (raw: unknown, depth: number, mode: number, key: string): unknown => {
        const v = unproxy(raw);
        if (v === null || v === undefined) return v;
        switch (typeof v) {
            case "string":
                if (SENTINELS.has(v)) return UNKNOWN;
                if (mode !== 0 && v.length > 0) {
                    secretValues.push(v);
                    if (remembers(mode, key, v.length)) secrets.push(v);
                }
                return v;
            case "number":
            case "bigint":
                if (mode !== 0 && remembers(mode, key, 0)) secrets.push(String(v));
                return typeof v === "bigint" ? Number(v) : v;
            case "boolean":
                return v;
            case "object":
                break;
            default:
                return new Invalid("data", typeof v);
        }
        if (v instanceof Invalid) return v;
        const obj = v as object;
        if (depth > 64 || seen.has(obj)) return new Invalid("data", "a structure nested too deeply");
        seen.add(obj);
        const inner = mode === 0 ? 0 : 2;
        try {
            if (Array.isArray(obj)) {
                const out: unknown[] = new Array(obj.length);
                for (let i = 0; i < obj.length; i++) out[i] = walk(obj[i], depth + 1, inner, key);
                return out;
            }
            if (ctorName(obj) === "Secret" && Object.prototype.hasOwnProperty.call(obj, "value"))
                return walk((obj as { value: unknown }).value, depth + 1, 1, key);
            const rec = obj as Record<string, unknown>;
            const sig = rec[SIG_KEY];
            if (sig === SECRET_SIG) return walk(rec["value"], depth + 1, 1, key);
            if (sig === ASSET_SIG) return asset(rec, mode !== 0);
            if (sig === OUTPUT_VALUE_SIG) {
                if (!Object.prototype.hasOwnProperty.call(rec, "value")) return UNKNOWN;
                return walk(rec["value"], depth + 1, rec["secret"] === true ? 1 : mode, key);
            }
            if (typeof (obj as { text?: unknown }).text === "string" && ctorName(obj) === "StringAsset") return asset(rec, mode !== 0);
            const out: Record<string, unknown> = Object.create(null);
            for (const k of Object.keys(rec)) out[k] = walk(rec[k], depth + 1, inner, k);
            return out;
        } catch {
            return new Invalid("data", "an unreadable value");
        } finally {
            seen.delete(obj);
        }
    };
    const value = walk(input, 0, 0, "");
    return { value, secrets, secretValues };
}

function same(input: unknown): void {
    const got = clean(input);
    const want = reference(input);
    assert.deepStrictEqual(got.value, want.value);
    assert.deepStrictEqual(got.secrets, want.secrets);
    assert.deepStrictEqual(got.secretValues, want.secretValues);
}

/** @pulumi/policy's proxy, as far as clean() can tell. */
function policyProxy(target: object): object {
    return new Proxy(target, {
        get: (o, p) => (p === "__isSpecialProxy" ? true : p === "__getSpecialProxyTarget" ? o : (o as Record<string | symbol, unknown>)[p]),
    });
}

class Secret {
    constructor(readonly value: unknown) {}
}
class StringAsset {
    constructor(readonly text: string) {}
}

/** Rebuilds a value with in-process shapes sprinkled in: proxies, Secret and StringAsset objects, sharing and cycles. */
function decorate(v: unknown, pick: number, depth = 0): unknown {
    if (v === null || typeof v !== "object" || depth > 30) return v;
    const kids = Array.isArray(v)
        ? v.map((x, i) => decorate(x, pick + i + 1, depth + 1))
        : Object.fromEntries(Object.entries(v).map(([k, x], i) => [k, decorate(x, pick + i + 1, depth + 1)]));
    switch (pick % 7) {
        case 0:
            return policyProxy(kids as object);
        case 1:
            return new Secret(kids);
        case 2: {
            // the same object twice, side by side (not a cycle)
            return Array.isArray(kids) ? [...kids, kids] : { ...kids, again: kids };
        }
        case 3: {
            // a cycle back to this node, one or two levels down
            const node = kids as Record<string, unknown>;
            if (Array.isArray(node)) node.push([node]);
            else node.loop = { back: node };
            return node;
        }
        case 4:
            return Array.isArray(kids) ? kids : { ...kids, asset: new StringAsset("file content, long enough to be kept") };
        default:
            return kids;
    }
}

describe("property: clean", function () {
    this.timeout(120_000);

    it("matches the reference on hostile input", () => {
        fc.assert(
            fc.property(mutated(hostileInProcess()), (r) => same(r.props)),
            { seed: SEED, numRuns: RUNS * 2 },
        );
    });

    it("matches the reference with proxies, Secret objects, string assets, shared objects and cycles", () => {
        fc.assert(
            fc.property(mutated(hostileInProcess()), fc.nat(), (r, pick) => same(decorate(r.props, pick))),
            { seed: SEED, numRuns: RUNS },
        );
    });

    it("matches the reference on every fixture, as is and all secret", () => {
        for (const r of seeds()) {
            same(r.props);
            same(secret(r.props));
        }
    });

    it("gives objects a null prototype at every depth, and keeps own __proto__ keys as data", () => {
        const v = clean(JSON.parse('{"a": {"b": [{"__proto__": {"x": 1}}]}}')).value as { a: { b: Record<string, unknown>[] } };
        assert.equal(Object.getPrototypeOf(v), null);
        assert.equal(Object.getPrototypeOf(v.a), null);
        assert.equal(Object.getPrototypeOf(v.a.b[0]), null);
        assert.deepEqual(Object.keys(v.a.b[0]), ["__proto__"]);
        assert.equal(Object.getPrototypeOf(v.a.b[0]["__proto__"]), null);
    });

    it("cuts a cycle where it closes, at any distance, and reads an object again once it is left", () => {
        const a: Record<string, unknown> = { name: "a" };
        const b: Record<string, unknown> = { name: "b", up: a };
        a.down = [b, b];
        const v = clean({ first: a, second: a }).value as Record<string, { down: { up: unknown; name: string }[] }>;
        for (const top of [v.first, v.second]) {
            assert.equal(top.down[0].name, "b");
            assert.ok(top.down[0].up instanceof Invalid);
            assert.ok(top.down[1].up instanceof Invalid);
        }
        const nested = policyProxy({ inner: policyProxy({ privileged: true }) });
        assert.deepEqual(JSON.parse(JSON.stringify(clean({ spec: nested }).value)), { spec: { inner: { privileged: true } } });
    });
});
