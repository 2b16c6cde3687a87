/**
 * Layers point one way, read from the import statements of policypack/lib:
 * kernel → model → contract → adapters → engine → controls → front ends.
 */
import assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";

const LIB = path.resolve(__dirname, "../../../policypack/lib");

/** What each layer may import, besides itself. Folders not listed (front ends) may import anything. */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
    kernel: [],
    // The registries (SubjectModels, StackModel) that models augment are the contract's; models use its finding types.
    model: ["kernel", "contract"],
    contract: ["kernel", "model"],
    audit: ["kernel"],
    config: ["kernel", "contract"],
    adapters: ["kernel", "model", "contract", "audit"],
    // The engine's reports are check/report's ReportFinding (that module also formats them for the CLI).
    engine: ["kernel", "model", "contract", "adapters", "config", "check/report"],
    controls: ["kernel", "model", "contract", "adapters", "engine", "audit"],
};

function* sources(dir: string): Generator<string> {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) yield* sources(p);
        else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) yield p;
    }
}

/** The modules a file imports (static import/export … from, side-effect imports, require), relative to LIB. */
export function importsOf(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    const out: string[] = [];
    const re = /^\s*(?:import|export)\s[^;]*?\sfrom\s+"([^"]+)"|^\s*import\s+"([^"]+)"|\brequire\("([^"]+)"\)/gm;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        const spec = m[1] ?? m[2] ?? m[3];
        if (!spec.startsWith(".")) continue;
        const rel = path
            .relative(LIB, path.resolve(path.dirname(file), spec))
            .split(path.sep)
            .join("/");
        if (!rel.startsWith("../")) out.push(rel); // package.json is no layer
    }
    return out;
}

const layerOf = (rel: string): string => (rel.includes("/") ? rel.slice(0, rel.indexOf("/")) : rel);

describe("layers", () => {
    const files = [...sources(LIB)].map((f) => ({ file: f, rel: path.relative(LIB, f).split(path.sep).join("/") }));

    it("reads the imports of every module", () => {
        assert.ok(files.length > 100);
        assert.ok(importsOf(path.join(LIB, "engine/evaluate.ts")).includes("adapters/index"));
    });

    for (const [layer, allowed] of Object.entries(MAY_IMPORT)) {
        it(`${layer}/ imports only ${allowed.length ? allowed.join(", ") : "itself"}`, () => {
            const wrong: string[] = [];
            for (const { file, rel } of files) {
                if (layerOf(rel) !== layer) continue;
                for (const target of importsOf(file)) {
                    const to = layerOf(target);
                    if (to !== layer && !allowed.includes(to) && !allowed.includes(target)) wrong.push(`${rel} → ${target}`);
                }
            }
            assert.deepEqual(wrong, []);
        });
    }

    it("the control contract is not the place that lists the subject kinds' models: model/index.ts is", () => {
        const subject = importsOf(path.join(LIB, "contract/subject.ts"));
        assert.deepEqual(
            subject.filter((t) => t.startsWith("model/")),
            [],
        );
        const listed = importsOf(path.join(LIB, "model/index.ts")).sort();
        const augmenting = files
            .filter(
                ({ rel }) => rel.startsWith("model/") && /declare module "\.\.\/contract\/(subject|stack)"/.test(fs.readFileSync(path.join(LIB, rel), "utf8")),
            )
            .map(({ rel }) => rel.slice(0, -3))
            .sort();
        assert.deepEqual(listed, augmenting);
    });

    it("no command module imports the CLI's entry point", () => {
        const wrong = files.filter(({ rel }) => rel.startsWith("cli/") && rel !== "cli/main.ts" && importsOf(path.join(LIB, rel)).includes("cli/main"));
        assert.deepEqual(
            wrong.map((f) => f.rel),
            [],
        );
    });
});
