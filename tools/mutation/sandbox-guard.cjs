// Mocha `--require` for mutation runs (.mocharc.mutation.json): refuse to run the tests when `stride-guard`
// would load a pack outside the directory mocha runs in (the Stryker sandbox), i.e. the original, unmutated one.
"use strict";
const { realpathSync } = require("node:fs");
const { join, sep } = require("node:path");
const { createRequire } = require("node:module");

const root = realpathSync(process.cwd());
const resolved = realpathSync(createRequire(join(root, "dist", "test", "x.js")).resolve("stride-guard/lib/kernel/values"));
if (!resolved.startsWith(root + sep)) {
    throw new Error(`[mutation] stride-guard resolves to ${resolved}, outside ${root}: the tests would not see the mutants`);
}
