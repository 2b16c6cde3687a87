import assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { generatedFiles, ROOT } from "../../tools/generate";

describe("generated documentation and presets", () => {
    for (const [rel, content] of Object.entries(generatedFiles())) {
        it(`${rel} is up to date (npm run generate)`, () => {
            const file = path.join(ROOT, rel);
            assert.ok(fs.existsSync(file), `${rel} is missing: run npm run generate`);
            assert.equal(fs.readFileSync(file, "utf8"), content, `${rel} is stale: run npm run generate`);
        });
    }
});
