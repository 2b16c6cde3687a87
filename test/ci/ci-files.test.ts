import assert from "assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { findOnPath } from "stride-guard/lib/scan/render";
import { validate } from "../scan/json-schema";

/** The repository root, from dist/test/ci. */
const ROOT = path.resolve(__dirname, "../../..");
const SAMPLE = path.join(ROOT, "test/fixtures/projects/sample");
const SARIF_SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, "test/fixtures/scan/sarif-schema-2.1.0.json"), "utf8"));

const PRIVILEGED =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: priv}\nspec:\n  containers:\n    - name: c\n      image: registry.example.com/app:1.0.0\n      securityContext: {privileged: true}\n";

interface Step {
    name?: string;
    id?: string;
    uses?: string;
    run?: string;
    shell?: string;
    if?: string;
    env?: Record<string, string>;
    with?: Record<string, string>;
    "working-directory"?: string;
}
interface Action {
    name: string;
    description: string;
    inputs: Record<string, { description: string; required?: boolean; default?: string }>;
    outputs: Record<string, { description: string; value: string }>;
    runs: { using: string; steps: Step[] };
}

const actionText = fs.readFileSync(path.join(ROOT, "action.yml"), "utf8");
const action = parse(actionText) as Action;
const stepNamed = (name: string): Step => {
    const s = action.runs.steps.find((x) => x.name === name);
    assert.ok(s, `a step named ${name}`);
    return s;
};

function tmp(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Runs a step's script as the runner would (bash -eo pipefail), with its env and the runner's variables. */
function runStep(step: Step, env: Record<string, string>): { status: number | null; outputs: Record<string, string>; stdout: string; stderr: string } {
    const dir = tmp("sg-action-");
    const output = path.join(dir, "output");
    fs.writeFileSync(output, "");
    const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run!], {
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: dir, GITHUB_ACTION_PATH: ROOT, GITHUB_OUTPUT: output, RUNNER_TEMP: dir, ...env },
        encoding: "utf8",
        timeout: 120_000,
    });
    const outputs: Record<string, string> = {};
    for (const line of fs.readFileSync(output, "utf8").split("\n").filter(Boolean)) {
        const eq = line.indexOf("=");
        outputs[line.slice(0, eq)] = line.slice(eq + 1);
    }
    return { status: r.status, outputs, stdout: r.stdout, stderr: r.stderr };
}

/** The env a step gets, with the action's inputs (defaults overridden by `inputs`) substituted. */
function stepEnv(step: Step, inputs: Record<string, string>): Record<string, string> {
    const values = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, inputs[k] ?? v.default ?? ""]));
    return Object.fromEntries(
        Object.entries(step.env ?? {}).map(([k, v]) => [k, v.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_m, name: string) => values[name] ?? "")]),
    );
}

describe("GitHub Action (action.yml)", function () {
    this.timeout(180_000);

    it("is a composite action with the required keys, described inputs and outputs that name real steps", () => {
        assert.equal(typeof action.name, "string");
        assert.equal(typeof action.description, "string");
        assert.equal(action.runs.using, "composite");
        assert.ok(Array.isArray(action.runs.steps) && action.runs.steps.length > 0);
        for (const [name, input] of Object.entries(action.inputs)) {
            assert.match(name, /^[a-z][a-z0-9-]*$/, name);
            assert.equal(typeof input.description, "string", `input ${name} has a description`);
            assert.ok(input.default === undefined || typeof input.default === "string", `input ${name}: defaults are strings`);
        }
        const ids = new Set(action.runs.steps.map((s) => s.id).filter(Boolean));
        for (const [name, out] of Object.entries(action.outputs)) {
            const m = /^\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}$/.exec(out.value);
            assert.ok(m, `output ${name} is a step output`);
            assert.ok(ids.has(m[1]), `output ${name}: step ${m[1]} exists`);
            const step = action.runs.steps.find((s) => s.id === m[1])!;
            assert.ok(step.run?.includes(`${m[2]}=`), `step ${m[1]} writes ${m[2]}`);
        }
    });

    it("declares every input it uses, sets a shell on every run step, and never splices an expression into a script", () => {
        const used = new Set([...actionText.matchAll(/\$\{\{[^}]*?\binputs\.([\w-]+)/g)].map((m) => m[1]));
        assert.ok(used.size > 0);
        for (const name of used) assert.ok(Object.prototype.hasOwnProperty.call(action.inputs, name), `inputs.${name} is declared`);
        for (const name of Object.keys(action.inputs)) assert.ok(used.has(name), `input ${name} is used`);
        for (const step of action.runs.steps) {
            assert.ok((step.run === undefined) !== (step.uses === undefined), `${step.name}: exactly one of run and uses`);
            if (step.run !== undefined) {
                assert.equal(step.shell, "bash", `${step.name}: composite run steps need a shell`);
                assert.ok(!step.run.includes("${{"), `${step.name}: inputs reach scripts through env, never spliced into the text`);
            } else assert.match(step.uses!, /^[\w.-]+\/[\w./-]+@v\d+$/, `${step.name}: actions pinned to a major version`);
        }
        const upload = action.runs.steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
        assert.ok(upload, "uploads SARIF with github/codeql-action/upload-sarif");
        assert.equal(upload.with?.sarif_file, "${{ steps.run.outputs.sarif-file }}");
        assert.match(upload.if ?? "", /always\(\)/, "the SARIF is uploaded when findings fail the run too");
        assert.match(stepNamed("Verdict").if ?? "", /always\(\)/);
    });

    it("its scan step writes SARIF that validates, and records exit 1 for a privileged manifest, 0 for a clean Dockerfile", () => {
        const run = stepNamed("Run stride-guard");
        const dir = tmp("sg-action-in-");
        fs.writeFileSync(path.join(dir, "pod.yaml"), PRIVILEGED);
        const sarif = path.join(dir, "out.sarif");
        const bad = runStep(run, stepEnv(run, { paths: `${dir}/pod.yaml`, "sarif-file": sarif }));
        assert.equal(bad.status, 0, bad.stderr);
        assert.equal(bad.outputs["exit-code"], "1");
        assert.equal(bad.outputs["sarif-file"], sarif);
        assert.match(bad.stdout, /kubernetes-no-privileged-containers/, "the text report goes to the log");
        const log = JSON.parse(fs.readFileSync(sarif, "utf8"));
        assert.deepEqual(validate(SARIF_SCHEMA, log), []);
        assert.ok(log.runs[0].results.some((r: { ruleId: string }) => r.ruleId === "kubernetes-no-privileged-containers"));

        fs.writeFileSync(path.join(dir, "Dockerfile"), `FROM alpine@sha256:${"a".repeat(64)}\nUSER 1000\n`);
        const clean = runStep(run, stepEnv(run, { source: "dockerfile", paths: `${dir}/Dockerfile`, "sarif-file": path.join(dir, "df.sarif") }));
        assert.equal(clean.outputs["exit-code"], "0", clean.stdout + clean.stderr);

        const wrong = runStep(run, stepEnv(run, { source: "docker" }));
        assert.equal(wrong.outputs["exit-code"], "2");
        assert.match(wrong.stdout, /::error::stride-guard: source must be k8s, compose or dockerfile/);
    });

    it("its check step turns the JSON report into SARIF that validates", () => {
        const run = stepNamed("Run stride-guard");
        const dir = tmp("sg-action-check-");
        const sarif = path.join(dir, "check.sarif");
        const r = runStep(run, stepEnv(run, { command: "check", project: SAMPLE, stacks: "violating", "sarif-file": sarif }));
        assert.equal(r.outputs["exit-code"], "1", r.stdout + r.stderr);
        assert.match(r.stdout, /stack violating: \d+ finding\(s\), 0 error\(s\)/);
        const log = JSON.parse(fs.readFileSync(sarif, "utf8"));
        assert.deepEqual(validate(SARIF_SCHEMA, log), []);
        assert.ok(log.runs[0].results.length > 0);
    });

    it("its verdict step fails on exit 1 unless told not to, and always on 2 or a missing code", () => {
        const verdict = stepNamed("Verdict");
        const status = (code: string, fail = "true") => runStep(verdict, { SG_CODE: code, SG_FAIL_ON_FINDINGS: fail }).status;
        assert.equal(status("0"), 0);
        assert.equal(status("1"), 1);
        assert.equal(status("1", "false"), 0);
        assert.equal(status("2"), 2);
        assert.equal(status(""), 2, "stride-guard did not run");
    });

    it("passes shellcheck and actionlint (skipped where they are not installed)", function () {
        const shellcheck = findOnPath("shellcheck", process.env);
        const actionlint = findOnPath("actionlint", process.env);
        if (!shellcheck && !actionlint) this.skip();
        if (shellcheck) {
            for (const step of action.runs.steps.filter((s) => s.run)) {
                const r: { status: number | null; stdout: string } = spawnSync(shellcheck, ["-s", "bash", "-"], { input: step.run, encoding: "utf8" });
                assert.equal(r.status, 0, `${step.name}:\n${r.stdout}`);
            }
        }
        if (actionlint) {
            // actionlint reads a local action's metadata through a workflow that uses it.
            const repo = tmp("sg-actionlint-");
            fs.copyFileSync(path.join(ROOT, "action.yml"), path.join(repo, "action.yml"));
            fs.mkdirSync(path.join(repo, ".github", "workflows"), { recursive: true });
            const workflow = [
                "on: [pull_request]",
                "permissions: {contents: read, security-events: write}",
                "jobs:",
                "  scan:",
                "    runs-on: ubuntu-latest",
                "    steps:",
                "      - uses: actions/checkout@v4",
                "      - id: sg",
                "        uses: ./",
                "        with: {command: scan, source: k8s, paths: deploy/, config: policy.json, fail-on-findings: 'false'}",
                '      - run: echo "${{ steps.sg.outputs.exit-code }}"',
                "",
            ].join("\n");
            fs.writeFileSync(path.join(repo, ".github", "workflows", "sg.yml"), workflow);
            spawnSync("git", ["init", "-q"], { cwd: repo });
            const ok = spawnSync(actionlint, ["-no-color"], { cwd: repo, encoding: "utf8" });
            assert.equal(ok.status, 0, ok.stdout + ok.stderr);
            fs.writeFileSync(path.join(repo, ".github", "workflows", "sg.yml"), workflow.replace("fail-on-findings", "fail-on-finding"));
            const typo = spawnSync(actionlint, ["-no-color"], { cwd: repo, encoding: "utf8" });
            assert.equal(typo.status, 1, "actionlint checks inputs against action.yml");
            assert.match(typo.stdout, /input "fail-on-finding" is not defined in action/);
        }
    });
});

interface Hook {
    id: string;
    name: string;
    entry: string;
    language: string;
    files: string;
    exclude?: string;
    types?: string[];
    pass_filenames?: boolean;
}

describe("pre-commit hooks (.pre-commit-hooks.yaml)", () => {
    const hooks = parse(fs.readFileSync(path.join(ROOT, ".pre-commit-hooks.yaml"), "utf8")) as Hook[];
    const hook = (id: string): Hook => hooks.find((h) => h.id === id)!;
    /** pre-commit's selection: `files` searched (re.search), `exclude` not. These patterns mean the same in Python and JavaScript. */
    const selects = (h: Hook, file: string): boolean => new RegExp(h.files).test(file) && !(h.exclude && new RegExp(h.exclude).test(file));

    it("defines node hooks for scan k8s, compose and dockerfile with the keys pre-commit requires", () => {
        assert.deepEqual(hooks.map((h) => h.id).sort(), ["stride-guard-compose", "stride-guard-dockerfile", "stride-guard-k8s", "stride-guard-k8s-render"]);
        for (const h of hooks) {
            for (const k of ["id", "name", "entry", "language"] as const) assert.equal(typeof h[k], "string", `${h.id}.${k}`);
            assert.equal(h.language, "node");
            assert.match(h.entry, /^stride-guard scan (k8s|compose|dockerfile)$/);
            // The rendering hook takes kustomization and chart directories from args, not the changed files.
            if (h.id === "stride-guard-k8s-render") assert.equal(h.pass_filenames, false);
            else assert.deepEqual(h.types, ["file"]);
        }
    });

    it("selects manifests, Compose files and Dockerfiles, and keeps each out of the others' hooks", () => {
        const k8s = hook("stride-guard-k8s");
        const compose = hook("stride-guard-compose");
        const dockerfile = hook("stride-guard-dockerfile");
        for (const f of ["deploy/api.yaml", "k8s/list.json", "base/ns.yml"]) assert.ok(selects(k8s, f), f);
        for (const f of ["docker-compose.yml", "compose.yaml", "app/docker-compose.prod.yaml", "charts/web/templates/deploy.yaml", "charts/web/Chart.yaml"])
            assert.ok(!selects(k8s, f), f);
        for (const f of ["charts/web/values.yaml", "overlays/prod/kustomization.yaml", ".github/workflows/ci.yml", ".pre-commit-config.yaml", "package.json"])
            assert.ok(!selects(k8s, f), f);
        for (const f of ["docker-compose.yml", "compose.yaml", "app/docker-compose.prod.yaml", "compose.override.yml"]) assert.ok(selects(compose, f), f);
        for (const f of ["deploy/api.yaml", "composer.json"]) assert.ok(!selects(compose, f), f);
        for (const f of ["Dockerfile", "svc/Dockerfile.prod", "api.Dockerfile", "Containerfile"]) assert.ok(selects(dockerfile, f), f);
        for (const f of ["Dockerfile-notes.md", "docs/dockerfile.md", "MyDockerfile.txt"]) assert.ok(!selects(dockerfile, f), f);
    });

    it("installs as a git package: the root names the built CLI, packs it, and depends on what the CLI needs at run time", () => {
        const root = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        const pack = JSON.parse(fs.readFileSync(path.join(ROOT, "policypack/package.json"), "utf8"));
        assert.equal(root.bin["stride-guard"], `policypack/${pack.bin["stride-guard"]}`);
        assert.ok(fs.existsSync(path.join(ROOT, root.bin["stride-guard"])), "the bin is the build's CLI");
        assert.ok((root.files as string[]).includes("policypack/bin/"));
        assert.equal(root.scripts.prepare, "node tools/prepare.cjs");
        for (const [dep, version] of Object.entries(pack.dependencies as Record<string, string>))
            assert.equal(root.dependencies[dep], version, `the root depends on ${dep}@${version}, as the pack does`);
    });
});
