/**
 * The CLI's contract for `check`, `scan` and `list`: exit 0 only when everything was read and run, 1 for a
 * mandatory violation, 2 for anything that could not be read, run or finished and for usage errors; `--help`
 * on every command; unknown flags answered with that command's usage; one line per error, never a stack
 * trace; a reader that closes the pipe early is not an error; `--version` and `list` without @pulumi/pulumi.
 */
import assert from "assert/strict";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "stride-guard/lib/cli/main";
import { Control } from "stride-guard/lib/contract/control";
import { MAIN, project, run } from "./helpers";

const SAMPLE = path.resolve(__dirname, "../../../test/fixtures/projects/sample");

function tempFile(name: string, content: string): string {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sg-contract-")), name);
    fs.writeFileSync(f, content);
    return f;
}

const PRIVILEGED_POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i, securityContext: {privileged: true}}]}\n";

describe("CLI contract: exit codes, help, errors", function () {
    this.timeout(120_000);

    it("exit codes of check: 0 clean, 1 mandatory violation, 2 a program that did not finish", () => {
        assert.equal(run(["check", project('require("@pulumi/pulumi");\nmodule.exports = {};\n')]).code, 0);
        assert.equal(run(["check", SAMPLE, "--stack", "violating"]).code, 1);
        assert.equal(run(["check", project("process.exit(0);\n")]).code, 2);
    });

    it("exit codes of scan: 0 clean, 1 mandatory violation, 2 when any input could not be read (even beside a violation)", () => {
        const pod = tempFile("pod.yaml", PRIVILEGED_POD);
        const clean = tempFile("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n");
        assert.equal(run(["scan", "k8s", clean]).code, 0);
        assert.equal(run(["scan", "k8s", pod]).code, 1);
        const partial = run(["scan", "k8s", pod, path.join(os.tmpdir(), "sg-missing-file.yaml")]);
        assert.equal(partial.code, 2);
        assert.match(partial.out, /✗ mandatory {2}kubernetes-no-privileged-containers/, "what was read is still reported");
        assert.match(partial.out, /error: \S+sg-missing-file\.yaml: cannot read/);
    });

    it("exit codes of list: 0, and 2 on a bad filter", () => {
        assert.equal(run(["list"]).code, 0);
        assert.equal(run(["list", "--stride", "X"]).code, 2);
    });

    it("--help and -h on every command: exit 0 with that command's usage", () => {
        for (const [args, usage] of [
            [["check", "--help"], /^usage:\n {2}stride-guard check \[PROJECT_DIR\]/],
            [["check", "-h"], /^usage:\n {2}stride-guard check \[PROJECT_DIR\]/],
            [["scan", "--help"], /^usage:\n {2}stride-guard scan k8s PATH/],
            [["scan", "k8s", "-h"], /^usage:\n {2}stride-guard scan k8s PATH/],
            [["scan", "docker", "--help"], /^usage:\n {2}stride-guard scan k8s PATH/],
            [["list", "--help"], /^usage:\n {2}stride-guard list \[--stride/],
            [["list", "-h"], /^usage:\n {2}stride-guard list \[--stride/],
            [["--help"], /^usage:\n {2}stride-guard check[\s\S]*stride-guard scan k8s[\s\S]*stride-guard list/],
        ] as const) {
            const r = run([...args]);
            assert.equal(r.code, 0, args.join(" "));
            assert.match(r.out, usage, args.join(" "));
            assert.match(r.out, /exit codes: 0 /);
            assert.equal(r.err, "");
        }
    });

    it("unknown flags: one line naming the flag, then that command's usage only, exit 2", () => {
        for (const [args, own, others] of [
            [["check", ".", "--bogus"], /stride-guard check/, /stride-guard (scan|list)/],
            [["scan", "k8s", "x.yaml", "--bogus"], /stride-guard scan k8s/, /stride-guard (check|list)/],
            [["list", "--bogus"], /stride-guard list/, /stride-guard (check|scan)/],
        ] as const) {
            const r = run([...args]);
            assert.equal(r.code, 2, args.join(" "));
            const [first, second] = r.err.split("\n");
            assert.match(first, /^stride-guard: Unknown option '--bogus'/);
            assert.equal(second, "usage:");
            assert.match(r.err, own);
            assert.doesNotMatch(r.err, others);
        }
    });

    it("an unexpected error is one line and exit 2; --debug adds the stack trace", async () => {
        const broken = new Proxy([] as Control[], {
            get(target, prop) {
                if (prop === "filter") throw new TypeError("controls exploded");
                return Reflect.get(target, prop);
            },
        });
        for (const debug of [false, true]) {
            let err = "";
            const code = await main(["list", ...(debug ? ["--debug"] : [])], { out: () => undefined, err: (t) => void (err += t) }, broken);
            assert.equal(code, 2);
            const [first, ...rest] = err.trimEnd().split("\n");
            assert.equal(first, `stride-guard: internal error: TypeError: controls exploded${debug ? "" : " (--debug shows where)"}`);
            if (debug) assert.match(rest.join("\n"), /^\s+at /m);
            else assert.deepEqual(rest, []);
        }
    });

    it("names from outside (an unknown command, a file name) are printed without control characters", () => {
        const r = run(["\u001b]0;owned\u0007scan"]);
        assert.equal(r.code, 2);
        assert.ok(![...r.err].some((c) => c !== "\n" && (c < " " || c === "\u007f")), "no control characters");
        const evil = tempFile("evil\u001b[2J.yaml", "a: [\n");
        const s = run(["scan", "k8s", evil, tempFile("pod.yaml", PRIVILEGED_POD)]);
        assert.equal(s.code, 2);
        assert.match(s.out, /evil\[2J\.yaml/);
        assert.ok(!(s.out + s.err).includes("\u001b"));
    });

    it("list --format json | head -1: the early close of the pipe ends the command quietly, exit 0", async () => {
        const child = spawn(process.execPath, [MAIN, "list", "--format", "json"], { stdio: ["ignore", "pipe", "pipe"] });
        let err = "";
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
        child.stdout.destroy(); // like `head -1` exiting after its line
        const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
        assert.equal(err, "", "no EPIPE trace");
        assert.equal(code, 0);
        const shell = spawnSync("bash", ["-c", `set -o pipefail; "${process.execPath}" "${MAIN}" list --format json | head -1; echo "rc=$?"`], {
            encoding: "utf8",
        });
        assert.equal(shell.stdout, "[\nrc=0\n");
        assert.equal(shell.stderr, "");
    });

    it("--version and list answer without loading @pulumi/pulumi", () => {
        for (const args of [["--version"], ["list"], ["list", "--format", "json"], ["check", "--help"]]) {
            const probe = `const m = require(${JSON.stringify(MAIN)}); m.main(${JSON.stringify(args)}, { out() {}, err() {} }).then((c) => console.log(c, Object.keys(require.cache).filter((k) => k.includes("@pulumi/pulumi")).length));`;
            const r = spawnSync(process.execPath, ["-e", probe], { encoding: "utf8" });
            assert.equal(r.stdout, "0 0\n", args.join(" "));
        }
        const v = run(["--version"]);
        assert.match(v.out, /^\d+\.\d+\.\d+\n$/);
    });
});
