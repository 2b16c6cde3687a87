#!/usr/bin/env node
// `stride-guard check --format json` on stdin → SARIF 2.1.0 on stdout, for the GitHub Action's upload
// (`check` prints text or JSON only; `scan` writes SARIF itself). Usage: check-sarif.cjs [CONFIG_FILE] < check.json
const path = require("path");
const { Buffer } = require("buffer");
const lib = path.join(__dirname, "..", "..", "policypack", "bin", "lib");
const { toSarif } = require(path.join(lib, "scan", "sarif.js"));
const { CONTROLS } = require(path.join(lib, "controls", "index.js"));
const { loadPolicyConfig } = require(path.join(lib, "cli", "config-file.js"));

const chunks = [];
let size = 0;
process.stdin.on("data", (b) => {
    size += b.length;
    if (size > 256 * 1024 * 1024) {
        process.stderr.write("check-sarif: the report is larger than 256 MiB\n");
        process.exit(2);
    }
    chunks.push(b);
});
process.stdin.on("end", () => {
    let doc;
    try {
        doc = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
        process.stderr.write("check-sarif: stdin is not the JSON report of stride-guard check --format json\n");
        process.exit(2);
    }
    if (doc === null || typeof doc !== "object" || doc.version !== 1 || !Array.isArray(doc.reports)) {
        process.stderr.write("check-sarif: expected {version: 1, reports: [...]} from stride-guard check --format json\n");
        process.exit(2);
    }
    const config = loadPolicyConfig(process.argv[2] || undefined, CONTROLS);
    process.stdout.write(JSON.stringify(toSarif(doc.reports, CONTROLS, config), null, 2) + "\n");
});
