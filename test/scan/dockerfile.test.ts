import assert from "assert/strict";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { isDockerfileName } from "stride-guard/lib/scan/dockerfile";
import { cli, fixture, tempDir } from "./helpers";
import { validate } from "./json-schema";

const DIGEST = `sha256:${"a".repeat(64)}`;
const CLEAN = `FROM alpine@${DIGEST}\nRUN adduser -D app\nUSER app\n`;
const BAD = "FROM debian:12\nRUN apt-get update\nENV API_TOKEN=hunter2-not-shown\nADD https://example.com/tool.tgz /opt/\n";

interface Finding {
    control: string;
    message: string;
    resource: { file?: string; line?: number; type: string };
}

function tree(): { dir: string; bad: string; clean: string } {
    const dir = tempDir("sg-dockerfile-");
    fs.mkdirSync(path.join(dir, "svc"));
    fs.mkdirSync(path.join(dir, ".git"));
    const bad = path.join(dir, "Dockerfile");
    const clean = path.join(dir, "svc", "Dockerfile.prod");
    fs.writeFileSync(bad, BAD);
    fs.writeFileSync(clean, CLEAN);
    fs.writeFileSync(path.join(dir, ".git", "Dockerfile"), BAD); // dot-directories are not walked
    fs.writeFileSync(path.join(dir, "README.md"), "not a Dockerfile");
    return { dir, bad, clean };
}

describe("stride-guard scan dockerfile (CLI)", function () {
    this.timeout(60_000);

    it("judges Dockerfiles by the image controls, each finding at its file and line; exit 1 on a mandatory one, 0 when clean", async () => {
        const { dir, bad, clean } = tree();
        const r = await cli(["scan", "dockerfile", dir, "--format", "json"]);
        assert.equal(r.code, 1, r.err);
        const report = JSON.parse(r.out).reports[0];
        assert.equal(report.target, "Dockerfiles (2 files)");
        assert.deepEqual(report.errors, []);
        const at = (report.findings as Finding[]).map((f) => `${f.control} ${path.relative(dir, f.resource.file!)}:${f.resource.line}`).sort();
        assert.deepEqual(at, [
            "docker-image-copy-not-add Dockerfile:4",
            "docker-image-no-build-secrets Dockerfile:3",
            "docker-image-non-root-user Dockerfile:1",
            "docker-image-pinned Dockerfile:1",
        ]);
        for (const f of report.findings as Finding[]) {
            assert.ok(!f.message.includes("hunter2"), f.message);
            assert.ok(!f.message.includes(path.resolve(bad)) || path.resolve(bad) === bad, "the path is shown as given");
        }
        const ok = await cli(["scan", "dockerfile", clean]);
        assert.equal(ok.code, 0, ok.out + ok.err);
        assert.match(ok.out, /^Dockerfiles \(1 file\): no findings/);
    });

    it("prints file:line in text and a region in SARIF that validates against the 2.1.0 schema", async () => {
        const { bad } = tree();
        const text = await cli(["scan", "dockerfile", bad]);
        assert.equal(text.code, 1);
        assert.match(text.out, new RegExp(`\\n {6}${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3\\n {6}Docker image build .*ENV API_TOKEN`));
        const sarif = await cli(["scan", "dockerfile", bad, "--format", "sarif"]);
        assert.equal(sarif.code, 1);
        const log = JSON.parse(sarif.out);
        const schema = JSON.parse(fs.readFileSync(fixture("sarif-schema-2.1.0.json"), "utf8"));
        assert.deepEqual(validate(schema, log), []);
        const secrets = log.runs[0].results.find((x: { ruleId: string }) => x.ruleId === "docker-image-no-build-secrets");
        assert.equal(secrets.locations[0].physicalLocation.region.startLine, 3);
    });

    it("names a syntax error by file:line:column without quoting the line", async () => {
        const dir = tempDir("sg-dockerfile-");
        const f = path.join(dir, "Dockerfile");
        fs.writeFileSync(f, `FROM alpine@${DIGEST}\n  \u001b[31mHUNTER2 x\nUSER 1000\n`);
        const r = await cli(["scan", "dockerfile", f]);
        assert.equal(r.code, 1);
        assert.match(r.out, new RegExp(`${path.basename(f)}:2:3: unknown instruction; docker build rejects it`));
        assert.ok(!r.out.includes("HUNTER2") && !r.out.includes("\u001b"), r.out);
    });

    it("reads regular files only, bounded; every input it cannot read is named and makes the exit 2", async () => {
        const { dir, bad } = tree();
        const odd = path.join(dir, "odd");
        fs.mkdirSync(odd);
        execFileSync("mkfifo", [path.join(odd, "fifo.Dockerfile")]); // would block a plain read forever
        fs.symlinkSync("/nonexistent", path.join(odd, "Dockerfile.dangling"));
        fs.writeFileSync(path.join(odd, "big.Dockerfile"), "FROM scratch\n# SECRET-IN-BIG\n" + "#".repeat(1024 * 1024));
        fs.writeFileSync(path.join(odd, "nul.Dockerfile"), "FROM scratch\0SECRET-IN-NUL\n");
        const r = await cli(["scan", "dockerfile", odd, bad, "/dev/null", path.join(dir, "missing")]);
        assert.equal(r.code, 2, "fail closed: inputs were not read");
        const errs = r.err.split("\n").filter(Boolean);
        assert.deepEqual(errs.map((e) => e.replace(dir, "DIR")).sort(), [
            "stride-guard: /dev/null: is not a regular file",
            "stride-guard: DIR/missing: cannot read: no such file or directory",
            "stride-guard: DIR/odd/Dockerfile.dangling: cannot read: no such file or directory",
            "stride-guard: DIR/odd/big.Dockerfile: is larger than 1 MiB",
            "stride-guard: DIR/odd/fifo.Dockerfile: is not a regular file",
            "stride-guard: DIR/odd/nul.Dockerfile: is not a text file (it contains NUL bytes)",
        ]);
        assert.ok(!/SECRET-IN/.test(r.out + r.err));
        assert.match(r.out, /docker-image-no-build-secrets/, "what could be read is still reported");
        const empty = tempDir("sg-dockerfile-");
        const none = await cli(["scan", "dockerfile", empty]);
        assert.equal(none.code, 2);
        assert.match(none.err, /no Dockerfile \(Dockerfile, Containerfile, Dockerfile\.\*, \*\.Dockerfile\) in this directory/);
    });

    it("refuses paths with control characters and stdin", async () => {
        const dir = tempDir("sg-dockerfile-");
        const evil = path.join(dir, "x\u001b]0;title\u0007.Dockerfile");
        fs.writeFileSync(evil, CLEAN);
        const r = await cli(["scan", "dockerfile", dir]);
        assert.equal(r.code, 2);
        assert.match(r.err, /the path contains control characters; not scanned/);
        assert.ok(![...(r.out + r.err)].some((ch) => ch !== "\n" && ch.charCodeAt(0) < 0x20), "no control characters reach the output");
        const stdin = await cli(["scan", "dockerfile", "-"]);
        assert.equal(stdin.code, 2);
        assert.match(stdin.err, /scan dockerfile reads files and directories, not stdin/);
    });

    it("recognises Dockerfile names", () => {
        for (const n of ["Dockerfile", "dockerfile", "Containerfile", "Dockerfile.prod", "api.Dockerfile", "api.dockerfile"]) assert.ok(isDockerfileName(n), n);
        for (const n of ["Dockerfile-notes.md", "README", "docker-compose.yml", "MyDockerfile"]) assert.ok(!isDockerfileName(n), n);
    });
});
