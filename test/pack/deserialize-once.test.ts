/**
 * shareDeserialization: @pulumi/policy's own Analyze/AnalyzeStack/Remediate functions, called in-process with
 * engine-shaped requests, answer exactly as without it — for every planted stack, with every stride-guard
 * policy — while converting each request's properties once.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { deserializationSharing, recordsWireSecrets, shareDeserialization, Sharing } from "stride-guard/lib/kernel/policy-internals";
import type { StackResourceInput } from "stride-guard/lib/contract/stack";
import { policyPackArgs } from "stride-guard/lib/pack";
import { toStruct } from "../harness/marshal";
import { secret } from "../support/run-control";
import { hardenedStack, PLANTED, plantedStack } from "./planted";

const analyzerproto = require("@pulumi/pulumi/proto/analyzer_pb");
const server = require(require.resolve("@pulumi/policy/server", { paths: [path.dirname(require.resolve("stride-guard/package.json"))] }));

/** Wire-form props here; otherwise the stack controls' view of a resource. */
type Resource = Omit<StackResourceInput, "provider">;

type Policy = { name: string; enforcementLevel: string; validateResource?: unknown; validateStack?: unknown; remediateResource?: unknown };

function options(): unknown {
    const o = new analyzerproto.AnalyzerResourceOptions();
    o.setCustomtimeouts(new analyzerproto.AnalyzerResourceOptions.CustomTimeouts());
    return o;
}

function analyzeRequest(r: Resource, withProvider = false): unknown {
    const req = new analyzerproto.AnalyzeRequest();
    req.setType(r.type);
    req.setName(r.name);
    req.setUrn(r.urn);
    req.setProperties(toStruct(r.props as Record<string, unknown>, { skipInternalKeys: true }));
    req.setOptions(options());
    if (withProvider) {
        const p = new analyzerproto.AnalyzerProviderResource();
        p.setType("pulumi:providers:docker");
        p.setName("host");
        p.setUrn("urn:pulumi:test::stride-guard::pulumi:providers:docker::host");
        p.setProperties(toStruct({ host: "tcp://docker.example:2376", certMaterial: secret("-----BEGIN CERTIFICATE-----") }));
        req.setProvider(p);
    }
    return req;
}

function stackRequest(rs: readonly Resource[]): unknown {
    const req = new analyzerproto.AnalyzeStackRequest();
    req.setResourcesList(
        rs.map((r) => {
            const a = new analyzerproto.AnalyzerResource();
            a.setType(r.type);
            a.setName(r.name);
            a.setUrn(r.urn);
            a.setProperties(toStruct(r.props as Record<string, unknown>, { skipInternalKeys: true }));
            a.setOptions(options());
            if (r.parent) a.setParent(r.parent);
            a.setDependenciesList([...(r.dependencies ?? [])]);
            return a;
        }),
    );
    return req;
}

/** Calls one of @pulumi/policy's RPC functions the way grpc-js does. */
function rpc<T>(make: string, policies: readonly Policy[], request: unknown): Promise<T> {
    const fn = server[make]("stride-guard", "0.0.0", "advisory", policies);
    return new Promise((resolve, reject) => fn({ request }, (e: Error | undefined, r: T) => (e ? reject(e) : resolve(r))));
}

type Diagnostics = { getDiagnosticsList(): { toObject(): object }[] };
const diagnostics = (r: Diagnostics) => r.getDiagnosticsList().map((d) => d.toObject());

/** Every answer of the pack for a stack: Analyze (with a provider) and Remediate per resource, AnalyzeStack once. */
async function answers(policies: readonly Policy[], rs: readonly Resource[]): Promise<unknown[]> {
    const out: unknown[] = [];
    for (const r of rs) {
        out.push(diagnostics(await rpc<Diagnostics>("makeAnalyzeRpcFun", policies, analyzeRequest(r, true))));
        const fixed = await rpc<{ toObject(): object }>("makeRemediateRpcFun", policies, analyzeRequest(r));
        out.push(fixed.toObject());
    }
    out.push(diagnostics(await rpc<Diagnostics>("makeAnalyzeStackRpcFun", policies, stackRequest(rs))));
    return out;
}

/** Counts Struct → JavaScript conversions while `fn` runs (not the nested ones each conversion makes). */
async function conversions(fn: () => Promise<unknown>): Promise<number> {
    const Struct = require("google-protobuf/google/protobuf/struct_pb").Struct;
    const original = Struct.prototype.toJavaScript;
    let n = 0;
    let depth = 0;
    Struct.prototype.toJavaScript = function (this: unknown) {
        if (depth === 0) n++;
        depth++;
        try {
            return original.call(this);
        } finally {
            depth--;
        }
    };
    try {
        await fn();
    } finally {
        Struct.prototype.toJavaScript = original;
    }
    return n;
}

describe("shareDeserialization (one deserialization per request)", () => {
    let restore: (() => void) | undefined;
    afterEach(() => {
        restore?.();
        restore = undefined;
    });

    // Remediation on, so that Remediate runs every remediation.
    const policies = (policyPackArgs().policies as Policy[]).map((p) => ({ ...p, enforcementLevel: "remediate" }));
    const ids = Object.keys(PLANTED);

    for (const mode of ["wire", "parsed"] as Sharing[]) {
        it(`"${mode}": every planted stack gets the same diagnostics and remediations as without it`, async function () {
            this.timeout(120000);
            for (const id of ["(hardened)", ...ids]) {
                const stack = id === "(hardened)" ? hardenedStack() : plantedStack(id);
                const without = await answers(policies, stack);
                restore = shareDeserialization(mode);
                assert.ok(restore, "this @pulumi/policy can be patched");
                const withIt = await answers(policies, stack);
                restore();
                restore = undefined;
                assert.deepEqual(withIt, without, id);
            }
        });
    }

    it("converts a request's properties once, not once per policy", async () => {
        const res = hardenedStack().find((r) => r.type === "docker:index/container:Container")!;
        const resourcePolicies = policies.filter((p) => p.validateResource);
        assert.ok(resourcePolicies.length > 20);
        const req = () => analyzeRequest(res, true);
        const before = await conversions(() => rpc("makeAnalyzeRpcFun", resourcePolicies, req()));
        // The properties and the provider's properties, for every policy that reads them.
        assert.ok(before >= 2 * resourcePolicies.length - 4, `${before} conversions without sharing`);
        restore = shareDeserialization("parsed");
        assert.equal(await conversions(() => rpc("makeAnalyzeRpcFun", resourcePolicies, req())), 2);
        shareDeserialization("wire");
        assert.equal(await conversions(() => rpc("makeAnalyzeRpcFun", resourcePolicies, req())), 2);
    });

    it('"wire" keeps each policy\'s properties its own; "parsed" hands every policy of a request one object', async () => {
        const seen: unknown[] = [];
        const target = (props: unknown) => (props as Record<string, unknown>)["__getSpecialProxyTarget"];
        const writer: Policy = {
            name: "writer",
            enforcementLevel: "advisory",
            validateResource: (args: { props: Record<string, unknown> }) => {
                seen.push(target(args.props), args.props.image);
                (target(args.props) as Record<string, unknown>).image = "rewritten";
            },
        };
        const reader: Policy = {
            name: "reader",
            enforcementLevel: "advisory",
            validateResource: (args: { props: Record<string, unknown> }) => void seen.push(target(args.props), args.props.image),
        };
        const req = analyzeRequest({ type: "docker:index/container:Container", name: "c", urn: "urn:c", props: { image: "nginx" } });

        restore = shareDeserialization("wire");
        await rpc("makeAnalyzeRpcFun", [writer, reader], req);
        assert.notEqual(seen[0], seen[2], "separate objects");
        assert.deepEqual([seen[1], seen[3]], ["nginx", "nginx"], "a policy's write is not seen by the next one");

        seen.length = 0;
        shareDeserialization("parsed");
        await rpc("makeAnalyzeRpcFun", [writer, reader], analyzeRequest({ type: "t", name: "c", urn: "urn:c", props: { image: "nginx" } }));
        assert.equal(seen[0], seen[2], "one object per request");
        // Why "parsed" is only for read-only policies: this is what a writing policy would do to the next.
        assert.deepEqual([seen[1], seen[3]], ["nginx", "rewritten"]);
        // Another request is another object.
        await rpc("makeAnalyzeRpcFun", [reader], analyzeRequest({ type: "t", name: "c", urn: "urn:c", props: { image: "nginx" } }));
        assert.notEqual(seen[4], seen[0]);
        assert.equal(seen[5], "nginx");
    });

    it("installing again changes the mode; restoring puts the original back", () => {
        const mod = require(require.resolve("@pulumi/policy/deserialize", { paths: [path.dirname(require.resolve("stride-guard/package.json"))] }));
        const wrapped = () => mod.deserializeProperties.name === "deserializePropertiesOnce";
        assert.equal(deserializationSharing(), undefined);
        restore = shareDeserialization("wire");
        assert.equal(deserializationSharing(), "wire");
        assert.ok(wrapped());
        assert.equal(shareDeserialization("parsed"), restore);
        assert.equal(deserializationSharing(), "parsed");
        restore!();
        restore = undefined;
        // The wrapper stays only while it records the wire's secrets for the pack (installed with its policies).
        assert.equal(wrapped(), recordsWireSecrets());
        assert.equal(deserializationSharing(), undefined);
    });

    it("leaves a @pulumi/policy it cannot patch alone", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sg-deser-"));
        try {
            const variants: Record<string, string> = {
                "missing.js": "exports.other = 1;",
                "readonly.js": "Object.defineProperty(exports, 'deserializeProperties', { value: (s, p) => ({}), writable: false });",
                "one-argument.js": "exports.deserializeProperties = (s) => ({});",
            };
            for (const [file, text] of Object.entries(variants)) {
                fs.writeFileSync(path.join(dir, file), text);
                assert.equal(shareDeserialization("parsed", path.join(dir, file)), undefined, file);
                assert.equal(deserializationSharing(), undefined, file);
            }
            assert.equal(shareDeserialization("parsed", path.join(dir, "no-such-module.js")), undefined);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
