#!/usr/bin/env node
// npm `prepare`: builds the policy pack (policypack/bin), which the `stride-guard` bin and the packed package need.
//
// Installed as a git dependency (pre-commit's `language: node` runs `npm install -g git+file://…`), npm runs this in
// a fresh clone before any dependency is installed there, with `npm_config_global=true` leaked from the outer
// install; the compiler and types are then installed locally first, overriding that setting.
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const npm = process.env.npm_execpath;
const run = (file, args) => execFileSync(file, args, { cwd: root, stdio: "inherit" });

if (!fs.existsSync(path.join(root, "node_modules", "typescript", "bin", "tsc"))) {
    const args = ["install", "--global=false", "--install-links=false", "--include=dev", "--no-save", "--no-audit", "--no-fund", "--ignore-scripts"];
    if (npm && npm.endsWith(".js")) run(process.execPath, [npm, ...args]);
    else run(npm || "npm", args);
}
run(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-b", "policypack"]);
