#!/usr/bin/env node
// The `stride-guard` command as npm links it: committed, so it exists at install time, before the build
// output it loads (bin/, compiled by `tsc`) does.
"use strict";
let cli;
try {
    cli = require("./bin/lib/cli/main.js");
} catch (e) {
    if (e && e.code === "MODULE_NOT_FOUND" && String(e.message).includes("bin/lib/cli/main.js")) {
        process.stderr.write("stride-guard: not built yet: run `npm run build` at the repository root (or in policypack/)\n");
        process.exit(2);
    }
    throw e;
}
cli.run(process.argv.slice(2));
