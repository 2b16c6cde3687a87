/**
 * `--write-baseline`, `--baseline` and `--fail-on` on `check` and `scan`, through the CLI.
 * A baseline holds stable fingerprints (control, resource identity, field path): moving or reformatting a file
 * changes nothing; a new finding is reported, the known ones are shown as suppressed by the baseline, and the
 * entries no finding matched are counted as gone. The baseline file is hostile input like any other.
 */
import assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { BaselineFile, identityOf } from "stride-guard/lib/check/baseline";
import { locateJsonError } from "stride-guard/lib/config/json-text";
import { Report } from "stride-guard/lib/check/report";
import { cli, fixture, tempDir } from "../scan/helpers";

const REPO = path.resolve(__dirname, "../../..");
const reportOf = (out: string): Report => (JSON.parse(out) as { reports: Report[] }).reports[0];

const POD = (name: string, extra = "") => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: shop
spec:
  containers:
    - name: app
      image: registry.example.com/app@sha256:${"e".repeat(64)}
${extra}`;

function write(dir: string, name: string, text: string): string {
    const f = path.join(dir, name);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, text);
    return f;
}

function positionOf(text: string): { line: number; column: number } {
    const { line, column } = locateJsonError(text);
    return { line, column };
}

describe("baselines and --fail-on", function () {
    this.timeout(120_000);

    it("--write-baseline records sorted, versioned fingerprints without line numbers, file names or messages", async () => {
        const dir = tempDir("sg-baseline-");
        const b = path.join(dir, "baseline.json");
        const r = await cli(["scan", "k8s", fixture("k8s", "workloads.yaml"), "--write-baseline", b]);
        assert.equal(r.code, 1, "the findings still count when a baseline is written");
        const doc = JSON.parse(fs.readFileSync(b, "utf8")) as BaselineFile;
        assert.equal(doc.version, 1);
        assert.equal(doc.tool, "stride-guard");
        assert.ok(doc.findings.length > 0);
        const keys = doc.findings.map((e) => JSON.stringify([e.control, e.resource, e.path]));
        assert.deepEqual(keys, [...keys].sort());
        const text = fs.readFileSync(b, "utf8");
        assert.doesNotMatch(text, /workloads\.yaml|"line"|"message"/);
        for (const e of doc.findings)
            assert.deepEqual(Object.keys(e).sort(), e.count ? ["control", "count", "path", "resource"] : ["control", "path", "resource"]);
        assert.ok(doc.findings.some((e) => e.resource.startsWith("kubernetes:core/v1:Pod::") && e.path.startsWith("spec.")));
    });

    it("--baseline: a moved and reformatted file has no new finding (exit 0); the known ones are suppressed by the baseline", async () => {
        const dir = tempDir("sg-baseline-");
        const b = path.join(dir, "baseline.json");
        const original = fs.readFileSync(fixture("k8s", "workloads.yaml"), "utf8");
        await cli(["scan", "k8s", write(dir, "a/workloads.yaml", original), "--write-baseline", b]);
        const moved = write(dir, "b/renamed.yaml", "# moved and reformatted\n\n\n" + original);
        const r = await cli(["scan", "k8s", moved, "--baseline", b, "--format", "json"]);
        assert.equal(r.code, 0, r.out);
        const report = reportOf(r.out);
        assert.deepEqual(report.findings, []);
        assert.ok((report.suppressed ?? []).length > 0);
        for (const f of report.suppressed ?? []) assert.deepEqual(f.suppressed, { reason: `in the baseline ${b}`, source: "baseline" });
        assert.deepEqual(report.baseline, { file: b, matched: report.suppressed?.length, gone: 0 });

        const sarif = await cli(["scan", "k8s", moved, "--baseline", b, "--format", "sarif"]);
        const results = (JSON.parse(sarif.out) as { runs: { results: { suppressions?: { kind: string }[] }[] }[] }).runs[0].results;
        assert.ok(results.length > 0);
        assert.ok(results.every((x) => x.suppressions?.[0]?.kind === "external"));
    });

    it("--baseline reports only new findings, and says how many baseline entries are gone", async () => {
        const dir = tempDir("sg-baseline-");
        const b = path.join(dir, "baseline.json");
        const old = write(dir, "old.yaml", POD("kept") + "---\n" + POD("removed"));
        const written = await cli(["scan", "k8s", old, "--write-baseline", b, "--format", "json"]);
        const perPod = reportOf(written.out).findings.filter((f) => f.resource.name === "removed").length;
        assert.ok(perPod > 0);
        const now = write(dir, "now.yaml", POD("kept") + "---\n" + POD("added", "      securityContext:\n        privileged: true\n"));
        const r = await cli(["scan", "k8s", now, "--baseline", b, "--format", "json"]);
        assert.equal(r.code, 1);
        const report = reportOf(r.out);
        assert.deepEqual([...new Set(report.findings.map((f) => f.resource.name))], ["added"]);
        assert.ok(report.findings.some((f) => f.control === "kubernetes-no-privileged-containers"));
        assert.ok((report.suppressed ?? []).every((f) => f.resource.name === "kept"));
        // Findings that do not depend on the pod's name (the namespace's) are matched whichever pod carries them.
        assert.ok(report.baseline!.gone > 0 && report.baseline!.gone <= perPod, `gone ${report.baseline!.gone}`);
        const text = await cli(["scan", "k8s", now, "--baseline", b]);
        assert.match(
            text.out,
            new RegExp(
                `baseline ${b.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: ${report.baseline!.matched} known finding\\(s\\) suppressed, ${report.baseline!.gone} baseline entr`,
            ),
        );
    });

    it("check: a baseline of insecure-demo holds on the next run (exit 0); the resource identity is the URN", async () => {
        const b = path.join(tempDir("sg-baseline-"), "demo.json");
        const first = await cli(["check", REPO, "--stack", "insecure-demo", "--write-baseline", b]);
        assert.equal(first.code, 1);
        const doc = JSON.parse(fs.readFileSync(b, "utf8")) as BaselineFile;
        assert.ok(doc.findings.every((e) => e.resource === "" || e.resource.startsWith("urn:pulumi:insecure-demo::")));
        const again = await cli(["check", REPO, "--stack", "insecure-demo", "--baseline", b, "--format", "json"]);
        assert.equal(again.code, 0, again.out.slice(0, 2000));
        assert.equal(reportOf(again.out).baseline?.gone, 0);
    });

    it("the resource identity drops what moves: the file and document index of a manifest, a container's id", () => {
        assert.equal(
            identityOf({
                urn: "urn:stride-guard:k8s::/a/b.yaml#3::kubernetes:apps/v1:Deployment::shop/api::templates/api.yaml",
                type: "kubernetes:apps/v1:Deployment",
                name: "api",
            }),
            "kubernetes:apps/v1:Deployment::shop/api",
        );
        assert.equal(
            identityOf({
                urn: "urn:stride-guard:docker-engine::unix:///run/docker.sock::docker:engine/container::web::0123456789ab",
                type: "docker:engine/container",
                name: "web",
            }),
            "docker:engine/container::web",
        );
        assert.equal(
            identityOf({ urn: "urn:pulumi:prod::p::docker:index/container:Container::web", type: "docker:index/container:Container", name: "web" }),
            "urn:pulumi:prod::p::docker:index/container:Container::web",
        );
    });

    describe("the baseline file is hostile input", () => {
        const manifest = () => fixture("k8s", "workloads.yaml");
        const run = (b: string) => cli(["scan", "k8s", manifest(), "--baseline", b]);

        it("a missing file, a directory, a file over 16 MiB: exit 2 with one line naming it", async () => {
            const dir = tempDir("sg-baseline-");
            const missing = await run(path.join(dir, "nope.json"));
            assert.equal(missing.code, 2);
            assert.match(missing.err, /cannot read the baseline .*nope\.json: ENOENT/);
            const isDir = await run(dir);
            assert.equal(isDir.code, 2);
            assert.match(isDir.err, /is not a regular file/);
            const big = path.join(dir, "big.json");
            fs.writeFileSync(big, "");
            fs.truncateSync(big, 17 * 1024 * 1024);
            const huge = await run(big);
            assert.equal(huge.code, 2);
            assert.match(huge.err, /larger than 16 MiB/);
            assert.equal(huge.out, "", "nothing was scanned");
        });

        it("invalid JSON: file:line:column, never the text", async () => {
            const dir = tempDir("sg-baseline-");
            const b = write(dir, "bad.json", '{\n  "version": 1,\n  "findings": [\n    {"control": "AKIAIOSFODNN7EXAMPLE" "resource": "x"}\n  ]\n}\n');
            const r = await run(b);
            assert.equal(r.code, 2);
            assert.match(r.err, new RegExp(`${b.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:4:40: the baseline is not valid JSON`));
            assert.doesNotMatch(r.err, /AKIA/);
            assert.equal(r.err.trim().split("\n").length, 1);
        });

        it("a wrong shape: the version, unknown keys, wrong types, named by entry and never echoed", async () => {
            const dir = tempDir("sg-baseline-");
            for (const [doc, pattern] of [
                [{ version: 2, findings: [] }, /version must be 1/],
                [{ version: 1 }, /findings must be a list/],
                [{ version: 1, findings: [], secretKEY9: 1 }, /unknown key "secretKEY9"/],
                [{ version: 1, findings: [{ control: "a", resource: "b", path: 3 }] }, /findings\[0\]\.path must be a string/],
                [{ version: 1, findings: [{ control: "a", resource: "b", path: "", count: 0 }] }, /findings\[0\]\.count must be a whole number/],
                [{ version: 1, findings: [{ control: "hunter2", resource: "b", path: "", extra: "hunter2" }] }, /findings\[0\] has unknown key "extra"/],
                [[], /not a JSON object/],
            ] as const) {
                const r = await run(write(dir, "b.json", JSON.stringify(doc)));
                assert.equal(r.code, 2, JSON.stringify(doc));
                assert.match(r.err, pattern);
                assert.doesNotMatch(r.err, /hunter2/);
            }
        });

        it("the JSON error locator finds the first error", () => {
            assert.deepEqual(positionOf('{"a":}'), { line: 1, column: 6 });
            assert.deepEqual(positionOf('{"a":1,}'), { line: 1, column: 8 });
            assert.deepEqual(positionOf("[1,\n2"), { line: 2, column: 2 });
            assert.deepEqual(positionOf('{"a": tru}'), { line: 1, column: 7 });
            assert.deepEqual(positionOf("{} x"), { line: 1, column: 4 });
            assert.deepEqual(positionOf("[".repeat(100_000)), { line: 1, column: 100_001 });
        });

        it("--write-baseline is refused when an input could not be read: no partial baseline is written (exit 2)", async () => {
            const dir = tempDir("sg-baseline-");
            const b = path.join(dir, "b.json");
            const r = await cli(["scan", "k8s", manifest(), path.join(dir, "missing.yaml"), "--write-baseline", b]);
            assert.equal(r.code, 2);
            assert.match(r.err, /baseline .* was not written: some input could not be read/);
            assert.equal(fs.existsSync(b), false);
        });
    });

    describe("--fail-on", () => {
        /** Only `control` mandatory (severity medium): the exit depends on it alone. */
        const config = () => write(tempDir("sg-failon-"), "c.json", JSON.stringify({ all: "advisory", "kubernetes-container-resources": "mandatory" }));

        it("scan: exit 1 only for mandatory findings at or above the threshold", async () => {
            const m = fixture("k8s", "workloads.yaml");
            const cfg = config();
            const json = reportOf((await cli(["scan", "k8s", m, "--config", cfg, "--format", "json"])).out);
            assert.deepEqual([...new Set(json.findings.filter((f) => f.level === "mandatory").map((f) => f.severity))], ["medium"]);
            for (const [threshold, code] of [
                [undefined, 1],
                ["low", 1],
                ["medium", 1],
                ["high", 0],
                ["critical", 0],
            ] as const) {
                const r = await cli(["scan", "k8s", m, "--config", cfg, ...(threshold ? ["--fail-on", threshold] : [])]);
                assert.equal(r.code, code, `--fail-on ${threshold}`);
                // The findings below the threshold are still shown.
                assert.match(r.out, /✗ mandatory {2}kubernetes-container-resources/);
            }
        });

        it("check: the same threshold; a bad value is a usage error (exit 2)", async () => {
            const all = await cli(["check", REPO, "--stack", "insecure-demo", "--fail-on", "critical", "--format", "json"]);
            const critical = reportOf(all.out).findings.some((f) => f.level === "mandatory" && f.severity === "critical");
            assert.equal(all.code, critical ? 1 : 0);
            const cfg = write(tempDir("sg-failon-"), "c.json", JSON.stringify({ all: "advisory", "docker-container-memory-limit": "mandatory" }));
            assert.equal((await cli(["check", REPO, "--stack", "insecure-demo", "--config", cfg])).code, 1);
            assert.equal((await cli(["check", REPO, "--stack", "insecure-demo", "--config", cfg, "--fail-on", "critical"])).code, 0);
            const bad = await cli(["check", REPO, "--stack", "insecure-demo", "--fail-on", "severe"]);
            assert.equal(bad.code, 2);
            assert.match(bad.err, /--fail-on takes low, medium, high or critical, not "severe"/);
        });
    });
});
