/**
 * `stride-guard check` fails closed: whatever a Pulumi program does — never settle, keep a timer alive, throw,
 * fail to parse, leave a rejection unhandled, call process.exit, build cyclic inputs, run out of memory — the
 * gate ends with exit 2 and one line naming the file, never exit 0 or 1 and never a stack trace (unless
 * --debug). Spawned as users run it: the exit code is the point.
 */
import assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { project, run } from "./helpers";

const PRIVILEGED = `const d = require("@pulumi/docker");\nnew d.Container("c", { image: "nginx", privileged: true });\n`;

/** Exit 2, the reason on the report's error line, no stack trace anywhere. */
function failsClosed(r: { code: number | null; out: string; err: string }, reason: RegExp): void {
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(r.out, /^stack dev: not checked \(0 controls, 0 resources\)\n {2}error: the program /);
    assert.match(r.out, reason);
    assert.doesNotMatch(r.out + r.err, /^\s+at /m, "no stack trace without --debug");
}

describe("check fails closed on programs that do not finish", function () {
    this.timeout(120_000);

    it("a promise that never settles after declaring a privileged container: exit 2 at once (the before-stop smoke test)", () => {
        const started = Date.now();
        const r = run(["check", project(PRIVILEGED + "module.exports = new Promise(() => {});\n")]);
        failsClosed(r, /never settled its exported promise: nothing was left to run that could settle it/);
        assert.ok(Date.now() - started < 60_000, "not by waiting for the deadline");
    });

    it("a timer that keeps the program alive: exit 2 at the --timeout deadline, saying so", () => {
        const r = run(["check", project(PRIVILEGED + "setInterval(() => {}, 1000);\n"), "--timeout", "8"]);
        failsClosed(r, /did not finish within 8 s: its exported value settled, but a timer or an open handle kept it running/);
        const pending = run(["check", project("module.exports = new Promise((r) => setTimeout(r, 60_000));\n"), "--timeout", "2"]);
        failsClosed(pending, /did not finish within 2 s: its exported promise never settled/);
    });

    it("resources registered from a timer after the exported value settled are checked (the run ends when the event loop is empty)", () => {
        const r = run([
            "check",
            project(`const d = require("@pulumi/docker");\nsetTimeout(() => new d.Container("late", { image: "nginx", privileged: true }), 300);\n`),
            "--format",
            "json",
        ]);
        assert.equal(r.code, 1, r.err);
        const findings = (JSON.parse(r.out) as { reports: { findings: { control: string; resource: { name: string } }[] }[] }).reports[0].findings;
        assert.ok(findings.some((f) => f.control === "docker-container-not-privileged" && f.resource.name === "late"));
    });

    it("a throw, a rejected export, an unhandled rejection and process.exit: exit 2 naming file:line:column", () => {
        failsClosed(
            run(["check", project(PRIVILEGED + 'throw new Error("boom \\u001b[31m");\n')]),
            /the program threw: Error: boom \[31m \(\S+\/index\.js:3:7\)\n/,
        );
        failsClosed(
            run(["check", project('module.exports = Promise.reject(new TypeError("bad"));\n')]),
            /the program threw: TypeError: bad \(\S+\/index\.js:1:33\)\n/,
        );
        failsClosed(
            run(["check", project(PRIVILEGED + 'Promise.reject(new Error("nope"));\n')]),
            /the program left a promise rejection unhandled: Error: nope \(\S+\/index\.js:3:16\)\n/,
        );
        for (const code of ["0", ""]) {
            failsClosed(
                run(["check", project(PRIVILEGED + `process.exit(${code});\n`)]),
                new RegExp(`the program called process\\.exit\\(${code}\\) \\(\\S+/index\\.js:3:9\\)\\n`),
            );
        }
    });

    it("a syntax error: exit 2 with file:line:column and without the file's text", () => {
        const r = run(["check", project('const x = 1;\nconst token = "AKIAIOSFODNN7EXAMPLE" "more";\n')]);
        failsClosed(r, /the program has a syntax error: Unexpected string \(\S+\/index\.js:2:38\)\n/);
        assert.doesNotMatch(r.out + r.err, /AKIA/);
    });

    it("cyclic resource inputs: exit 2 at once naming the resource and the path, instead of growing to gigabytes", () => {
        const r = run([
            "check",
            project(
                `const d = require("@pulumi/docker");\nconst labels = [{ label: "a", value: "b" }];\nlabels[0].self = labels;\nnew d.Container("c", { image: "nginx", labels });\n`,
            ),
        ]);
        failsClosed(r, /resource:c\[docker:index\/container:Container\]: input labels\[0\]\.self refers back to itself \(a cycle\)/);
    });

    it("a program that runs out of memory: exit 2 saying so", () => {
        const r = run(["check", project("const a = [];\nfor (;;) a.push(new Array(100000).fill(1));\n")], { NODE_OPTIONS: "--max-old-space-size=48" });
        failsClosed(r, /the program ran out of memory/);
    });

    it("--debug adds the program's stack trace on stderr", () => {
        const r = run(["check", project('throw new Error("boom");\n'), "--debug"]);
        assert.equal(r.code, 2);
        assert.match(r.err, /^stack dev: Error: boom\n\s+at .*index\.js:1:7/m);
    });

    it("--format json reports the failed stack as an error and exits 2", () => {
        const r = run(["check", project(PRIVILEGED + "process.exit(0);\n"), "--format", "json"]);
        assert.equal(r.code, 2);
        const doc = JSON.parse(r.out) as { reports: { target: string; errors: string[]; findings: unknown[] }[] };
        assert.deepEqual(doc.reports[0].findings, []);
        assert.match(doc.reports[0].errors[0], /^the program called process\.exit\(0\)/);
    });

    it("--stack naming a stack without Pulumi.<stack>.yaml: exit 2 listing the stacks", () => {
        const dir = project(PRIVILEGED);
        fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), "config: {}\n");
        const r = run(["check", dir, "--stack", "prdo"]);
        assert.equal(r.code, 2);
        assert.equal(r.err, `stride-guard: no stack "prdo" in ${dir}: its stacks are dev, prod\n`);
    });

    it("a project that is not Node.js: exit 2 saying only Node.js programs are supported, no require stack", () => {
        for (const runtime of ["python", "go", "yaml", "dotnet", "java"]) {
            const r = run(["check", project("", `name: p\nruntime: ${runtime}\n`)]);
            assert.equal(r.code, 2, runtime);
            assert.equal(
                r.err,
                `stride-guard: stack dev: only Node.js Pulumi programs can be run here, and this project's runtime is "${runtime}": check it with \`pulumi preview --policy-pack\` instead\n`,
            );
        }
    });
});
