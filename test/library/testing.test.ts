import assert from "assert/strict";
import { execFile } from "child_process";
import * as path from "path";
import * as docker from "@pulumi/docker";
import { assertCompliant, checkProgram } from "stride-guard/testing";

const ORIGINAL = { select: { ids: ["docker-container-memory-limit", "docker-container-restart-on-failure"] } };
const IMAGE = "registry.example.com/web@sha256:" + "a".repeat(64);

describe("testing helpers (stride-guard/testing)", function () {
    this.timeout(60_000);

    it("assertCompliant passes a compliant program and returns the report", async () => {
        const report = await assertCompliant(
            () => {
                new docker.Container("web", { image: IMAGE, memory: 256, restart: "on-failure", maxRetryCount: 3 });
            },
            { guard: ORIGINAL },
        );
        assert.equal(report.findings.length, 0);
        assert.equal(report.controls, 2);
    });

    it("assertCompliant rejects with an AssertionError naming control, resource and message", async () => {
        await assert.rejects(
            assertCompliant(
                () => {
                    new docker.Container("web", { image: IMAGE, restart: "always" });
                },
                { guard: ORIGINAL },
            ),
            (e: Error) => {
                assert.equal(e.name, "AssertionError");
                assert.match(e.message, /2 stride-guard finding\(s\)/);
                assert.match(e.message, /mandatory docker-container-memory-limit \(D\) on docker:index\/container:Container "web"/);
                return true;
            },
        );
    });

    it("checkProgram reports findings and honours `allow`", async () => {
        const program = () => {
            new docker.Container("web", { image: IMAGE, restart: "always", memory: 256 });
        };
        const r = await checkProgram(program, { guard: ORIGINAL });
        assert.deepEqual(
            r.findings.map((f) => f.control),
            ["docker-container-restart-on-failure"],
        );
        assert.equal((await checkProgram(program, { guard: ORIGINAL, allow: ["docker-container-restart-on-failure"] })).findings.length, 0);
    });

    it("takes a Pulumi project folder: project name, program and stack config come from its files", async () => {
        const sample = path.resolve(__dirname, "../../../test/fixtures/projects/sample");
        const guard = { select: { ids: ["docker-container-memory-limit", "docker-container-restart-on-failure", "kubernetes-no-privileged-containers"] } };
        const ok = await assertCompliant(sample, { stack: "hardened", guard });
        assert.equal(ok.findings.length, 0);
        const bad = await checkProgram(sample, { stack: "violating", guard });
        assert.deepEqual([...new Set(bad.findings.map((f) => f.control))].sort(), [
            "docker-container-memory-limit",
            "docker-container-restart-on-failure",
            "kubernetes-no-privileged-containers",
        ]);
        // `config` overrides the stack's file.
        const fixed = await checkProgram(sample, {
            stack: "violating",
            guard,
            config: { "sample:memoryMb": "128", "sample:restart": "on-failure", "sample:privileged": "false" },
        });
        assert.equal(fixed.findings.length, 0);
    });

    it("works from node's test runner too", async () => {
        const file = path.resolve(__dirname, "../../../test/fixtures/node-test/compliance.test.js");
        const { code, out } = await new Promise<{ code: number; out: string }>((resolve) => {
            execFile(process.execPath, ["--test", file], { cwd: path.resolve(__dirname, "../../..") }, (err, stdout, stderr) =>
                resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
            );
        });
        assert.match(out, /# pass 1/);
        assert.match(out, /# fail 1/);
        assert.equal(code, 1, "the failing case fails the node:test run");
    });
});
