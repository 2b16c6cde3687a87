/**
 * Suppressions with a reason, applied by the engine for every control in every front end: the annotation or
 * label `stride-guard.dev/ignore` on the resource, and the `exemptions` setting of the policy config. Suppressed
 * findings stay visible as suppressed (text, JSON, SARIF, an advisory note through the pack) and never fail a run;
 * a suppression without a reason, naming an unknown control, malformed or expired is refused and reported.
 */
import assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { analyze, packOf } from "stride-guard/lib/engine/analyze";
import { Report, ReportFinding } from "stride-guard/lib/check/report";
import { reconcilePolicyConfig } from "stride-guard/lib/config/reconcile";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { parseIgnore } from "stride-guard/lib/engine/suppress";
import { StrideGuard } from "stride-guard/lib/library";
import type { CapturedResource } from "stride-guard/lib/runner/types";
import { checkProgram } from "stride-guard/lib/testing";
import { PolicyPackClient } from "../harness/index";
import { hardenedStack, PLANTED, PLANTED_CONFIG, plantedStack } from "../pack/planted";
import { checkDockerPlatform } from "stride-guard/lib/scan/daemon";
import { cli, fixture, tempDir } from "../scan/helpers";
import type { Res } from "../support/run-control";
import { secret } from "../support/run-control";

const REPO = path.resolve(__dirname, "../../..");
const PACK_DIR = path.join(REPO, "policypack");
const IGNORE = "stride-guard.dev/ignore";
const FUTURE = "2999-12-31";
const PAST = "2020-01-01";

function reconciled(cfg: object) {
    const r = reconcilePolicyConfig(packOf(CONTROLS), cfg);
    if (!r.ok) throw new Error(r.message);
    return r.config;
}

function file(name: string, text: string): string {
    const f = path.join(tempDir("sg-suppress-"), name);
    fs.writeFileSync(f, text);
    return f;
}

const reportOf = (out: string): Report => (JSON.parse(out) as { reports: Report[] }).reports[0];
const on = (control: string) => (f: ReportFinding) => f.control === control;

/** Only `control` is mandatory: every other control advisory, so the exit code is about it alone. */
const only = (control: string, extra: object = {}) =>
    file("config.json", JSON.stringify({ all: "advisory", [control]: { enforcementLevel: "mandatory", ...extra } }));

const PRIVILEGED_POD = (annotations: Record<string, string> | undefined) => `apiVersion: v1
kind: Pod
metadata:
  name: agent
  namespace: net
${
    annotations
        ? `  annotations:\n${Object.entries(annotations)
              .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}\n`)
              .join("")}`
        : ""
}spec:
  containers:
    - name: agent
      image: registry.example.com/agent@sha256:${"a".repeat(64)}
      securityContext:
        privileged: true
`;

describe("engine: suppressions with a reason", function () {
    this.timeout(300_000);

    describe("the stride-guard.dev/ignore value", () => {
        it("is CONTROL_ID[,CONTROL_ID…]: reason, and anything else is a problem", () => {
            assert.deepEqual(parseIgnore("a-b, c-d: the CNI agent needs it"), { ids: ["a-b", "c-d"], reason: "the CNI agent needs it" });
            assert.match((parseIgnore("a-b") as { problem: string }).problem, /no reason/);
            assert.match((parseIgnore("a-b:   ") as { problem: string }).problem, /reason is empty/);
            assert.match((parseIgnore("a-b,,c: x") as { problem: string }).problem, /empty entry/);
            assert.match((parseIgnore("A B: x") as { problem: string }).problem, /not a control id/);
            assert.match((parseIgnore("a: " + "x".repeat(5000)) as { problem: string }).problem, /longer than/);
            // Control characters from the file never reach a terminal.
            assert.deepEqual(parseIgnore("a: ok\u001b[31m red"), { ids: ["a"], reason: "ok[31m red" });
        });
    });

    describe("scan k8s: the annotation", () => {
        const control = "kubernetes-no-privileged-containers";

        it("suppresses the named control's findings on that object: shown as suppressed in text, JSON and SARIF, exit 0", async () => {
            const pod = file("pod.yaml", PRIVILEGED_POD({ [IGNORE]: `${control}: the CNI agent configures the host network` }));
            const without = await cli(["scan", "k8s", file("plain.yaml", PRIVILEGED_POD(undefined)), "--config", only(control), "--format", "json"]);
            assert.equal(without.code, 1, without.err);
            assert.ok(reportOf(without.out).findings.some(on(control)));

            const json = await cli(["scan", "k8s", pod, "--config", only(control), "--format", "json"]);
            assert.equal(json.code, 0, json.err);
            const r = reportOf(json.out);
            assert.deepEqual(r.findings.filter(on(control)), []);
            const suppressed = (r.suppressed ?? []).filter(on(control));
            assert.ok(suppressed.length > 0);
            for (const f of suppressed) assert.deepEqual(f.suppressed, { reason: "the CNI agent configures the host network", source: "annotation" });
            // Other controls' findings on the same object are not touched.
            assert.ok(r.findings.some((f) => f.control !== control && f.resource.name === "agent"));

            const text = await cli(["scan", "k8s", pod, "--config", only(control)]);
            assert.equal(text.code, 0);
            assert.match(text.out, /suppressed/);
            assert.match(text.out, new RegExp(`- suppressed  ${control}  \\(annotation: the CNI agent configures the host network\\)`));

            const sarif = await cli(["scan", "k8s", pod, "--config", only(control), "--format", "sarif"]);
            const results = (JSON.parse(sarif.out) as { runs: { results: { ruleId: string; suppressions?: unknown[] }[] }[] }).runs[0].results;
            const mine = results.filter((x) => x.ruleId === control);
            assert.ok(mine.length > 0);
            for (const x of mine)
                assert.deepEqual(x.suppressions, [{ kind: "inSource", status: "accepted", justification: "the CNI agent configures the host network" }]);
            assert.ok(results.some((x) => x.ruleId !== control && x.suppressions === undefined));
        });

        for (const [why, value, pattern] of [
            ["without a reason", `${control}`, /annotation stride-guard\.dev\/ignore is refused: it has no reason/],
            ["with an empty reason", `${control}:  `, /refused: its reason is empty/],
            ["naming an unknown control", `kubernetes-no-privileged-container: CNI`, /refused: it names unknown control "kubernetes-no-privileged-container"/],
            ["naming an unknown control beside a known one", `${control},no-such-control: CNI`, /refused: it names unknown control "no-such-control"/],
            ["malformed", `${control} because CNI`, /refused: it has no reason/],
        ] as const) {
            it(`${why}: is refused and reported, and the findings stand (exit 1)`, async () => {
                const r = await cli(["scan", "k8s", file("pod.yaml", PRIVILEGED_POD({ [IGNORE]: value })), "--config", only(control), "--format", "json"]);
                assert.equal(r.code, 1, r.err);
                const report = reportOf(r.out);
                assert.ok(
                    report.findings.some((f) => on(control)(f) && !f.refused),
                    "the finding stands",
                );
                assert.deepEqual(report.suppressed ?? [], []);
                const refusals = report.findings.filter((f) => f.refused);
                assert.ok(refusals.length >= 1 && refusals.length <= 2, "reported once by the resource controls (and once by the stack controls at most)");
                for (const f of refusals) assert.match(f.message, pattern);
            });
        }

        it("the annotation of one object does not suppress another's findings", async () => {
            const two = PRIVILEGED_POD({ [IGNORE]: `${control}: CNI` }) + "---\n" + PRIVILEGED_POD(undefined).replace("name: agent\n", "name: other\n");
            const r = await cli(["scan", "k8s", file("pods.yaml", two), "--config", only(control), "--format", "json"]);
            assert.equal(r.code, 1);
            const report = reportOf(r.out);
            assert.deepEqual([...new Set(report.findings.filter(on(control)).map((f) => f.resource.name))], ["other"]);
            assert.deepEqual([...new Set((report.suppressed ?? []).map((f) => f.resource.name))], ["agent"]);
        });
    });

    describe("Docker: the label", () => {
        const control = "docker-container-not-privileged";
        it("on a Compose service suppresses the named control (map and list forms)", async () => {
            for (const labels of [
                `      ${IGNORE}: "${control}: build agent runs docker-in-docker"`,
                `      - "${IGNORE}=${control}: build agent runs docker-in-docker"`,
            ]) {
                const compose = `services:\n  ci:\n    image: registry.example.com/ci@sha256:${"b".repeat(64)}\n    privileged: true\n    labels:\n${labels}\n`;
                const r = await cli(["scan", "compose", file("docker-compose.yml", compose), "--config", only(control), "--format", "json"]);
                assert.equal(r.code, 0, r.err + r.out);
                const report = reportOf(r.out);
                assert.deepEqual(report.findings.filter(on(control)), []);
                assert.deepEqual(
                    [...new Set((report.suppressed ?? []).filter(on(control)).map((f) => JSON.stringify(f.suppressed)))],
                    [JSON.stringify({ reason: "build agent runs docker-in-docker", source: "label" })],
                );
            }
        });

        it("in docker inspect output suppresses the named control; an unknown id is refused", async () => {
            const inspect = (label: string) =>
                JSON.stringify([
                    {
                        Id: "c".repeat(64),
                        Name: "/ci",
                        Config: { Image: `registry.example.com/ci@sha256:${"b".repeat(64)}`, User: "1000", Labels: { [IGNORE]: label } },
                        HostConfig: { Privileged: true },
                    },
                ]);
            const ok = await cli([
                "scan",
                "docker",
                "--inspect",
                file("ok.json", inspect(`${control}: docker-in-docker`)),
                "--config",
                only(control),
                "--format",
                "json",
            ]);
            assert.equal(ok.code, 0, ok.err);
            assert.ok((reportOf(ok.out).suppressed ?? []).some(on(control)));
            const bad = await cli([
                "scan",
                "docker",
                "--inspect",
                file("bad.json", inspect(`docker-container-privileged: docker-in-docker`)),
                "--config",
                only(control),
                "--format",
                "json",
            ]);
            assert.equal(bad.code, 1);
            assert.ok(
                reportOf(bad.out).findings.some((f) => f.refused && /label stride-guard\.dev\/ignore is refused: it names unknown control/.test(f.message)),
            );
        });
    });

    describe("config exemptions, for every control (in-process, the engine's planted stack)", () => {
        const base = reconciled(PLANTED_CONFIG);
        const planted = PLANTED_CONFIG as Record<string, object>;
        const withExemption = (id: string, exemption: object) => reconciled({ ...PLANTED_CONFIG, [id]: { ...(planted[id] ?? {}), exemptions: [exemption] } });
        // Controls that fire on scanned machines only have no planted stack.
        for (const c of CONTROLS.filter((x) => Object.prototype.hasOwnProperty.call(PLANTED, x.id))) {
            it(c.id, () => {
                const stack = plantedStack(c.id);
                const before = analyze(c.id, stack, CONTROLS, base).findings.filter(on(c.id));
                assert.ok(before.length > 0);
                const target = before[0].resource;
                const name = stack.find((r) => r.urn === target.urn)?.name ?? target.urn;
                // A valid exemption of the resource: its findings of this control are suppressed, with the reason.
                const valid = analyze(c.id, stack, CONTROLS, withExemption(c.id, { resource: name, reason: "accepted risk", expires: FUTURE }));
                assert.deepEqual(
                    valid.findings.filter((f) => on(c.id)(f) && f.resource.urn === target.urn),
                    [],
                );
                const gone = before.filter((f) => f.resource.urn === target.urn);
                assert.deepEqual(
                    (valid.suppressed ?? []).filter(on(c.id)).map((f) => [f.message, f.suppressed?.source, f.suppressed?.reason]),
                    gone.map((f) => [f.message, "config", "accepted risk"]),
                );
                // The same by URN pattern.
                const byUrn = analyze(
                    c.id,
                    stack,
                    CONTROLS,
                    withExemption(c.id, { resource: `${target.urn.slice(0, 20)}*${target.urn.slice(-5)}`, reason: "x" }),
                );
                assert.equal((byUrn.suppressed ?? []).filter(on(c.id)).length, gone.length);
                // Expired: nothing is suppressed, the findings stand, and a refusal says why.
                const expired = analyze(c.id, stack, CONTROLS, withExemption(c.id, { resource: name, reason: "accepted risk", expires: PAST }));
                assert.deepEqual(expired.suppressed ?? [], []);
                assert.deepEqual(
                    expired.findings.filter((f) => on(c.id)(f) && !f.refused),
                    before,
                );
                const refusals = expired.findings.filter((f) => f.refused);
                assert.ok(refusals.length > 0 && refusals.every((f) => f.control === c.id && new RegExp(`expired on ${PAST}`).test(f.message)));
                assert.ok(refusals.every((f) => f.level === before[0].level));
                // An exemption of another resource changes nothing.
                const other = analyze(c.id, stack, CONTROLS, withExemption(c.id, { resource: "no-such-resource", reason: "x", expires: PAST }));
                assert.deepEqual(other.findings.filter(on(c.id)), before);
            });
        }

        it("a hardened stack with exemptions has nothing to report: refusals only come with findings", () => {
            const cfg = reconciled(
                Object.fromEntries(CONTROLS.map((c) => [c.id, { ...(planted[c.id] ?? {}), exemptions: [{ resource: "*", reason: "x", expires: PAST }] }])),
            );
            assert.deepEqual(
                analyze("hardened", hardenedStack(), CONTROLS, cfg).findings.map((f) => f.message),
                [],
            );
        });

        it("an exemption without a reason, with a misspelt key or a malformed date is a config error (exit 2)", async () => {
            const control = "docker-container-memory-limit";
            for (const [exemption, pattern] of [
                [{ resource: "web" }, /exemptions\.0: reason is required/],
                [{ resource: "web", reason: "" }, /exemptions\.0\.reason/],
                [{ resource: "web", reason: "x", expire: FUTURE }, /exemptions\.0: Additional property expire is not allowed/],
                [{ resource: "web", reason: "x", expires: "31/12/2999" }, /exemptions\.0\.expires: Does not match pattern/],
            ] as const) {
                const r = await cli([
                    "check",
                    REPO,
                    "--stack",
                    "insecure-demo",
                    "--config",
                    file("c.json", JSON.stringify({ [control]: { exemptions: [exemption] } })),
                ]);
                assert.equal(r.code, 2, JSON.stringify(exemption));
                assert.match(r.err, pattern);
            }
        });

        it("a date that does not exist (2027-02-30) does not suppress and is reported", () => {
            const stack = plantedStack("docker-container-memory-limit");
            const r = analyze("x", stack, CONTROLS, withExemption("docker-container-memory-limit", { resource: "*", reason: "x", expires: "2027-02-30" }));
            assert.deepEqual(r.suppressed ?? [], []);
            assert.ok(r.findings.some((f) => f.refused && /expires is not a date/.test(f.message)));
        });
    });

    it("scan docker's daemon settings: a config exemption of the daemon by URN pattern suppresses, and the scan keeps it as suppressed", () => {
        const info = JSON.parse(fs.readFileSync(fixture("inspect", "info.json"), "utf8")) as Record<string, unknown>;
        const resource = {
            urn: "urn:stride-guard:docker-engine::unix:///run/docker.sock::docker:engine/daemon::daemon",
            type: "docker:engine/daemon",
            name: "unix:///run/docker.sock",
        };
        const input = { daemon: { info: { ...info, LiveRestoreEnabled: false }, resource }, logConfigs: [] };
        const control = "docker-daemon-hardening";
        assert.ok(checkDockerPlatform(input, new Map(), CONTROLS, undefined).some(on(control)));
        const kept: ReportFinding[] = [];
        const cfg = reconciled({
            [control]: { exemptions: [{ resource: "urn:stride-guard:docker-engine::*::daemon", reason: "live-restore off by design" }] },
        });
        assert.deepEqual(checkDockerPlatform(input, new Map(), CONTROLS, cfg, kept).filter(on(control)), []);
        assert.ok(kept.length > 0 && kept.every((f) => f.control === control && f.suppressed?.reason === "live-restore off by design"));
    });

    describe('"all" takes only a level', () => {
        it("check and scan reject settings under all, saying where they go (exit 2)", async () => {
            const r = await cli([
                "scan",
                "k8s",
                file("pod.yaml", PRIVILEGED_POD(undefined)),
                "--config",
                file("c.json", JSON.stringify({ all: { excludeLabels: { team: "*" } } })),
            ]);
            assert.equal(r.code, 2);
            assert.match(r.err, /all: only an enforcement level applies to every policy/);
            assert.doesNotMatch(r.err, /team/);
            const level = await cli([
                "scan",
                "k8s",
                file("pod2.yaml", PRIVILEGED_POD(undefined)),
                "--config",
                file("c2.json", JSON.stringify({ all: "advisory" })),
            ]);
            assert.equal(level.code, 0, level.err);
        });

        it("the library rejects settings under all; its exemptions option names the control", async () => {
            assert.throws(() => new StrideGuard({ all: { excludeNames: ["x"] } } as never), /all: only an enforcement level/);
            assert.throws(
                () => new StrideGuard({ exemptions: [{ control: "no-such-control", resource: "x", reason: "y" }] }),
                /exemptions\[0\]: no control named "no-such-control"/,
            );
            assert.throws(
                () => new StrideGuard({ exemptions: [{ control: "docker-container-memory-limit", resource: "x" } as never] }),
                /exemptions\.0: reason is required/,
            );
            const before = await checkProgram(REPO, { stack: "insecure-demo" });
            const memory = before.findings.filter(on("docker-container-memory-limit"));
            assert.ok(memory.length > 0);
            const guard = { exemptions: [{ control: "docker-container-memory-limit", resource: "*", reason: "sized by the orchestrator", expires: FUTURE }] };
            const after = await checkProgram(REPO, { stack: "insecure-demo", guard });
            assert.deepEqual(after.findings.filter(on("docker-container-memory-limit")), []);
            assert.equal((after.suppressed ?? []).filter(on("docker-container-memory-limit")).length, memory.length);
        });
    });

    describe("the pack over gRPC", () => {
        let client: PolicyPackClient;
        before(async () => {
            client = await PolicyPackClient.start(PACK_DIR, { project: "planted", stack: "dev", dryRun: true });
            await client.getAnalyzerInfo();
        });
        after(async () => client?.close());

        function captured(r: Res & { urn: string }): CapturedResource {
            return {
                type: r.type,
                name: r.name,
                urn: r.urn,
                props: r.props as Record<string, unknown>,
                custom: true,
                dependencies: [...(r.dependencies ?? [])],
                propertyDependencies: {},
                options: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [] },
                kind: "register",
            };
        }

        /** The planted stack of `control`, its reported resource's props changed by `change`, and the diagnostics of `control` on it. */
        async function diagnostics(control: string, change: (props: Record<string, unknown>) => Record<string, unknown>) {
            const stack = plantedStack(control).map(captured);
            const out = [];
            for (const r of stack) {
                const props = r.type.startsWith("kubernetes:apps") || r.type === "docker:index/container:Container" ? change(r.props) : r.props;
                out.push(...(await client.analyze(r, props)));
            }
            return out.filter((d) => d.policyName === control || /stride-guard\.dev\/ignore|exemption/.test(d.message));
        }
        const annotated = (value: string) => (p: Record<string, unknown>) => ({
            ...p,
            metadata: { ...(p.metadata as object), annotations: { [IGNORE]: value } },
        });
        const labelled = (value: string) => (p: Record<string, unknown>) => ({ ...p, labels: [{ label: IGNORE, value }] });

        it("an annotation on a Kubernetes input: the violation becomes an advisory note naming the reason", async () => {
            const control = "kubernetes-no-privileged-containers";
            await client.configure({ ...PLANTED_CONFIG, [control]: "mandatory" });
            const plain = await diagnostics(control, (p) => p);
            assert.ok(plain.some((d) => d.enforcementLevel === "mandatory"));
            const ds = await diagnostics(control, annotated(`${control}: CNI agent`));
            assert.ok(ds.length > 0);
            assert.deepEqual(
                ds.filter((d) => d.enforcementLevel !== "advisory"),
                [],
            );
            assert.ok(ds.every((d) => /suppressed by the annotation \("CNI agent"\)/.test(d.message)));
        });

        it("a label on a Docker container input: the violation becomes an advisory note", async () => {
            const control = "docker-container-memory-limit";
            await client.configure({ ...PLANTED_CONFIG, [control]: "mandatory" });
            assert.ok((await diagnostics(control, (p) => p)).some((d) => d.enforcementLevel === "mandatory"));
            const ds = await diagnostics(control, labelled(`${control}: sized by the orchestrator`));
            assert.ok(ds.length > 0);
            assert.ok(ds.every((d) => d.enforcementLevel === "advisory" && /suppressed by the label \("sized by the orchestrator"\)/.test(d.message)));
        });

        it("config exemptions through Configure: valid ones suppress, expired ones are reported as mandatory violations", async () => {
            const control = "docker-container-memory-limit";
            const resource = plantedStack(control).find((r) => r.type === "docker:index/container:Container")!.name;
            await client.configure({
                ...PLANTED_CONFIG,
                [control]: { enforcementLevel: "mandatory", exemptions: [{ resource, reason: "sized elsewhere", expires: FUTURE }] },
            });
            const ok = await diagnostics(control, (p) => p);
            assert.ok(ok.length > 0 && ok.every((d) => d.enforcementLevel === "advisory" && /suppressed by the config \("sized elsewhere"\)/.test(d.message)));
            await client.configure({
                ...PLANTED_CONFIG,
                [control]: { enforcementLevel: "mandatory", exemptions: [{ resource, reason: "sized elsewhere", expires: PAST }] },
            });
            const expired = await diagnostics(control, (p) => p);
            assert.ok(expired.some((d) => d.enforcementLevel === "mandatory" && /exemption for .* is refused: it expired on 2020-01-01/.test(d.message)));
            assert.ok(
                expired.some((d) => d.enforcementLevel === "mandatory" && !/refused/.test(d.message)),
                "the finding stands",
            );
        });

        it("a reasonless config exemption is rejected at Configure; unknown and reasonless annotations are reported, never suppressing", async () => {
            const control = "kubernetes-no-privileged-containers";
            const r = await client.tryConfigure({ [control]: { exemptions: [{ resource: "api" }] } });
            assert.equal(r.ok, false);
            await client.configure({ ...PLANTED_CONFIG, [control]: "mandatory" });
            for (const [value, pattern] of [
                [`kubernetes-no-privileged-container: CNI`, /names unknown control "kubernetes-no-privileged-container"/],
                [`${control}`, /has no reason/],
            ] as const) {
                const ds = await diagnostics(control, annotated(value));
                assert.ok(
                    ds.some((d) => d.policyName === control && d.enforcementLevel === "mandatory" && !/refused/.test(d.message)),
                    "the finding stands",
                );
                assert.ok(
                    ds.some((d) => pattern.test(d.message)),
                    `the refusal is reported: ${value}`,
                );
                assert.ok(!ds.some((d) => /suppressed by/.test(d.message)));
            }
        });

        it("a config exemption is validated from the schema the pack advertises: a misspelt key or a bad date is refused at Configure", async () => {
            const control = "docker-container-memory-limit";
            for (const [exemption, pattern] of [
                [{ resource: "web", reason: "x", expire: FUTURE }, /exemptions\.0: Additional property expire is not allowed/],
                [{ resource: "web", reason: "x", expires: "soon" }, /exemptions\.0\.expires: Does not match pattern/],
            ] as const) {
                const r = await client.tryConfigure({ [control]: { exemptions: [exemption] } });
                assert.equal(r.ok, false);
                assert.match((r as { message: string }).message, pattern);
            }
        });
    });

    describe("remediation is visible", () => {
        it("check shows what a remediate control fixed, with the value written, and not as a finding", async () => {
            const cfg = file("c.json", JSON.stringify({ "docker-container-memory-limit": "remediate", "docker-container-restart-on-failure": "remediate" }));
            const r = await cli(["check", REPO, "--stack", "insecure-demo", "--config", cfg, "--format", "json"]);
            const report = reportOf(r.out);
            assert.deepEqual(report.findings.filter(on("docker-container-memory-limit")), []);
            const fixed = (report.remediated ?? []).map((f) => `${f.control} ${f.resource.name} ${f.remediated?.path}=${f.remediated?.value}`);
            assert.ok(fixed.includes("docker-container-memory-limit web memory=512"), fixed.join("\n"));
            assert.ok(fixed.includes('docker-container-restart-on-failure web restart="on-failure"'), fixed.join("\n"));
            const text = await cli(["check", REPO, "--stack", "insecure-demo", "--config", cfg]);
            assert.match(text.out, /fixed by remediation/);
            assert.match(text.out, /✓ remediated {2}docker-container-memory-limit/);
            assert.match(text.out, /memory set to 512 by remediation/);
        });

        it("a suppressed finding is not remediated either: the team chose the value the fix would change", () => {
            const stack = plantedStack("docker-container-memory-limit");
            const remediating = reconciled({ ...PLANTED_CONFIG, "docker-container-memory-limit": "remediate" });
            assert.ok((analyze("x", stack, CONTROLS, remediating).remediated ?? []).length > 0);
            const cfg = reconciled({
                ...PLANTED_CONFIG,
                "docker-container-memory-limit": { enforcementLevel: "remediate", exemptions: [{ resource: "*", reason: "sized by the orchestrator" }] },
            });
            const report = analyze("x", stack, CONTROLS, cfg);
            assert.deepEqual(report.remediated ?? [], []);
            assert.ok((report.suppressed ?? []).some(on("docker-container-memory-limit")));
        });

        it("never prints a secret: the fix is shown, the secret inputs beside it are not", () => {
            const stack = plantedStack("docker-container-memory-limit").map((r) =>
                r.type === "docker:index/container:Container" ? { ...r, props: { ...(r.props as object), envs: [secret("TOKEN=hunter2-very-secret")] } } : r,
            );
            const cfg = reconciled({ ...PLANTED_CONFIG, "docker-container-memory-limit": "remediate" });
            const report = analyze("x", stack, CONTROLS, cfg);
            assert.ok((report.remediated ?? []).length > 0);
            assert.doesNotMatch(JSON.stringify(report), /hunter2/);
        });
    });
});
