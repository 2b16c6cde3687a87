/**
 * The shipped pack, driven exactly as `pulumi preview --policy-pack policypack` drives it: the real
 * run-policy-pack process, the Analyzer gRPC protocol, config reconciled like the engine.
 */
import assert from "assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as command from "@pulumi/command";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { PolicyPackClient, previewWithPack } from "../harness/index";

const PACK_DIR = path.resolve(__dirname, "../../../policypack");
const DIGEST = "registry.example.com/web@sha256:" + "a".repeat(64);

function container(name: string, args: Partial<docker.ContainerArgs>) {
    return () => {
        new docker.Container(name, { image: DIGEST, user: "10001", ...args });
    };
}

describe("policy pack through run-policy-pack (Analyzer protocol)", function () {
    this.timeout(120_000);
    let client: PolicyPackClient;

    before(async () => {
        client = await PolicyPackClient.start(PACK_DIR, { project: "pack-test", stack: "dev", dryRun: true });
    });
    after(async () => client?.close());

    const preview = (
        program: () => void,
        policyConfig: unknown = {},
        extra: { config?: Record<string, string>; secretConfigKeys?: string[]; unknownOutputs?: Record<string, string[]> } = {},
    ) => previewWithPack({ packDir: PACK_DIR, client, program, policyConfig, project: "pack-test", stack: "dev", ...extra });
    const named = <D extends { policyName: string }>(ds: D[], id: string): D[] => ds.filter((d) => d.policyName === id);

    it("announces every control with severity, framework, tags, remediation steps and a config schema", async () => {
        const info = await client.getAnalyzerInfo();
        assert.equal(info.name, "stride-guard");
        assert.deepEqual(info.policies.map((p) => p.name).sort(), CONTROLS.map((c) => c.id).sort());
        const mem = info.policies.find((p) => p.name === "docker-container-memory-limit")!;
        assert.equal(mem.severity, "high");
        assert.equal(mem.enforcementLevel, "mandatory");
        assert.match(JSON.stringify(mem), /CIS Docker Benchmark/);
        assert.ok(mem.tags?.includes("stride:D"));
        assert.ok(mem.tags?.includes("cis-docker-1.2.0:5.10"));
        assert.match(mem.remediationSteps ?? "", /memory/);
        const schema = mem.configSchema as { properties: Record<string, { default?: unknown }> };
        assert.equal(schema.properties.maxMemoryMb.default, 4096);
        assert.equal(schema.properties.unknownValues.default, "advisory");
        // The description ends with the benchmark ids, or with the threat when no benchmark has the control.
        for (const p of info.policies) {
            const c = CONTROLS.find((x) => x.id === p.name)!;
            assert.ok(p.description.startsWith(`${c.title}. ${c.description}`), p.name);
            assert.doesNotMatch(p.description, /\[\]/, p.name);
        }
        assert.match(mem.description, / \[CIS Docker 5\.11 \(legacy 5\.10\)\]$/);
    });

    it("fails the preview on the original three findings: no memory limit, restart always, no daemon auditing", async () => {
        const r = await preview(() => {
            new docker.Container("web", { image: DIGEST, user: "10001", restart: "always" });
            const connection = { host: "10.0.0.5", user: "admin" };
            new command.remote.Command("daemon-json", {
                connection,
                create: "install -D -m 0644 -o root -g root /dev/stdin /etc/docker/daemon.json",
                stdin: JSON.stringify({ icc: false }),
            });
        });
        assert.equal(r.failed, true);
        const [mem] = named(r.diagnostics, "docker-container-memory-limit");
        assert.equal(mem.enforcementLevel, "mandatory");
        assert.match(mem.message, /Docker container "web": memory: no memory limit is set/);
        assert.match(named(r.diagnostics, "docker-container-restart-on-failure")[0].message, /restart: the restart policy is "always"/);
        const [audit] = named(r.diagnostics, "docker-daemon-auditing");
        assert.match(audit.message, /Docker host "10\.0\.0\.5": .*the Docker daemon \(1\.1\.3\)/);
        assert.match(audit.urn, /command:remote:Command::daemon-json$/);
    });

    it("honours advisory and disabled levels from the policy config", async () => {
        const program = container("web", { restart: "on-failure", maxRetryCount: 3 });
        const advisory = await preview(program, { "docker-container-memory-limit": "advisory" });
        assert.equal(named(advisory.diagnostics, "docker-container-memory-limit")[0].enforcementLevel, "advisory");
        const disabled = await preview(program, { "docker-container-memory-limit": { enforcementLevel: "disabled" } });
        assert.equal(named(disabled.diagnostics, "docker-container-memory-limit").length, 0);
        const all = await preview(program, { all: "advisory" });
        assert.ok(all.diagnostics.length > 0);
        assert.ok(all.diagnostics.every((d) => d.enforcementLevel === "advisory"));
        assert.equal(all.failed, false);
    });

    it("takes the memory maximum and the retry maximum from config", async () => {
        const program = container("web", { memory: 2048, restart: "on-failure", maxRetryCount: 4 });
        const defaults = await preview(program);
        assert.equal(named(defaults.diagnostics, "docker-container-memory-limit").length, 0);
        assert.equal(named(defaults.diagnostics, "docker-container-restart-on-failure").length, 0);
        const strict = await preview(program, {
            "docker-container-memory-limit": { maxMemoryMb: 1024 },
            "docker-container-restart-on-failure": { maxRetries: 3 },
        });
        assert.match(named(strict.diagnostics, "docker-container-memory-limit")[0].message, /2048 MB exceeds the allowed maximum of 1024 MB/);
        assert.match(named(strict.diagnostics, "docker-container-restart-on-failure")[0].message, /4 retries exceed the maximum of 3/);
    });

    it("rejects an invalid config with the CLI's message, naming policy and key", async () => {
        const r = await client.tryConfigure({ "docker-container-memory-limit": { maxMemoryMb: "big" } });
        assert.equal(r.ok, false);
        if (r.ok) return;
        assert.match(
            r.message,
            /^validating policy config: stride-guard 0\.1\.0 {2}docker-container-memory-limit: maxMemoryMb: Invalid type\. Expected: integer, given: string/,
        );
    });

    it("reports a misspelt config key, which the engine cannot reject, as a violation naming policy and key", async () => {
        const r = await preview(container("web", { memory: 256 }), { "docker-container-memory-limit": { maxMemory: 1 } });
        const problems = r.diagnostics.filter((d) => /invalid configuration/.test(d.message));
        assert.equal(problems.length, 1);
        assert.match(problems[0].message, /invalid configuration of policy docker-container-memory-limit: Additional property maxMemory is not allowed/);
        assert.equal(problems[0].enforcementLevel, "mandatory");
    });

    it("remediates restart policy and memory at the remediate level, and the result passes", async () => {
        const r = await preview(container("web", { restart: "always" }), {
            "docker-container-memory-limit": "remediate",
            "docker-container-restart-on-failure": "remediate",
        });
        const web = r.resources.find((x) => x.type === "docker:index/container:Container")!;
        assert.equal(web.props.memory, 512);
        assert.equal(web.props.restart, "on-failure");
        assert.equal(web.props.maxRetryCount, 5);
        assert.equal(named(r.diagnostics, "docker-container-memory-limit").length, 0);
        assert.equal(named(r.diagnostics, "docker-container-restart-on-failure").length, 0);
        assert.deepEqual(new Set(r.remediations.map((m) => m.policyName)), new Set(["docker-container-memory-limit", "docker-container-restart-on-failure"]));
    });

    it("flags privileged Kubernetes containers in initContainers and ephemeralContainers of every pod-bearing kind", async () => {
        const r = await preview(() => {
            const spec = {
                containers: [{ name: "app", image: DIGEST }],
                initContainers: [{ name: "init", image: DIGEST, securityContext: { privileged: true } }],
            };
            new k8s.batch.v1.CronJob("nightly", {
                spec: { schedule: "@daily", jobTemplate: { spec: { template: { spec: { ...spec, restartPolicy: "Never" } } } } },
            });
            new k8s.core.v1.Pod("debug", {
                spec: {
                    containers: [{ name: "app", image: DIGEST }],
                    ephemeralContainers: [{ name: "dbg", image: DIGEST, securityContext: { privileged: true } }],
                },
            });
        });
        const msgs = named(r.diagnostics, "kubernetes-no-privileged-containers").map((d) => d.message);
        assert.equal(msgs.length, 2);
        assert.ok(msgs.some((m) => m.includes('initContainer "init": spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.privileged')));
        assert.ok(msgs.some((m) => m.includes('ephemeralContainer "dbg": spec.ephemeralContainers[0].securityContext.privileged')));
    });

    it("turns an unknown privileged flag into Pulumi's advisory note, or a violation with unknownValues: fail", async () => {
        const program = () => {
            const flag = new k8s.core.v1.ConfigMap("flag", { data: { privileged: "true" } });
            new k8s.core.v1.Pod("p", {
                spec: { containers: [{ name: "app", image: DIGEST, securityContext: { privileged: flag.metadata.apply((m) => m.name === "x") } }] },
            });
        };
        const opts = { unknownOutputs: { flag: ["metadata"] } };
        const advisory = await preview(program, {}, opts);
        const [note] = named(advisory.diagnostics, "kubernetes-no-privileged-containers");
        assert.equal(note.enforcementLevel, "advisory");
        assert.match(note.message, /can't run policy 'kubernetes-no-privileged-containers' .* during preview: .*securityContext\.privileged/);
        const failing = await preview(program, { "kubernetes-no-privileged-containers": { unknownValues: "fail" } }, opts);
        const [v] = named(failing.diagnostics, "kubernetes-no-privileged-containers");
        assert.equal(v.enforcementLevel, "mandatory");
        assert.match(v.message, /securityContext\.privileged: is unknown at preview/);
    });

    it("never shows a secret input in diagnostics or engine logs", async () => {
        const token = "tok-9f8e7d6c5b4a";
        const r = await preview(
            () => {
                const cfg = new pulumi.Config();
                new docker.Container("web", { image: DIGEST, memory: 8192, envs: [pulumi.interpolate`API_TOKEN=${cfg.requireSecret("token")}`] });
            },
            {},
            { config: { "pack-test:token": token }, secretConfigKeys: ["pack-test:token"] },
        );
        assert.ok(r.diagnostics.length > 0);
        const everything = JSON.stringify(r.diagnostics) + JSON.stringify(r.logs) + r.stderr;
        assert.ok(!everything.includes(token));
    });
});

describe("a pack composed with the library", function () {
    this.timeout(60_000);

    it("refuses to start with an invalid initial config instead of running half-configured", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sg-pack-"));
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "acme-guard", version: "1.0.0", main: "index.js" }));
        fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
        fs.writeFileSync(
            path.join(dir, "index.js"),
            `const { PolicyPack } = require(${JSON.stringify(require.resolve("@pulumi/policy"))});
const { StrideGuard } = require(${JSON.stringify(require.resolve("stride-guard"))});
new PolicyPack("acme-guard", new StrideGuard({ "docker-container-memory-limit": { maxMemoryMb: -1 } }).packArgs());`,
        );
        await assert.rejects(PolicyPackClient.start(dir, { project: "p", stack: "s", dryRun: true, routeLogsToEngine: false }), (e: Error) => {
            assert.match(e.message, /docker-container-memory-limit: maxMemoryMb: Must be greater than or equal to 0/);
            return true;
        });
    });
});
