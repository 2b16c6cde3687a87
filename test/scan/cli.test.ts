import assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { cli, fixture, tempDir } from "./helpers";

describe("stride-guard scan (CLI)", function () {
    this.timeout(60_000);

    it("exits 0 on clean input, 1 on a mandatory finding, grouped by STRIDE in text", async () => {
        const clean = await cli(["scan", "compose", fixture("compose", "hardened-v3.yml")]);
        assert.equal(clean.code, 0, clean.out + clean.err);
        assert.match(clean.out, /^compose files \(1 file, 2 services\): no findings \(\d+ controls, 2 resources\)\n$/);
        const bad = await cli(["scan", "compose", fixture("compose", "insecure-v2.yml")]);
        assert.equal(bad.code, 1);
        assert.match(
            bad.out,
            /\n {2}E — Elevation of privilege\n {4}✗ mandatory {2}docker-container-not-privileged {2}\[CIS Docker 5\.5 \(legacy 5\.4\)\]\n {6}.*insecure-v2\.yml:5:5\n {6}Compose service "web": privileged: is true/,
        );
    });

    it("prints the stable JSON shape", async () => {
        const r = await cli(["scan", "k8s", fixture("k8s", "nested", "list.json"), "--format", "json"]);
        assert.equal(r.code, 1);
        const doc = JSON.parse(r.out);
        assert.equal(doc.version, 1);
        assert.equal(doc.reports.length, 1);
        const f = doc.reports[0].findings.find((x: any) => x.control === "kubernetes-no-host-namespaces");
        // `path`: the source path of the field at fault (what baselines fingerprint).
        assert.deepEqual(Object.keys(f).sort(), [
            "benchmarks",
            "column",
            "control",
            "level",
            "line",
            "message",
            "path",
            "remediation",
            "resource",
            "severity",
            "stride",
            "title",
        ]);
        assert.equal(f.path, "spec.template.spec.hostNetwork");
        assert.deepEqual(f.resource, {
            urn: f.resource.urn,
            type: "kubernetes:apps/v1:DaemonSet",
            name: "node-agent",
            file: fixture("k8s", "nested", "list.json"),
            line: 11,
        });
        assert.deepEqual([f.line, f.column], [20, 13], "the field, inside the List item that starts at line 11");
    });

    it("reads - from stdin", async () => {
        const r = await cli(["scan", "k8s", "-"], {
            stdin: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {hostNetwork: true, containers: [{name: c, image: i}]}\n",
        });
        assert.equal(r.code, 1);
        assert.match(r.out, /\(stdin\):4:8\n {6}Pod "p": spec\.hostNetwork: /);
    });

    it("reports unreadable inputs and scans the rest, but exits 2: a verdict over part of the input is not a pass", async () => {
        const some = await cli(["scan", "k8s", "/nonexistent.yaml", fixture("k8s", "workloads.yaml")]);
        assert.equal(some.code, 2);
        assert.match(some.out, /✗ mandatory/, "what could be read is still reported");
        assert.match(some.out, /\n {2}error: \/nonexistent\.yaml: cannot read: no such file or directory\n/);
        assert.match(some.out, /✗ mandatory/, "the readable file is still scanned and reported");
        assert.equal(some.err, "stride-guard: 1 input(s) could not be read (listed above); the rest was scanned\n");
        const json = await cli(["scan", "k8s", "/nonexistent.yaml", fixture("k8s", "workloads.yaml"), "--format", "json"]);
        assert.equal(json.code, 2);
        assert.ok(JSON.parse(json.out).reports[0].findings.length > 0);
        const dir = tempDir();
        const bad = path.join(dir, "bad.yaml");
        fs.writeFileSync(bad, "apiVersion: v1\nkind: Pod\nmetadata: {name: x\n");
        const none = await cli(["scan", "k8s", bad, "/nonexistent.yaml"]);
        assert.equal(none.code, 2);
        assert.match(
            none.err,
            /^stride-guard: nothing could be read:\n {2}\/nonexistent\.yaml: cannot read: no such file or directory\n {2}.*bad\.yaml:\d+:\d+: invalid YAML: /,
        );
        const onlyIgnored = await cli(["scan", "k8s", fixture("k8s", "crds.yaml")]);
        assert.equal(onlyIgnored.code, 0, "CRDs are ignored, not errors");
        assert.match(onlyIgnored.out, /ignored 2: CustomResourceDefinition 1, cert-manager\.io Certificate 1\): no findings/);
    });

    it("applies --config like the policy pack, and rejects a bad one with exit 2", async () => {
        const dir = tempDir();
        const cfg = path.join(dir, "c.json");
        fs.writeFileSync(cfg, JSON.stringify({ all: "advisory" }));
        const r = await cli(["scan", "compose", fixture("compose", "insecure-v2.yml"), "--config", cfg]);
        assert.equal(r.code, 0, "every finding is advisory");
        assert.match(r.out, /: 0 mandatory, \d+ advisory/);
        fs.writeFileSync(cfg, JSON.stringify({ "docker-container-memory-limit": { maxMemoryMB: 1 } }));
        const typo = await cli(["scan", "compose", fixture("compose", "insecure-v2.yml"), "--config", cfg]);
        assert.equal(typo.code, 2);
        assert.match(typo.err, /maxMemoryMB/);
    });

    it("rejects wrong command lines with exit 2 and the usage", async () => {
        const cases: [string[], RegExp][] = [
            [["scan"], /scan needs a source: k8s, compose, dockerfile, docker or host/],
            [["scan", "helm", "x"], /scan takes k8s, compose, dockerfile, docker or host, not "helm"/],
            [["scan", "k8s"], /scan k8s needs at least one PATH/],
            [["scan", "k8s", "x", "--format", "xml"], /--format takes text, json, sarif or junit, not "xml"/],
            [["scan", "compose", "x", "--host", "unix:///x"], /--host is an option of scan docker/],
            [["scan", "docker", "some/path"], /scan docker takes no paths: use --inspect FILE/],
            [["scan", "docker", "--inspect", "f.json", "--host", "unix:///x"], /--inspect reads files; it excludes --host/],
            [["scan", "k8s", "x", "--bogus"], /Unknown option '--bogus'/],
        ];
        for (const [args, re] of cases) {
            const r = await cli(args);
            assert.equal(r.code, 2, args.join(" "));
            assert.match(r.err, re);
            assert.match(r.err, /usage:\n {2}stride-guard scan k8s PATH/, "the usage of scan, not of every command");
            assert.doesNotMatch(r.err, /stride-guard check/);
        }
        const help = await cli(["--help"]);
        assert.match(help.out, /stride-guard scan k8s PATH\.\.\./);
        assert.match(help.out, /stride-guard scan docker \[--host URL\]/);
    });
});
