/**
 * Exemptions are the engine's, for every control whatever its scope, in every front end: `excludeNames: ["*"]`
 * for every control leaves nothing to report through `check`, `scan`, the pack over gRPC and the library; and per
 * control, exempting the resource a finding is on drops that finding while the others of the stack stay.
 */
import assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { analyze, packOf } from "stride-guard/lib/engine/analyze";
import { reconcilePolicyConfig } from "stride-guard/lib/config/reconcile";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { checkDockerPlatform } from "stride-guard/lib/scan/daemon";
import { checkProgram } from "stride-guard/lib/testing";
import { PolicyPackClient } from "../harness/index";
import { PLANTED, PLANTED_CONFIG, plantedStack } from "../pack/planted";
import { buildStackModel } from "stride-guard/lib/engine/stack-model";
import { cli, fixture, tempDir } from "../scan/helpers";
import { runStack } from "../stacks/support";

const REPO = path.resolve(__dirname, "../../..");
const PACK_DIR = path.join(REPO, "policypack");
const EVERYTHING_EXEMPT: Record<string, { excludeNames: string[] }> = Object.fromEntries(CONTROLS.map((c) => [c.id, { excludeNames: ["*"] }]));

function configFile(cfg: object): string {
    const file = path.join(tempDir("sg-exempt-"), "config.json");
    fs.writeFileSync(file, JSON.stringify(cfg));
    return file;
}

function reconciled(cfg: object) {
    const r = reconcilePolicyConfig(packOf(CONTROLS), cfg);
    if (!r.ok) throw new Error(r.message);
    return r.config;
}

const findingsOf = (out: string) => (JSON.parse(out) as { reports: { findings: { control: string; message: string }[] }[] }).reports.flatMap((r) => r.findings);

describe("engine: exemptions for every control in every front end", function () {
    this.timeout(300_000);

    it('check --stack insecure-demo: excludeNames ["*"] on every control leaves no finding (and findings without it)', async () => {
        const without = await cli(["check", REPO, "--stack", "insecure-demo", "--format", "json"]);
        assert.equal(without.code, 1, without.err);
        const stackControls = new Set(CONTROLS.filter((c) => c.scope === "stack").map((c) => c.id));
        assert.ok(
            findingsOf(without.out).some((f) => stackControls.has(f.control)),
            "insecure-demo has stack-control findings to exempt",
        );
        const r = await cli(["check", REPO, "--stack", "insecure-demo", "--format", "json", "--config", configFile(EVERYTHING_EXEMPT)]);
        assert.deepEqual(
            findingsOf(r.out).map((f) => `${f.control}: ${f.message}`),
            [],
        );
        assert.equal(r.code, 0, r.err);
    });

    it('scan k8s, compose and docker inspect: excludeNames ["*"] on every control leaves no finding', async () => {
        const config = configFile(EVERYTHING_EXEMPT);
        const scans = [
            ["scan", "k8s", fixture("k8s", "workloads.yaml")],
            ["scan", "compose", fixture("compose", "insecure-v2.yml")],
            ["scan", "docker", "--inspect", fixture("inspect", "insecure.inspect.json"), "--inspect", fixture("inspect", "privileged.inspect.json")],
        ];
        for (const args of scans) {
            const without = await cli([...args, "--format", "json"]);
            assert.equal(without.code, 1, `${args.join(" ")}: ${without.err}`);
            const r = await cli([...args, "--format", "json", "--config", config]);
            assert.deepEqual(findingsOf(r.out), [], args.join(" "));
            assert.equal(r.code, 0, `${args.join(" ")}: ${r.err}`);
        }
    });

    it("scan docker's daemon settings: the engine exempts the daemon by its name", () => {
        const info = JSON.parse(fs.readFileSync(fixture("inspect", "info.json"), "utf8")) as Record<string, unknown>;
        const resource = {
            urn: "urn:stride-guard:docker-engine::unix:///run/docker.sock::docker:engine/daemon::daemon",
            type: "docker:engine/daemon",
            name: "unix:///run/docker.sock",
        };
        const input = { daemon: { info: { ...info, LiveRestoreEnabled: false }, resource }, logConfigs: [] };
        assert.ok(checkDockerPlatform(input, new Map(), CONTROLS, undefined).length > 0, "the fixture daemon has findings to exempt");
        assert.deepEqual(checkDockerPlatform(input, new Map(), CONTROLS, reconciled(EVERYTHING_EXEMPT)), []);
        assert.deepEqual(
            checkDockerPlatform(input, new Map(), CONTROLS, reconciled({ "docker-daemon-hardening": { excludeNames: ["unix:*"] } })).filter(
                (f) => f.control === "docker-daemon-hardening",
            ),
            [],
        );
    });

    it('the library (checkProgram on insecure-demo): excludeNames ["*"] on every control leaves no finding', async () => {
        const report = await checkProgram(REPO, { stack: "insecure-demo", guard: EVERYTHING_EXEMPT });
        assert.deepEqual(
            report.findings.map((f) => `${f.control}: ${f.message}`),
            [],
        );
    });

    describe("the pack over gRPC", () => {
        let client: PolicyPackClient;
        before(async () => {
            client = await PolicyPackClient.start(PACK_DIR, { project: "stride-guard-stacks", stack: "insecure-demo", dryRun: true });
            await client.getAnalyzerInfo();
        });
        after(async () => client?.close());

        it('insecure-demo: excludeNames ["*"] on every control leaves no diagnostic (and diagnostics without it)', async () => {
            const run = await runStack("insecure-demo");
            const diagnostics = async () => {
                const out = [];
                for (const r of run.resources) out.push(...(await client.analyze(r)));
                out.push(...(await client.analyzeStack(run.resources)));
                return out;
            };
            await client.configure({});
            const stackControls = new Set(CONTROLS.filter((c) => c.scope === "stack").map((c) => c.id));
            assert.ok((await diagnostics()).some((d) => stackControls.has(d.policyName)));
            await client.configure(EVERYTHING_EXEMPT);
            assert.deepEqual(
                (await diagnostics()).map((d) => `${d.policyName}: ${d.message}`),
                [],
            );
        });
    });

    it("no control or model reads the exemption settings: the engine applies them", () => {
        const lib = path.join(PACK_DIR, "lib");
        const offenders: string[] = [];
        for (const dir of ["controls", "model", "adapters"]) {
            for (const f of fs.readdirSync(path.join(lib, dir), { recursive: true, encoding: "utf8" })) {
                if (!f.endsWith(".ts")) continue;
                const text = fs.readFileSync(path.join(lib, dir, f), "utf8");
                if (/\.(excludeNames|excludeNamespaces|excludeLabels)\b|\b(isExempt\w*|CommonSettings)\b/.test(text)) offenders.push(`${dir}/${f}`);
            }
        }
        assert.deepEqual(offenders, []);
    });

    describe("per control: the exempt resource is dropped, the others of the stack are kept", () => {
        const config = reconciled(PLANTED_CONFIG);
        /** The planted config of a control with more names exempt. */
        const exempting = (id: string, ...names: string[]) => {
            const planted = (PLANTED_CONFIG as Record<string, { excludeNames?: string[] }>)[id];
            return reconciled({ ...PLANTED_CONFIG, [id]: { ...planted, excludeNames: [...(planted?.excludeNames ?? []), ...names] } });
        };
        // A control that only fires on scanned machines has no planted violation (see planted.test.ts); the
        // exemption of its host findings is covered by the `names` tests of test/core/evaluate.test.ts.
        for (const c of CONTROLS.filter((x) => Object.prototype.hasOwnProperty.call(PLANTED, x.id))) {
            it(c.id, () => {
                const stack = plantedStack(c.id);
                const mine = (cfg: typeof config) =>
                    analyze(c.id, stack, CONTROLS, cfg)
                        .findings.filter((f) => f.control === c.id)
                        .map((f) => `${f.resource.urn} ${f.message}`);
                const before = mine(config);
                assert.ok(before.length > 0, "the planted violation is reported");
                const urns = new Set(before.map((f) => f.slice(0, f.indexOf(" "))));
                // Each resource the control reports on, exempted by its name alone: its findings go, nothing new comes.
                for (const urn of urns) {
                    const res = stack.find((r) => r.urn === urn);
                    assert.ok(res, `a finding names ${urn}, which is not in the stack`);
                    const after = mine(exempting(c.id, res.name));
                    assert.deepEqual(
                        after.filter((f) => f.startsWith(`${urn} `)),
                        [],
                        `exempting ${res.name}`,
                    );
                    assert.ok(after.every((f) => before.includes(f)));
                }
                // Resources of the same stack the control reports nothing on, exempted: every finding is kept. (A Docker
                // host's findings also go by the name of the resource that configures the host: not a bystander.)
                const anchors = new Set(buildStackModel(stack).dockerHosts.map((h) => h.anchor.name));
                const bystanders = stack.filter((r) => !urns.has(r.urn) && !anchors.has(r.name) && !before.some((f) => f.includes(r.name)));
                assert.deepEqual(mine(exempting(c.id, ...bystanders.map((r) => r.name))), before);
                // And the wildcard drops everything of this control, whatever its scope.
                assert.deepEqual(mine(exempting(c.id, "*")), []);
            });
        }
    });
});
