import assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { scanManifests } from "stride-guard/lib/scan/index";
import { findOnPath, reason } from "stride-guard/lib/scan/render";
import { cli, tempDir } from "./helpers";

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: app
          image: registry.example.com/api:1.2.3
          securityContext: {privileged: true}
`;

/** A kustomization that sets a namespace and a name prefix: visible only if it was rendered. */
function kustomization(): string {
    const dir = tempDir("sg-kustomize-");
    fs.writeFileSync(path.join(dir, "kustomization.yaml"), "namespace: shop\nnamePrefix: prod-\nresources:\n  - deploy.yaml\n");
    fs.writeFileSync(path.join(dir, "deploy.yaml"), DEPLOY);
    return dir;
}

function chart(): string {
    const dir = tempDir("sg-chart-");
    fs.writeFileSync(path.join(dir, "Chart.yaml"), "apiVersion: v2\nname: demo\nversion: 0.1.0\n");
    fs.writeFileSync(path.join(dir, "values.yaml"), "privileged: true\n");
    fs.mkdirSync(path.join(dir, "templates"));
    fs.writeFileSync(
        path.join(dir, "templates", "pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n  containers:\n    - name: web\n      image: registry.example.com/web:1.0.0\n      securityContext:\n        privileged: {{ .Values.privileged }}\n",
    );
    return dir;
}

/** Runs `fn` with PATH set to `dirs` (the CLI looks programs up on it at each run). */
async function withPath<T>(dirs: string[], fn: () => Promise<T>): Promise<T> {
    const saved = process.env.PATH;
    process.env.PATH = dirs.join(path.delimiter);
    try {
        return await fn();
    } finally {
        process.env.PATH = saved;
    }
}

/** A directory holding one executable shell script named `name`. */
function fakeProgram(name: string, script: string): string {
    const dir = tempDir("sg-fake-bin-");
    fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
    return dir;
}

function skipUnlessFound(ctx: Mocha.Context, program: string): void {
    if (findOnPath(program, process.env) === undefined) {
        if (process.env.CI) throw new Error(`${program} is not on PATH, and CI is set`);
        ctx.skip();
    }
}

describe("scan k8s: kustomize and Helm rendering", function () {
    this.timeout(60_000);

    it("renders a directory with a kustomization.yaml through kubectl kustomize; findings point at the kustomization", async function () {
        skipUnlessFound(this, "kubectl");
        const dir = kustomization();
        const r = await cli(["scan", "k8s", dir, "--format", "json"]);
        assert.equal(r.code, 1, r.err);
        const report = JSON.parse(r.out).reports[0];
        assert.match(report.target, /^kubernetes manifests \(0 files, 1 rendered directory, 1 object\)/);
        const priv = report.findings.find((f: { control: string }) => f.control === "kubernetes-no-privileged-containers");
        assert.match(priv.message, /^Deployment "shop\/prod-api" container "app": /, "namespace and prefix come from kustomize");
        assert.equal(priv.resource.file, path.join(dir, "kustomization.yaml"));
        assert.equal(priv.resource.line, undefined, "lines of rendered output are not lines of the repository");
        // A plain directory next to it is still read file by file.
        const plain = tempDir("sg-plain-");
        fs.writeFileSync(path.join(plain, "d.yaml"), DEPLOY);
        const both = await cli(["scan", "k8s", dir, plain]);
        assert.equal(both.code, 1);
        assert.match(both.out, /^kubernetes manifests \(1 file, 1 rendered directory, 2 objects\)/);
    });

    it("refuses kustomize remote bases: no network, exit 2, the reason on one printable line", async function () {
        skipUnlessFound(this, "kubectl");
        const dir = tempDir("sg-kustomize-");
        fs.writeFileSync(
            path.join(dir, "kustomization.yaml"),
            "resources:\n  - https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v1.0.6\n",
        );
        const ok = kustomization();
        for (const isolation of ["auto", "env-only"] as const) {
            const { report, failed } = await scanManifests([dir, ok], { controls: CONTROLS, render: { isolation, timeoutMs: 30_000 } });
            assert.equal(failed.length, 1, isolation);
            assert.match(failed[0], new RegExp(`^kubectl kustomize ${dir} failed \\(exit 1\\): `), isolation);
            // Either the namespace has no network or the proxy refuses; never a fetched helloWorld.
            assert.match(failed[0], /network is unreachable|connection refused|not allowed|Could not resolve host/, failed[0]);
            assert.ok(!failed[0].includes("\n") && !failed[0].includes("\u001b"));
            assert.ok(report.resources === 1, "the other input is still scanned");
        }
        const r = await cli(["scan", "k8s", dir, ok]);
        assert.equal(r.code, 2, "fail closed: the remote kustomization was not checked");
        assert.match(r.err, /^stride-guard: kubectl kustomize .* failed \(exit 1\): /);
        assert.match(r.out, /kubernetes-no-privileged-containers/, "findings of what was read are still printed");
    });

    it("says when kubectl or helm is not on PATH, and exits 2 for that input", async () => {
        const empty = tempDir("sg-empty-bin-");
        const k = kustomization();
        const c = chart();
        const plain = tempDir("sg-plain-");
        fs.writeFileSync(path.join(plain, "d.yaml"), DEPLOY.replace("privileged: true", "privileged: false"));
        const r = await withPath([empty], () => cli(["scan", "k8s", k, c, plain]));
        assert.equal(r.code, 2);
        assert.match(r.err, new RegExp(`^stride-guard: kubectl not found on PATH: kustomization ${k} not rendered$`, "m"));
        assert.match(r.err, new RegExp(`^stride-guard: helm not found on PATH: chart ${c} not rendered$`, "m"));
        assert.match(r.out, /^kubernetes manifests \(1 file, 1 object\)/);
        assert.match(r.out, /\n {2}error: helm not found on PATH: chart .* not rendered\n/);
        const json = await withPath([empty], () => cli(["scan", "k8s", c, "--format", "json"]));
        assert.equal(json.code, 2);
        assert.deepEqual(JSON.parse(json.out).reports[0].errors, [`helm not found on PATH: chart ${c} not rendered`]);
    });

    it("renders a Helm chart with helm template when helm is on PATH", async function () {
        skipUnlessFound(this, "helm");
        const c = chart();
        const r = await cli(["scan", "k8s", c, "--format", "json"]);
        assert.equal(r.code, 1, r.err);
        const report = JSON.parse(r.out).reports[0];
        const priv = report.findings.find((f: { control: string }) => f.control === "kubernetes-no-privileged-containers");
        assert.match(priv.message, /^Pod "stride-guard-scan-web" container "web": /, "the template was rendered with the chart's values");
        assert.equal(priv.resource.file, path.join(c, "Chart.yaml"));
    });

    it("bounds the programs' time and output, and strips control characters from what they print", async () => {
        const k = kustomization();
        const slow = fakeProgram("kubectl", "exec /bin/sleep 30");
        const t = await scanManifests([k], { controls: CONTROLS, render: { env: { PATH: slow }, timeoutMs: 300 } });
        assert.deepEqual(t.failed, [`kubectl kustomize ${k}: did not finish within 300 ms; not rendered`]);
        // A descendant that leaves the process group and keeps the output pipe open (longer than this suite's timeout) does not hold the scan.
        const escapee = fakeProgram("kubectl", "/usr/bin/setsid /bin/sleep 90 &\nexec /bin/sleep 30");
        const e2 = await scanManifests([k], { controls: CONTROLS, render: { env: { PATH: escapee }, timeoutMs: 300 } });
        assert.deepEqual(e2.failed, [`kubectl kustomize ${k}: did not finish within 300 ms; not rendered`]);
        const loud = fakeProgram("kubectl", "exec /usr/bin/yes 'apiVersion: v1'");
        const o = await scanManifests([k], { controls: CONTROLS, render: { env: { PATH: loud }, maxOutputBytes: 1024 * 1024 } });
        assert.deepEqual(o.failed, [`kubectl kustomize ${k}: printed more than 1 MiB; not rendered`]);
        const rude = fakeProgram(
            "kubectl",
            `printf 'E1202 18:17:35.134723    4526 run.go:72] "command failed" err=<\\n\\tbad \\033[31mthing\\007\\n\\tsecond line\\n >\\n' >&2; exit 1`,
        );
        const e = await scanManifests([k], { controls: CONTROLS, render: { env: { PATH: rude } } });
        assert.deepEqual(e.failed, [`kubectl kustomize ${k} failed (exit 1): bad [31mthing second line`]);
        const relative = await scanManifests([k], { controls: CONTROLS, render: { env: { PATH: `.${path.delimiter}bin` } } });
        assert.match(relative.failed[0], /^kubectl not found on PATH/, "relative PATH entries are never searched");
    });

    it("reason(): one printable line from a program's stderr", () => {
        assert.equal(reason(""), "no message");
        assert.equal(reason("Error: \u001b[1mchart\u001b[0m invalid\n\u202eoops\n"), "Error: [1mchart[0m invalid oops");
        assert.equal(reason("x".repeat(5000)).length, 400);
    });
});
