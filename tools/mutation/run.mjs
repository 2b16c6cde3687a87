// `npm run mutation [-- <scope>] [-- stryker options]`
// scope: core | docker | kubernetes | adapters | cached | all (default) — each scope keeps its own incremental file and reports
// under reports/mutation/<scope>/. Any other arguments go to `stryker run` (e.g. --mutate 'glob', --force).
// Then `node tools/mutation/survivors.mjs <scope>` lists what survived, per file and line.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { SCOPES } from "./scopes.mjs";

const args = process.argv.slice(2);
let scope = "all";
if (args[0] && !args[0].startsWith("-")) {
    scope = args.shift();
    if (scope !== "all" && !(scope in SCOPES)) {
        console.error(`unknown scope ${scope}; one of: all, ${Object.keys(SCOPES).join(", ")}`);
        process.exit(2);
    }
}
if (args.includes("--mutate") && scope === "all") scope = "custom";
const require = createRequire(import.meta.url);
const bin = join(dirname(require.resolve("@stryker-mutator/core/package.json")), "bin", "stryker.js");
const res = spawnSync(process.execPath, [bin, "run", "stryker.config.mjs", ...args], {
    stdio: "inherit",
    env: { ...process.env, STRIDE_GUARD_MUTATION_SCOPE: scope },
});
process.exit(res.status ?? 1);
