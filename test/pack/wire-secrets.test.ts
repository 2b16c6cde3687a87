/**
 * The engine sends Analyze and AnalyzeStack properties with secrets kept (`KeepSecrets: true` in pulumi's
 * analyzer plugin), and @pulumi/policy unwraps them before a policy runs. The pack records which values arrived
 * secret, so that it judges a Kubernetes Secret's data and a provider's kubeconfig as in-process runs do — same
 * control, same message — and redacts those values. Driven over gRPC with the wire exactly as the engine sends
 * it (secret signature objects kept), in every deserialization mode the pack can run in.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { analyze } from "stride-guard/lib/engine/analyze";
import type { CapturedResource } from "stride-guard/lib/runner/types";
import { PolicyPackClient } from "../harness";
import { kubeconfigYaml } from "../support/kubernetes-cluster-fixtures";
import { secret } from "../support/run-control";

const PACK_DIR = path.resolve(__dirname, "../../../policypack");
const STACK = "urn:pulumi:dev::wire::pulumi:pulumi:Stack::wire-dev";
const PROVIDER = "urn:pulumi:dev::wire::pulumi:providers:kubernetes::default";

/** A pack like the shipped one, with the given sharing mode (none: @pulumi/policy's own deserialization per policy). */
function packWith(mode: "none" | "wire" | "parsed"): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sg-wire-${mode}-`));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: `wire-${mode}`, version: "1.0.0", main: "index.js" }));
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    const lib = (m: string) => JSON.stringify(require.resolve(`stride-guard/lib/${m}`));
    fs.writeFileSync(
        path.join(dir, "index.js"),
        `const { PolicyPack } = require(${JSON.stringify(require.resolve("@pulumi/policy"))});
const { shareDeserialization } = require(${lib("kernel/policy-internals")});
const { PACK_NAME, policyPackArgs } = require(${lib("pack")});
${mode === "none" ? "" : `shareDeserialization(${JSON.stringify(mode)});`}
new PolicyPack(PACK_NAME, policyPackArgs());`,
    );
    return dir;
}

function resource(type: string, name: string, props: Record<string, unknown>): CapturedResource {
    const urn = `urn:pulumi:dev::wire::${type}::${name}`;
    return {
        type,
        name,
        urn,
        props,
        custom: true,
        parent: STACK,
        dependencies: [],
        propertyDependencies: {},
        options: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [] },
        kind: "register",
        ...(type.startsWith("pulumi:providers:")
            ? {}
            : { provider: { type: "pulumi:providers:kubernetes", name: "default", urn: PROVIDER, props: { kubeconfig: "/home/ci/.kube/config" } } }),
    };
}

const PLAIN_PW = "plain-planted-pw-Q7";
const WRAPPED_PW = "wrapped-planted-pw-K3";
const TOKEN = "planted-kube-token-Zr81";

const secretObject = (name: string, data: Record<string, unknown> | ReturnType<typeof secret>) =>
    resource("kubernetes:core/v1:Secret", name, { apiVersion: "v1", kind: "Secret", metadata: { name, namespace: "shop" }, stringData: data });

const RESOURCES = {
    plain: secretObject("plain", { password: PLAIN_PW }),
    wrappedValue: secretObject("wrapped-value", { password: secret(WRAPPED_PW) }),
    wrappedMap: secretObject("wrapped-map", secret({ password: WRAPPED_PW })),
    plainKubeconfig: resource("pulumi:providers:kubernetes", "plain-kc", { kubeconfig: kubeconfigYaml({ user: { token: TOKEN } }) }),
    wrappedKubeconfig: resource("pulumi:providers:kubernetes", "wrapped-kc", { kubeconfig: secret(kubeconfigYaml({ user: { token: TOKEN } })) }),
};

/** What the in-process engine says about one resource, for one control. */
function inProcess(r: CapturedResource, control: string): string[] {
    const report = analyze("t", [{ type: r.type, name: r.name, urn: r.urn, props: r.props }], CONTROLS);
    return report.findings.filter((f) => f.control === control).map((f) => f.message);
}

const lastLine = (m: string) => m.split("\n").pop() as string;

for (const [label, dir] of [
    ["the shipped pack (parsed)", () => PACK_DIR],
    ["a pack sharing the wire", () => packWith("wire")],
    ["a pack without shared deserialization", () => packWith("none")],
] as const) {
    describe(`pack: values that arrived as Pulumi secrets are judged and redacted — ${label}`, function () {
        this.timeout(120_000);
        let client: PolicyPackClient;
        before(async () => {
            client = await PolicyPackClient.start(dir(), { project: "wire", stack: "dev", dryRun: true });
        });
        after(async () => client?.close());

        it("Analyze: a plaintext Secret is reported as in-process, a secret-wrapped one (value or whole map) is not", async () => {
            const control = "kubernetes-secret-data-pulumi-secret";
            const plain = (await client.analyze(RESOURCES.plain)).filter((d) => d.policyName === control).map((d) => lastLine(d.message));
            assert.deepEqual(plain, inProcess(RESOURCES.plain, control));
            assert.equal(plain.length, 1);
            assert.match(plain[0], /^Secret "shop\/plain": stringData: holds 1 value\(s\) that are not Pulumi secrets \(keys "password"\)/);
            for (const r of [RESOURCES.wrappedValue, RESOURCES.wrappedMap]) {
                const ds = await client.analyze(r);
                assert.deepEqual(
                    ds.filter((d) => d.policyName === control),
                    [],
                    r.name,
                );
                assert.ok(!JSON.stringify(ds).includes(WRAPPED_PW));
            }
        });

        it("Analyze: a kubeconfig with credentials that is not a Pulumi secret is reported as in-process; a secret one is not", async () => {
            const control = "kubernetes-provider-kubeconfig";
            const plain = (await client.analyze(RESOURCES.plainKubeconfig)).filter((d) => d.policyName === control).map((d) => lastLine(d.message));
            assert.deepEqual(plain, inProcess(RESOURCES.plainKubeconfig, control));
            assert.ok(
                plain.some((m) => /kubeconfig: is not a Pulumi secret but embeds credentials/.test(m)),
                plain.join("\n"),
            );
            const wrapped = await client.analyze(RESOURCES.wrappedKubeconfig);
            assert.deepEqual(
                wrapped.filter((d) => d.policyName === control),
                [],
            );
            assert.ok(![...plain, JSON.stringify(wrapped)].some((m) => m.includes(TOKEN)));
        });

        it("AnalyzeStack: the stack's secrets are known too — a secret namespace is redacted from stack findings, a plain one shown", async () => {
            const deployment = (name: string, namespace: unknown) =>
                resource("kubernetes:apps/v1:Deployment", name, {
                    apiVersion: "apps/v1",
                    kind: "Deployment",
                    metadata: { name, namespace },
                    spec: {
                        selector: { matchLabels: { app: name } },
                        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image: "i" }] } },
                    },
                });
            const ds = await client.analyzeStack([
                deployment("api", secret("zz-secret-namespace-zz")),
                deployment("web", "storefront"),
                RESOURCES.plain,
                RESOURCES.wrappedMap,
            ]);
            const deny = ds.filter((d) => d.policyName === "kubernetes-network-default-deny").map((d) => lastLine(d.message));
            assert.ok(
                deny.some((m) => m.startsWith('namespace "[secret]": runs Deployment "[secret]/api"')),
                deny.join("\n"),
            );
            assert.ok(deny.some((m) => m.startsWith('namespace "storefront": runs Deployment "storefront/web"')));
            const all = JSON.stringify(ds);
            for (const s of ["zz-secret-namespace-zz", WRAPPED_PW]) assert.ok(!all.includes(s), s);
        });
    });
}
