import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import { PolicyPackClient, Diagnostic, previewWithPack, spawnPack, startFakeEngine } from ".";
import { isWireSecret, UNKNOWN, SECRET_SIG, SIG_KEY, CapturedResource } from "stride-guard/lib/runner/types";

// Tests run from dist/test/harness; the fixture pack (plain JS) lives in the source tree.
const MINI = path.resolve(__dirname, "../../../test/fixtures/packs/mini");

const of = (ds: Diagnostic[], policy: string) => ds.filter((d) => d.policyName === policy);

describe("harness: drive a policy pack like `pulumi preview --policy-pack`", function () {
    this.timeout(60000);
    let client: PolicyPackClient;
    before(async () => {
        client = await PolicyPackClient.start(MINI, { project: "shop", stack: "dev", config: { "shop:dbPassword": "tiny" } });
    });
    after(async () => {
        await client?.close();
    });

    it("reads analyzer info: policies, levels, severity, framework, tags, remediation steps, config schema", async () => {
        const info = await client.getAnalyzerInfo();
        assert.strictEqual(info.name, "mini");
        assert.strictEqual(info.version, "0.0.1");
        assert.ok(info.supportsConfig);
        assert.deepStrictEqual(
            info.policies.map((p) => p.name),
            ["mini-memory-limit", "mini-no-privileged", "mini-env-secrets", "mini-protect-volumes", "mini-stack-limit"],
        );
        const mem = info.policies[0];
        assert.strictEqual(mem.enforcementLevel, "mandatory");
        assert.strictEqual(mem.severity, "high");
        assert.strictEqual(mem.policyType, "resource");
        assert.deepStrictEqual(mem.framework, { name: "CIS Docker", version: "1.6.0", reference: "5.10", specification: "" });
        assert.deepStrictEqual(mem.tags, ["stride:denial-of-service"]);
        assert.strictEqual(mem.remediationSteps, "Set `memory` on the container.");
        assert.deepStrictEqual(mem.configSchema, {
            properties: { maxMemoryMb: { type: "integer", minimum: 1, default: 512 }, allowUnlimited: { type: "boolean", default: false } },
        });
        assert.strictEqual(info.policies[2].enforcementLevel, "advisory", "pack default level");
        assert.strictEqual(info.policies[4].policyType, "stack");
    });

    it("honours mandatory vs advisory levels and applies config defaults", async () => {
        const r = await previewWithPack({
            packDir: MINI,
            client,
            policyConfig: {},
            program: () => {
                new docker.Container("nolimit", { image: "busybox" });
                new docker.Container("big", { image: "busybox", memory: 600, privileged: true });
            },
        });
        assert.deepStrictEqual(
            of(r.diagnostics, "mini-memory-limit").map((d) => [d.urn.split("::").pop(), d.enforcementLevel, d.severity, d.message.split("\n").pop()]),
            [
                ["nolimit", "mandatory", "high", "container has no memory limit"],
                ["big", "mandatory", "high", "memory limit 600 MB exceeds 512 MB"],
            ],
        );
        const priv = of(r.diagnostics, "mini-no-privileged");
        assert.strictEqual(priv.length, 1);
        assert.strictEqual(priv[0].enforcementLevel, "advisory");
        assert.strictEqual(priv[0].severity, "critical");
        assert.strictEqual(priv[0].description, "Containers must not run privileged.");
        assert.ok(r.failed);
        assert.deepStrictEqual(r.config["mini-memory-limit"], { enforcementLevel: "mandatory", properties: { maxMemoryMb: 512, allowUnlimited: false } });
    });

    it("applies overridden config (properties and levels)", async () => {
        const r = await previewWithPack({
            packDir: MINI,
            client,
            policyConfig: { "mini-memory-limit": { maxMemoryMb: 1024, allowUnlimited: true }, "mini-no-privileged": "mandatory", all: "advisory" },
            program: () => {
                new docker.Container("nolimit", { image: "busybox" });
                new docker.Container("big", { image: "busybox", memory: 600, privileged: true });
            },
        });
        assert.deepStrictEqual(of(r.diagnostics, "mini-memory-limit"), []);
        assert.deepStrictEqual(
            of(r.diagnostics, "mini-no-privileged").map((d) => d.enforcementLevel),
            ["mandatory"],
        );
        const lvl = await client.configure({ "mini-memory-limit": "disabled" });
        assert.strictEqual(lvl["mini-memory-limit"].enforcementLevel, "disabled");
        const res = await capture(() => new docker.Container("c", { image: "busybox" }));
        assert.deepStrictEqual(of(await client.analyze(res), "mini-memory-limit"), [], "disabled policies do not run");
    });

    it("rejects invalid config with the CLI's message and does not configure the pack", async () => {
        await client.configure({ "mini-memory-limit": { maxMemoryMb: 2048 } });
        await assert.rejects(
            client.configure({ "mini-memory-limit": { maxMemoryMb: "lots-of-memory-s3cret" }, "mini-stack-limit": { maxContainers: 0.5 } }),
            (e: Error) => {
                assert.strictEqual(
                    e.message,
                    [
                        "validating policy config: mini 0.0.1  mini-memory-limit: maxMemoryMb: Invalid type. Expected: integer, given: string",
                        "validating policy config: mini 0.0.1  mini-stack-limit: maxContainers: Invalid type. Expected: integer, given: number",
                    ].join("\n"),
                );
                return true;
            },
        );
        // the pack still runs with the last valid config (2048)
        const res = await capture(() => new docker.Container("c", { image: "busybox", memory: 1500 }));
        assert.deepStrictEqual(of(await client.analyze(res), "mini-memory-limit"), []);
        await assert.rejects(
            previewWithPack({ packDir: MINI, client, policyConfig: { nope: "advisory" }, program: () => undefined }),
            /no policy named "nope"/,
        );
    });

    it("applies remediations and analyzes the remediated inputs (secrets stay secret)", async () => {
        const r = await previewWithPack({
            packDir: MINI,
            client,
            project: "shop",
            config: { "shop:dbPassword": "correct-horse-battery" },
            secretConfigKeys: ["shop:dbPassword"],
            policyConfig: { "mini-no-privileged": "remediate" },
            program: () => {
                const pw = new pulumi.Config().requireSecret("dbPassword");
                new docker.Container("db", { image: "postgres:16", memory: 256, privileged: true, envs: [pulumi.interpolate`PASSWORD=${pw}`] });
            },
        });
        const db = r.resources.find((x) => x.name === "db")!;
        assert.strictEqual(db.props.privileged, false);
        assert.deepStrictEqual(db.props.envs, [{ [SIG_KEY]: SECRET_SIG, value: "PASSWORD=correct-horse-battery" }]);
        assert.deepStrictEqual(
            r.remediations.map((m) => [m.policyName, m.diagnostic]),
            [["mini-no-privileged", ""]],
        );
        assert.deepStrictEqual(of(r.diagnostics, "mini-no-privileged"), [], "no violation after remediation");
        assert.ok(!r.failed, JSON.stringify(r.diagnostics));
    });

    it("reports an advisory 'can't run policy ... during preview' for unknown values", async () => {
        const r = await previewWithPack({
            packDir: MINI,
            client,
            policyConfig: {},
            // the mock knows repoDigest, but the test forces it unknown as a provider would leave it in preview
            unknownOutputs: { sizer: ["repoDigest"] },
            mocks: { newResource: (a) => ({ id: undefined, state: { ...a.inputs, repoDigest: "sha256:feed" } }) },
            program: () => {
                const sizer = new docker.RemoteImage("sizer", { name: "x" });
                new docker.Container("c", { image: "busybox", memory: sizer.repoDigest.apply(() => 64) });
            },
        });
        const c = r.resources.find((x) => x.name === "c")!;
        assert.strictEqual(c.props.memory, UNKNOWN);
        const d = of(r.diagnostics, "mini-memory-limit");
        assert.strictEqual(d.length, 1);
        assert.strictEqual(d[0].enforcementLevel, "advisory");
        assert.match(
            d[0].message,
            /^can't run policy 'mini-memory-limit' from policy pack 'mini@v0\.0\.1' during preview: \w+ value at \.memory can't be known during preview$/,
        );
        assert.strictEqual(d[0].urn, c.urn);
    });

    it("delivers secret inputs unwrapped to policies, never leaks them, and records engine logs", async () => {
        const secret = "pw1234"; // weak on purpose: the policy must see the plaintext to flag it
        const r = await previewWithPack({
            packDir: MINI,
            client,
            project: "shop",
            config: { "shop:dbPassword": secret },
            secretConfigKeys: ["shop:dbPassword"],
            policyConfig: {},
            program: () => {
                const pw = new pulumi.Config().requireSecret("dbPassword");
                new docker.Container("db", { image: "postgres:16", memory: 256, envs: [pulumi.interpolate`PASSWORD=${pw}`] });
            },
        });
        const weak = of(r.diagnostics, "mini-env-secrets");
        assert.deepStrictEqual(
            weak.map((d) => d.message.split("\n").pop()),
            ["env entry 0 holds a weak password"],
        );
        assert.ok(isWireSecret((r.resources.find((x) => x.name === "db")!.props.envs as unknown[])[0]));
        assert.ok(
            client.logs.some((l) => l.severity === "info" && l.message.includes("mini-env-secrets checked 1 env entries")),
            JSON.stringify(client.logs),
        );
        assert.ok(!client.allOutput().includes(secret), "secret must not appear in engine logs, stderr or stdout");
        assert.ok(!JSON.stringify(r.diagnostics).includes(secret));
    });

    it("sends resource options and the provider with Analyze", async () => {
        const r = await previewWithPack({
            packDir: MINI,
            client,
            config: { "docker:host": "tcp://10.0.0.5:2375" },
            policyConfig: {},
            program: () => {
                new docker.Volume("kept", {}, { protect: true });
                new docker.Volume("loose", {});
                const p = new docker.Provider("tls", { host: "ssh://ops@host" });
                new docker.Volume("via-ssh", {}, { provider: p, protect: true });
            },
        });
        const msgs = of(r.diagnostics, "mini-protect-volumes").map((d) => `${d.urn.split("::").pop()}: ${d.message.split("\n").pop()}`);
        assert.deepStrictEqual(msgs.sort(), [
            "kept: provider default_5_2_0 talks to the daemon over plain tcp",
            "loose: provider default_5_2_0 talks to the daemon over plain tcp",
            "loose: volume is not protected",
        ]);
    });

    it("runs stack policies with AnalyzeStack", async () => {
        const r = await previewWithPack({
            packDir: MINI,
            client,
            policyConfig: { "mini-stack-limit": { maxContainers: 1 } },
            program: () => {
                new docker.Container("a", { image: "busybox", memory: 64 });
                new docker.Container("b", { image: "busybox", memory: 64 });
            },
        });
        assert.deepStrictEqual(
            of(r.diagnostics, "mini-stack-limit").map((d) => [d.enforcementLevel, d.message.split("\n").pop()]),
            [["mandatory", "stack has 2 containers, more than 1"]],
        );
    });

    it("uses the PulumiPolicy.yaml version over the pack's, in info, config errors and diagnostics", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sg-pack-"));
        try {
            for (const f of ["index.js", "package.json"]) fs.copyFileSync(path.join(MINI, f), path.join(dir, f));
            fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\nversion: 2.3.4\n");
            fs.symlinkSync(path.resolve(require.resolve("@pulumi/policy/package.json"), "../../.."), path.join(dir, "node_modules"), "dir");
            const c = await PolicyPackClient.start(dir);
            try {
                assert.strictEqual((await c.getAnalyzerInfo()).version, "2.3.4");
                const bad = await c.tryConfigure({ "mini-stack-limit": { maxContainers: "x" } });
                assert.ok(
                    !bad.ok &&
                        bad.message === "validating policy config: mini 2.3.4  mini-stack-limit: maxContainers: Invalid type. Expected: integer, given: string",
                );
                await c.configure(undefined);
                const res = await capture(() => new docker.Container("c", { image: "busybox" }));
                const [d] = await c.analyze(res);
                assert.strictEqual(d.policyPackVersion, "2.3.4");
            } finally {
                await c.close();
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("starts its own pack when no client is given, and measures cold start", async () => {
        const r = await previewWithPack({ packDir: MINI, program: () => new docker.Container("solo", { image: "busybox", memory: 64 }) });
        assert.deepStrictEqual(r.diagnostics, []);
        const engine = await startFakeEngine();
        const times: number[] = [];
        try {
            for (let i = 0; i < 5; i++) {
                const p = await spawnPack(MINI, engine.address);
                times.push(p.startupMs);
                await p.kill();
            }
        } finally {
            await engine.close();
        }
        times.sort((a, b) => a - b);
        console.log(`      mini pack cold start (spawn → port): median ${times[2].toFixed(0)} ms of [${times.map((t) => t.toFixed(0)).join(", ")}]`);
        assert.ok(times[2] < 15000);
    });
});

async function capture(program: () => unknown): Promise<CapturedResource> {
    const { runProgram } = await import("stride-guard/lib/runner/run");
    const r = await runProgram(program, { project: "shop", stack: "dev" });
    return r.resources.find((x) => x.type === "docker:index/container:Container")!;
}
