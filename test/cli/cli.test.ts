import assert from "assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "stride-guard/lib/cli/main";
import { CONTROLS, controlById } from "stride-guard/lib/controls/index";
import { Control } from "stride-guard/lib/contract/control";

const SAMPLE = path.resolve(__dirname, "../../../test/fixtures/projects/sample");
const ORIGINAL: Control[] = [
    "docker-container-memory-limit",
    "docker-container-restart-on-failure",
    "docker-daemon-auditing",
    "kubernetes-no-privileged-containers",
].map((id) => controlById(id)!);

async function cli(args: string[], controls: readonly Control[] = ORIGINAL): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t) }, controls);
    return { code, out, err };
}

function tempFile(content: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sg-cli-"));
    const f = path.join(dir, "config.json");
    fs.writeFileSync(f, content);
    return f;
}

describe("stride-guard CLI", function () {
    this.timeout(60_000);

    describe("check", () => {
        it("exits 0 on a clean stack and 1 on a stack with mandatory violations, grouped by STRIDE", async () => {
            const clean = await cli(["check", SAMPLE, "--stack", "hardened"]);
            assert.equal(clean.code, 0, clean.out + clean.err);
            assert.match(clean.out, /^stack hardened: no findings \(4 controls, \d+ resources\)/);
            const bad = await cli(["check", SAMPLE, "--stack", "violating"]);
            assert.equal(bad.code, 1);
            assert.match(bad.out, /stack violating: 3 mandatory, 0 advisory/);
            assert.match(bad.out, /D — Denial of service\n {4}✗ mandatory {2}docker-container-memory-limit {2}\[CIS Docker 5\.11 \(legacy 5\.10\)\]/);
            assert.match(bad.out, /E — Elevation of privilege/);
            assert.match(bad.out, /fix: /);
        });

        it("checks every stack when none is named, and prints stable JSON", async () => {
            const r = await cli(["check", SAMPLE, "--format", "json"]);
            assert.equal(r.code, 1);
            const doc = JSON.parse(r.out) as {
                version: number;
                reports: { target: string; findings: { control: string; stride: string; level: string; benchmarks: object; resource: { type: string } }[] }[];
            };
            assert.equal(doc.version, 1);
            assert.deepEqual(
                doc.reports.map((x) => x.target),
                ["stack hardened", "stack violating"],
            );
            const f = doc.reports[1].findings.find((x) => x.control === "kubernetes-no-privileged-containers")!;
            assert.equal(f.stride, "E");
            assert.equal(f.level, "mandatory");
            assert.deepEqual(f.benchmarks, { cisKubernetes: ["5.2.2"], pss: "baseline" });
            assert.equal(f.resource.type, "kubernetes:apps/v1:Deployment");
        });

        it("prints SARIF and JUnit for check too, with the exit code of the findings", async () => {
            const sarif = await cli(["check", SAMPLE, "--stack", "violating", "--format", "sarif"]);
            assert.equal(sarif.code, 1, sarif.err);
            const doc = JSON.parse(sarif.out) as { version: string; runs: { results: { ruleId: string; level: string }[] }[] };
            assert.equal(doc.version, "2.1.0");
            assert.deepEqual(doc.runs[0].results.map((r) => r.ruleId).sort(), [
                "docker-container-memory-limit",
                "docker-container-restart-on-failure",
                "kubernetes-no-privileged-containers",
            ]);
            assert.ok(doc.runs[0].results.every((r) => r.level === "error"));
            const junit = await cli(["check", SAMPLE, "--stack", "violating", "--format", "junit"]);
            assert.equal(junit.code, 1, junit.err);
            assert.match(junit.out, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="stride-guard" tests="\d+" failures="3" errors="0">/);
            assert.match(junit.out, /<testsuite name="stack violating"/);
            const bad = await cli(["check", SAMPLE, "--format", "xml"]);
            assert.equal(bad.code, 2);
            assert.match(bad.err, /--format takes text, json, sarif or junit, not "xml"/);
        });

        it("applies a --policy-pack-config style file: levels and settings", async () => {
            const cfg = tempFile(JSON.stringify({ all: "advisory", "docker-container-memory-limit": { maxMemoryMb: 128 } }));
            const r = await cli(["check", SAMPLE, "--stack", "hardened", "--config", cfg]);
            assert.equal(r.code, 0, "advisory findings do not fail");
            assert.match(r.out, /256 MB exceeds the allowed maximum of 128 MB/);
        });

        it("exits 2 with the CLI's message on an invalid or misspelt config, naming policy and key", async () => {
            const wrongType = await cli(["check", SAMPLE, "--config", tempFile(JSON.stringify({ "docker-container-memory-limit": { maxMemoryMb: "big" } }))]);
            assert.equal(wrongType.code, 2);
            assert.match(
                wrongType.err,
                /validating policy config: stride-guard \S+ {2}docker-container-memory-limit: maxMemoryMb: Invalid type\. Expected: integer, given: string/,
            );
            const misspelt = await cli(["check", SAMPLE, "--config", tempFile(JSON.stringify({ "docker-container-memory-limit": { maxMemory: 1 } }))]);
            assert.equal(misspelt.code, 2);
            assert.match(misspelt.err, /docker-container-memory-limit: Additional property maxMemory is not allowed/);
            const notJson = await cli(["check", SAMPLE, "--config", tempFile("{ nope")]);
            assert.equal(notJson.code, 2);
            assert.match(notJson.err, /is not valid JSON/);
        });

        it("exits 2 on usage and input errors with a message saying what is wrong", async () => {
            const noProject = await cli(["check", path.join(os.tmpdir(), "definitely-not-a-project")]);
            assert.equal(noProject.code, 2);
            assert.match(noProject.err, /no Pulumi\.yaml/);
            const badFormat = await cli(["check", SAMPLE, "--format", "xml"]);
            assert.equal(badFormat.code, 2);
            assert.match(badFormat.err, /--format takes text, json, sarif or junit/);
            const badFlag = await cli(["check", "--bogus"]);
            assert.equal(badFlag.code, 2);
            assert.match(badFlag.err, /usage:/);
            const unknownStack = await cli(["check", SAMPLE, "--stack", "nope"]);
            assert.equal(unknownStack.code, 2);
        });

        it("checks Kubernetes objects a program loads from YAML files (k8s.yaml.ConfigFile children)", async () => {
            const dir = path.resolve(__dirname, "../../../test/fixtures/projects/yaml-children");
            const r = await cli(["check", dir, "--format", "json"], ORIGINAL);
            assert.equal(r.code, 1, r.err);
            const [f] = (JSON.parse(r.out) as { reports: { findings: { control: string; resource: { type: string; name: string } }[] }[] }).reports[0].findings;
            assert.equal(f.control, "kubernetes-no-privileged-containers");
            assert.equal(f.resource.type, "kubernetes:apps/v1:Deployment");
        });

        it("never prints secret config values", async () => {
            const r = await cli(["check", SAMPLE, "--stack", "violating", "--format", "json"], CONTROLS);
            assert.ok(!r.out.includes("v1:AAAA"));
        });
    });

    describe("check on the reference stacks (the README's main job)", () => {
        const REPO = path.resolve(__dirname, "../../..");

        it("docker-host and kubernetes-cluster report zero findings against every control", async () => {
            const r = await cli(["check", REPO, "--stack", "docker-host", "--stack", "kubernetes-cluster", "--format", "json"], CONTROLS);
            assert.equal(r.code, 0, r.out + r.err);
            const doc = JSON.parse(r.out) as { reports: { target: string; controls: number; findings: unknown[] }[] };
            assert.deepEqual(
                doc.reports.map((x) => [x.target, x.controls, x.findings.length]),
                [
                    ["stack docker-host", CONTROLS.length, 0],
                    ["stack kubernetes-cluster", CONTROLS.length, 0],
                ],
            );
        });

        it("insecure-demo exits 1 with mandatory findings for S, T, R, I, D and E on both sides", async () => {
            const r = await cli(["check", REPO, "--stack", "insecure-demo", "--format", "json"], CONTROLS);
            assert.equal(r.code, 1);
            const findings = (JSON.parse(r.out) as { reports: { findings: { stride: string; level: string; control: string }[] }[] }).reports[0].findings;
            for (const side of ["docker-", "kubernetes-"]) {
                for (const letter of ["S", "T", "R", "I", "D", "E"]) {
                    assert.ok(
                        findings.some((f) => f.level === "mandatory" && f.stride === letter && f.control.startsWith(side)),
                        `${side} ${letter}`,
                    );
                }
            }
        });

        it("--new-stack checks the first preview: generated keys and certificates are unknown, reported as advisory", async () => {
            const r = await cli(["check", REPO, "--stack", "docker-host", "--new-stack", "--format", "json"], CONTROLS);
            assert.equal(r.code, 0, r.err);
            const findings = (JSON.parse(r.out) as { reports: { findings: { level: string; unknown?: boolean }[] }[] }).reports[0].findings;
            assert.ok(findings.length > 0);
            assert.ok(findings.every((f) => f.level === "advisory" && f.unknown === true));
        });
    });

    describe("list", () => {
        it("filters by STRIDE letter, CIS id (current or legacy) and target", async () => {
            const d = await cli(["list", "--stride", "d"], CONTROLS);
            assert.equal(d.code, 0);
            assert.ok(
                d.out
                    .split("\n")
                    .filter(Boolean)
                    .every((l) => l.startsWith("D ")),
            );
            const byCis = await cli(["list", "--cis", "5.14", "--format", "json"], CONTROLS);
            const ids = (JSON.parse(byCis.out) as { id: string }[]).map((c) => c.id);
            assert.ok(ids.includes("docker-container-restart-on-failure"), "legacy 5.14 is the restart control");
            const k8s = JSON.parse((await cli(["list", "--target", "kubernetes", "--format", "json"], CONTROLS)).out) as { id: string }[];
            assert.ok(k8s.length > 0 && k8s.every((c) => c.id.startsWith("kubernetes-")));
        });

        it("says which benchmarks a listed CIS id is in: the same id means different things in each", async () => {
            const r = await cli(["list", "--cis", "5.14"], CONTROLS);
            assert.equal(r.code, 0);
            assert.match(
                r.out,
                /\nCIS id 5\.14 is in CIS Docker 1\.6\.0 \(docker-container-published-ports\); CIS Docker 1\.2\.0 \(legacy numbering\) \(docker-container-restart-on-failure\)\n$/,
            );
            const json = await cli(["list", "--cis", "5.14", "--format", "json"], CONTROLS);
            assert.doesNotThrow(() => JSON.parse(json.out), "JSON output stays pure JSON");
        });

        it("exits 2 when --cis matches nothing, saying so and naming the benchmark the id belongs to", async () => {
            const none = await cli(["list", "--cis", "9.99"], CONTROLS);
            assert.equal(none.code, 2);
            assert.equal(none.out, "");
            assert.equal(
                none.err,
                "stride-guard: no control has CIS id 9.99 in CIS Docker 1.6.0, CIS Docker 1.2.0 (legacy numbering) or CIS Kubernetes 1.12\n",
            );
            const other = await cli(["list", "--cis", "1.2.16", "--target", "docker"], CONTROLS);
            assert.equal(other.code, 2);
            assert.equal(
                other.err,
                "stride-guard: no control matches --target docker --cis 1.2.16; CIS id 1.2.16 is in CIS Kubernetes 1.12 (kubernetes-audit-logging)\n",
            );
            const legacyOnly = await cli(["list", "--cis", "5.15", "--target", "kubernetes", "--format", "json"], CONTROLS);
            assert.equal(legacyOnly.code, 2);
            assert.match(
                legacyOnly.err,
                /CIS Docker 1\.6\.0 \(docker-container-restart-on-failure\); CIS Docker 1\.2\.0 \(legacy numbering\) \(docker-container-host-namespaces\)\n$/,
            );
            const hostile = await cli(["list", "--cis", "9.9\u001b[2J"], CONTROLS);
            assert.equal(hostile.code, 2);
            assert.ok(!hostile.err.includes("\u001b"), "control characters from the command line are not echoed");
        });

        it("rejects an unknown STRIDE letter", async () => {
            const r = await cli(["list", "--stride", "X"]);
            assert.equal(r.code, 2);
        });
    });
});
