// Folders mutated by `npm run mutation -- <scope>` (shared by run.mjs and stryker.config.mjs).
export const SCOPES = {
    core: ["policypack/lib/kernel/**/*.ts", "policypack/lib/contract/**/*.ts", "policypack/lib/engine/**/*.ts"],
    docker: ["policypack/lib/controls/docker/**/*.ts"],
    kubernetes: ["policypack/lib/controls/kubernetes/**/*.ts"],
    adapters: ["policypack/lib/adapters/**/*.ts"],
    // Modules that memoize by string key (parse caches): the test process keeps what the dry run cached, so in the
    // scopes above their mutants are mostly reported Survived without ever running. This scope re-tests them with a
    // fresh test process per mutant (stryker.config.mjs: maxTestRunnerReuse 1): slower (~2 s a mutant), but real.
    cached: [
        "policypack/lib/adapters/docker/image-ref.ts",
        "policypack/lib/adapters/docker/dockerfile.ts",
        "policypack/lib/adapters/kubernetes/control-plane.ts",
        "policypack/lib/engine/settings.ts",
    ],
};
