/**
 * Installation as documented: `npx stride-guard` works after `npm ci` (the bin npm links is a committed,
 * executable shim, present before the build), and `stride-guard/testing` type-checks under
 * `moduleResolution: "node"` (typesVersions) as well as node16.
 */
import assert from "assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const PACK = path.resolve(__dirname, "../../../policypack");
const REPO_MODULES = path.resolve(require.resolve("@pulumi/pulumi/package.json"), "../../..");

describe("installation", function () {
    this.timeout(120_000);

    it("the package's bin is a committed, executable shim that runs the CLI", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(PACK, "package.json"), "utf8")) as { bin: Record<string, string>; files: string[] };
        assert.deepEqual(pkg.bin, { "stride-guard": "cli.js" });
        assert.ok(pkg.files.includes("cli.js"), "published with the package");
        // `npm ci` links bins from the lockfile's copy of the workspace's package.json.
        const lock = JSON.parse(fs.readFileSync(path.join(PACK, "../package-lock.json"), "utf8")) as { packages: Record<string, { bin?: unknown }> };
        assert.deepEqual(lock.packages["policypack"].bin, pkg.bin, "package-lock.json agrees");
        const shim = path.join(PACK, "cli.js");
        assert.ok((fs.statSync(shim).mode & 0o111) !== 0, "executable");
        const ls = spawnSync("git", ["ls-files", "-s", "policypack/cli.js"], { cwd: path.dirname(PACK), encoding: "utf8" });
        if (ls.status === 0 && ls.stdout) assert.match(ls.stdout, /^100755 /, "committed as executable");
        const r = spawnSync(shim, ["--version"], { encoding: "utf8" });
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
        const check = spawnSync(shim, ["check", "--bogus"], { encoding: "utf8" });
        assert.equal(check.status, 2, "exit codes pass through the shim");
    });

    it("before the build, the shim says to run npm run build (exit 2), not a require stack", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sg-shim-"));
        fs.copyFileSync(path.join(PACK, "cli.js"), path.join(dir, "cli.js"));
        const r = spawnSync(process.execPath, [path.join(dir, "cli.js"), "list"], { encoding: "utf8" });
        assert.equal(r.status, 2);
        assert.equal(r.stderr, "stride-guard: not built yet: run `npm run build` at the repository root (or in policypack/)\n");
    });

    for (const resolution of ["node", "node16"] as const) {
        it(`import "stride-guard/testing" type-checks under moduleResolution ${resolution}`, () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sg-types-"));
            fs.mkdirSync(path.join(dir, "node_modules"));
            fs.symlinkSync(PACK, path.join(dir, "node_modules", "stride-guard"));
            for (const m of ["@pulumi", "@types"]) fs.symlinkSync(path.join(REPO_MODULES, m), path.join(dir, "node_modules", m));
            fs.writeFileSync(
                path.join(dir, "stack.test.ts"),
                [
                    'import { assertCompliant, checkProgram, Report } from "stride-guard/testing";',
                    'import { StrideGuard } from "stride-guard";',
                    'const guard = new StrideGuard({ preset: "baseline" });',
                    "export const report: Promise<Report> = checkProgram(() => undefined, { guard });",
                    "export const compliant: typeof assertCompliant = assertCompliant;",
                    "",
                ].join("\n"),
            );
            const module = resolution === "node" ? "commonjs" : "node16";
            const tsc = require.resolve("typescript/bin/tsc");
            const r = spawnSync(
                process.execPath,
                [tsc, "--noEmit", "--strict", "--skipLibCheck", "--types", "node", "--module", module, "--moduleResolution", resolution, "stack.test.ts"],
                { cwd: dir, encoding: "utf8" },
            );
            assert.equal(r.status, 0, r.stdout + r.stderr);
        });
    }
});
