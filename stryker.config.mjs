// Mutation testing (issue 7): `npm run mutation [-- core|docker|kubernetes|adapters]`. Not part of `npm test` / CI.
// How the sandbox is made to load the MUTATED pack: see tools/mutation/build-sandbox.mjs.
import { SCOPES } from "./tools/mutation/scopes.mjs";

const scope = process.env.STRIDE_GUARD_MUTATION_SCOPE ?? "all";
const mutate = SCOPES[scope] ?? Object.entries(SCOPES).flatMap(([name, globs]) => (name === "cached" ? [] : globs));
const out = `reports/mutation/${scope}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
    $schema: "./node_modules/@stryker-mutator/core/schema/stryker-schema.json",
    packageManager: "npm",
    testRunner: "mocha",
    mochaOptions: { config: ".mocharc.mutation.json" },
    mutate,
    // the sandbox gets its own node_modules (only stride-guard -> ../policypack); see tools/mutation/build-sandbox.mjs
    symlinkNodeModules: false,
    tempDirName: ".stryker-tmp", // must stay inside the project: the sandbox finds the other packages by walking up
    buildCommand: "node tools/mutation/build-sandbox.mjs",
    ignorePatterns: ["/dist", "/policypack/bin", "/bench/results", "/.stride-guard-tmp"],
    // mutants that do not type-check are reported as CompileError (not run, not counted in the score)
    checkers: ["typescript"],
    tsconfigFile: "tools/mutation/tsconfig.json",
    coverageAnalysis: "perTest",
    // Static mutants (module level: control metadata and config schemas, but also tables such as KEY_FORMATS,
    // DOCKER_AUDIT_TARGETS) each need a fresh test process running the whole suite (~1/3 of all mutants, hours);
    // they are reported as "Ignored". STRIDE_GUARD_MUTATION_STATIC=1 tests them too.
    ignoreStatic: process.env.STRIDE_GUARD_MUTATION_STATIC !== "1",
    concurrency: 2,
    // see SCOPES.cached in tools/mutation/scopes.mjs
    maxTestRunnerReuse: scope === "cached" ? 1 : 0,
    timeoutMS: 10000,
    incremental: true,
    incrementalFile: `${out}/incremental.json`,
    reporters: ["clear-text", "progress", "html", "json"],
    htmlReporter: { fileName: `${out}/index.html` },
    jsonReporter: { fileName: `${out}/mutation.json` },
    clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
    thresholds: { high: 85, low: 70, break: null },
    cleanTempDir: true,
};
