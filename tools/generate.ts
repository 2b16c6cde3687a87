/**
 * Writes the files generated from the controls' metadata: the policy catalog with its coverage
 * matrix (docs/policies.md) and the preset configs (policypack/config/<preset>.json).
 * `npm run generate` writes them; test/docs/generated.test.ts fails when they are stale.
 */
import * as fs from "fs";
import * as path from "path";
import { renderCatalog } from "stride-guard/lib/catalog";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { Preset, presetConfig } from "stride-guard/lib/library";

export const ROOT = path.resolve(__dirname, "../..");
const PRESETS: readonly Preset[] = ["advisory-rollout", "baseline", "strict"];

/** Repository-relative path → content. */
export function generatedFiles(): Record<string, string> {
    const files: Record<string, string> = { "docs/policies.md": renderCatalog(CONTROLS) };
    for (const p of PRESETS) files[`policypack/config/${p}.json`] = JSON.stringify(presetConfig(p), null, 2) + "\n";
    return files;
}

if (require.main === module) {
    for (const [rel, content] of Object.entries(generatedFiles())) {
        const file = path.join(ROOT, rel);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
        process.stdout.write(`wrote ${rel}\n`);
    }
}
