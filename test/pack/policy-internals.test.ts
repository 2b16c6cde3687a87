/**
 * What stride-guard relies on inside @pulumi/policy beyond its public API (kernel/policy-internals.ts). Each check
 * fails loudly when an upgrade of @pulumi/policy changes one of them, instead of the pack silently falling back.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROXY_FLAG, PROXY_TARGET, requestKey, unknownValueError } from "stride-guard/lib/kernel/policy-internals";
import { UNKNOWN } from "stride-guard/lib/kernel/values";
import { clean } from "stride-guard/lib/kernel/clean";
import { UNKNOWN_SENTINELS } from "stride-guard/lib/kernel/wire";

const fromPack = { paths: [path.dirname(require.resolve("stride-guard/package.json"))] };
const proxy = require(require.resolve("@pulumi/policy/proxy", fromPack)) as Record<string, unknown>;
const analyzerproto = require("@pulumi/pulumi/proto/analyzer_pb");

describe("@pulumi/policy internals stride-guard relies on", () => {
    it("the proxies' marker keys are the ones clean() unwraps", () => {
        assert.equal(proxy.isSpecialProxy, PROXY_FLAG);
        assert.equal(proxy.getSpecialProxyTarget, PROXY_TARGET);
        const wrap = proxy.unknownCheckingProxy as (o: unknown) => unknown;
        assert.equal(typeof wrap, "function");
        const props = wrap({ a: { b: UNKNOWN_SENTINELS.string, c: "x" } });
        const a = (clean(props).value as { a: { b: unknown; c: unknown } }).a;
        assert.equal(a.b, UNKNOWN);
        assert.equal(a.c, "x");
    });

    it("UnknownValueError is exported and built from a sentinel and the paths", () => {
        const e = unknownValueError(UNKNOWN_SENTINELS.string, ["spec.replicas", "metadata.name"]);
        assert.ok(e instanceof (proxy.UnknownValueError as new () => Error));
        assert.deepEqual((e as unknown as { props: string[] }).props, ["spec.replicas, .metadata.name"]);
        assert.match(e.message, /spec\.replicas, \.metadata\.name/);
    });

    it("the server gives each policy the request's own ignoreChanges array: one per request, the same for every policy", () => {
        const server = fs.readFileSync(require.resolve("@pulumi/policy/server", fromPack), "utf8");
        assert.match(server, /ignoreChanges: opts\.getIgnorechangesList\(\)/);
        const a = new analyzerproto.AnalyzerResourceOptions();
        const b = new analyzerproto.AnalyzerResourceOptions();
        const key = requestKey({ opts: { ignoreChanges: a.getIgnorechangesList() } });
        assert.ok(key !== undefined);
        assert.equal(requestKey({ opts: { ignoreChanges: a.getIgnorechangesList() } }), key);
        assert.notEqual(requestKey({ opts: { ignoreChanges: b.getIgnorechangesList() } }), key);
        assert.equal(requestKey({}), undefined, "without the array, nothing is shared");
    });

    it("deserializeProperties is a replaceable export of two parameters", () => {
        const module = require(require.resolve("@pulumi/policy/deserialize", fromPack)) as { deserializeProperties: unknown };
        assert.equal(typeof module.deserializeProperties, "function");
        assert.equal((module.deserializeProperties as (...a: unknown[]) => unknown).length, 2);
        assert.ok(Object.getOwnPropertyDescriptor(module, "deserializeProperties")?.writable);
    });
});
