// Stryker `buildCommand` (runs with cwd = the sandbox, after the mutants were inserted).
//
// Stryker copies the project into .stryker-tmp/sandbox-*/ and, by default, symlinks the ORIGINAL node_modules into
// it. The tests import the pack by package name (`stride-guard/lib/...`) through the workspace link
// node_modules/stride-guard -> ../policypack, so with that symlink every test would load the ORIGINAL, unmutated
// policypack/bin and every mutant would survive. stryker.config.mjs therefore sets `symlinkNodeModules: false`;
// here we give the sandbox its own node_modules holding only `stride-guard -> ../policypack` (the sandbox copy).
// Every other package is found by Node walking up from the sandbox to the project's node_modules
// (the sandbox lives inside the project, in .stryker-tmp/). Then we compile the sandbox and check that:
//   - `stride-guard` resolves inside the sandbox, third-party packages resolve at all;
//   - the compiled pack really contains Stryker's instrumentation.
// Any failure exits non-zero, which makes Stryker abort instead of reporting a meaningless score.
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, sep } from "node:path";

const sandbox = realpathSync(process.cwd());
const fail = (msg) => {
    console.error(`[mutation build] ${msg}`);
    process.exit(1);
};
const inside = (file) => realpathSync(file).startsWith(sandbox + sep);

if (!existsSync(join(sandbox, "policypack", "package.json"))) fail(`run me from the project (or sandbox) root, not ${sandbox}`);

// 1. sandbox-local package link
const nodeModules = join(sandbox, "node_modules");
if (existsSync(nodeModules) && lstatSync(nodeModules).isSymbolicLink()) {
    fail("node_modules in the sandbox is a symlink to the original: set symlinkNodeModules: false in stryker.config.mjs");
}
mkdirSync(nodeModules, { recursive: true });
const link = join(nodeModules, "stride-guard");
if (!existsSync(link)) symlinkSync(join("..", "policypack"), link, "dir");
if (!inside(link) || realpathSync(link) !== join(sandbox, "policypack")) fail(`${link} does not point at the sandbox's policypack`);

// 2. compile the sandbox (mutated sources -> policypack/bin, tests -> dist/test)
const fromRoot = createRequire(join(sandbox, "package.json"));
let tsc;
try {
    tsc = fromRoot.resolve("typescript/bin/tsc");
} catch {
    fail("typescript not resolvable from the sandbox: is .stryker-tmp inside the project (tempDirName)?");
}
try {
    execFileSync(process.execPath, [tsc, "-b", "tools/mutation/tsconfig.json"], { stdio: "inherit" });
} catch {
    fail("tsc -b tools/mutation/tsconfig.json failed");
}

// 3. resolution as the compiled tests will see it
const fromTests = createRequire(join(sandbox, "dist", "test", "support", "run-control.js"));
const pack = fromTests.resolve("stride-guard/lib/kernel/values");
if (!inside(pack)) fail(`stride-guard/lib/kernel/values resolves OUTSIDE the sandbox: ${realpathSync(pack)}`);
const fromPack = createRequire(join(sandbox, "policypack", "bin", "lib", "pack.js"));
for (const dep of ["yaml", "@pulumi/policy", "@pulumi/pulumi"]) {
    try {
        fromPack.resolve(dep);
    } catch {
        fail(`${dep} is not resolvable from the sandbox's policypack/bin`);
    }
}

// 4. the code the tests load is the instrumented one (checked when started through `npm run mutation`, which sets
//    STRIDE_GUARD_MUTATION_SCOPE; a hand-made sandbox with a hand-planted mutant has no instrumentation)
const underStryker = process.env.STRIDE_GUARD_MUTATION_SCOPE !== undefined;
let instrumented = 0;
const walk = (dir) => {
    for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith(".js") && readFileSync(p, "utf8").includes("stryMutAct_9fa48")) instrumented++;
    }
};
walk(join(sandbox, "policypack", "bin", "lib"));
if (underStryker && instrumented === 0) fail("no instrumented file under policypack/bin/lib: the build did not pick up the mutated sources");
console.log(`[mutation build] stride-guard -> ${relative(sandbox, realpathSync(link)) || "."} (sandbox); ${instrumented} instrumented file(s) in policypack/bin/lib`);
