// Folders mutated by `npm run mutation -- <scope>` (shared by run.mjs and stryker.config.mjs).
export const SCOPES = {
    core: ["policypack/lib/core/**/*.ts"],
    docker: ["policypack/lib/controls/docker/**/*.ts"],
    kubernetes: ["policypack/lib/controls/kubernetes/**/*.ts"],
    adapters: ["policypack/lib/adapters/**/*.ts"],
};
