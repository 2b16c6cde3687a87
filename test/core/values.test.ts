import assert from "assert/strict";
import { Invalid, isSettled, numish, show, str, strList, UNKNOWN } from "stride-guard/lib/kernel/values";
import { clean, unproxy } from "stride-guard/lib/kernel/clean";
import { redact } from "stride-guard/lib/kernel/redact";
import { secret, UNKNOWN_BOOL, UNKNOWN_STRING } from "../support/run-control";

describe("kernel/values", () => {
    it("turns unknown sentinels into UNKNOWN at any depth", () => {
        const c = clean({ a: UNKNOWN_STRING, b: [1, { c: UNKNOWN_BOOL }] });
        const v = c.value as { a: unknown; b: [number, { c: unknown }] };
        assert.equal(v.a, UNKNOWN);
        assert.equal(v.b[1].c, UNKNOWN);
    });

    it("unwraps wire secrets and @pulumi/policy Secret objects, remembering their values", () => {
        class Secret {
            constructor(readonly value: unknown) {}
        }
        const c = clean({ a: secret("hunter2"), b: new Secret({ n: 42 }), c: secret(7), plain: "visible" });
        const v = c.value as { a: unknown; b: { n: unknown } };
        assert.equal(v.a, "hunter2");
        assert.equal(v.b.n, 42);
        assert.deepEqual([...c.secrets].sort(), ["7", "hunter2"]);
    });

    it("inside a secret block, remembers credentials but not ports, users and short hosts", () => {
        // @pulumi/command wraps the whole connection for the one private key in it.
        const connection = secret({ host: "192.0.2.20", port: 22, user: "admin", dialErrorLimit: 10, privateKey: "-----BEGIN KEY-----abc", password: "pw" });
        const c = clean({ connection, note: secret(["a-long-opaque-token-value", "short"]) });
        assert.deepEqual([...c.secrets].sort(), ["-----BEGIN KEY-----abc", "a-long-opaque-token-value", "pw"]);
    });

    it("strips @pulumi/policy proxies without tripping their unknown checks", () => {
        const target = { privileged: UNKNOWN_BOOL };
        const proxy = new Proxy(target, {
            get(t, p) {
                if (p === "__isSpecialProxy") return true;
                if (p === "__getSpecialProxyTarget") return t;
                throw new Error(`unknown value read at ${String(p)}`);
            },
        });
        assert.equal(unproxy(proxy), target);
        assert.equal((clean(proxy).value as { privileged: unknown }).privileged, UNKNOWN);
    });

    it("does not mistake data that names the proxy keys for a proxy", () => {
        const hostile = { __isSpecialProxy: true, __getSpecialProxyTarget: { evil: 1 }, real: 2 };
        assert.equal(unproxy(hostile), hostile);
    });

    it("never lets __proto__ keys pollute prototypes", () => {
        const input = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
        const v = clean(input).value as Record<string, unknown>;
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
        assert.deepEqual(Object.keys(v).sort(), ["__proto__", "a"]);
    });

    it("marks cycles, functions and excessive depth as Invalid instead of throwing", () => {
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        assert.ok((clean(cyclic).value as { self: unknown }).self instanceof Invalid);
        assert.ok((clean({ f: () => 1 }).value as { f: unknown }).f instanceof Invalid);
        let deep: unknown = 1;
        for (let i = 0; i < 200; i++) deep = [deep];
        assert.doesNotThrow(() => clean(deep));
    });

    it("typed readers report wrong types as Invalid with what was expected", () => {
        const v = str(42);
        assert.ok(v instanceof Invalid);
        assert.equal((v as Invalid).expected, "a string");
        assert.equal(str(undefined), undefined);
        assert.equal(str(UNKNOWN), UNKNOWN);
        assert.ok(strList(["a", 1]) instanceof Invalid);
        assert.equal(strList(["a", UNKNOWN]), UNKNOWN);
        assert.equal(numish("512"), 512);
        assert.equal(isSettled(UNKNOWN), false);
        assert.equal(isSettled(undefined), true);
    });

    it("show() elides values that are not short identifiers", () => {
        assert.equal(show("on-failure"), '"on-failure"');
        assert.equal(show("-----BEGIN PRIVATE KEY----- abc"), "(a value)");
        assert.equal(show(undefined), "unset");
    });

    it("redact() removes every secret shown as a value, and leaves the words around it", () => {
        assert.equal(redact('token "hunter2" and "hunter2" (hunter2s)', ["hunter2"]), 'token "[secret]" and "[secret]" (hunter2s)');
    });
});
