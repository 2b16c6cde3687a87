/**
 * Adding a control is one file plus its test: every module under controls/<domain>/ whose default export is a
 * control is in CONTROLS, named by its file, and has its test file; nothing is in CONTROLS without such a file.
 * (The planted-violation fixture is checked by test/pack/planted.test.ts.)
 */
import assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { CONTROLS } from "stride-guard/lib/controls/index";

const BIN = path.dirname(require.resolve("stride-guard/lib/controls/index"));
const TESTS = path.resolve(__dirname, "../../../test/controls");

describe("controls: one file and its test each, all listed", () => {
    const files: { domain: string; id: string; control: { id?: unknown; scope?: unknown } }[] = [];
    for (const domain of ["docker", "kubernetes"]) {
        for (const f of fs.readdirSync(path.join(BIN, domain))) {
            if (!f.endsWith(".js")) continue;
            const exported = (require(path.join(BIN, domain, f)) as { default?: { id?: unknown; scope?: unknown } }).default;
            if (exported && typeof exported === "object" && "scope" in exported) files.push({ domain, id: f.slice(0, -3), control: exported });
        }
    }

    it("finds the control files", () => assert.ok(files.length >= 80, `${files.length}`));

    it("every control file's control is in CONTROLS, under its file's name", () => {
        const listed = new Set(CONTROLS);
        assert.deepEqual(
            files.filter((f) => f.control.id !== f.id || !listed.has(f.control as never)).map((f) => `${f.domain}/${f.id}`),
            [],
        );
    });

    it("every control in CONTROLS has its own file", () => {
        const ids = new Set(files.map((f) => f.id));
        assert.deepEqual(
            CONTROLS.filter((c) => !ids.has(c.id)).map((c) => c.id),
            [],
        );
    });

    it("every control file has its test file", () => {
        assert.deepEqual(
            files.filter((f) => !fs.existsSync(path.join(TESTS, f.domain, `${f.id}.test.ts`))).map((f) => `${f.domain}/${f.id}`),
            [],
        );
    });
});
