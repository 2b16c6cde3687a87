import assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { cli, fixture, tempDir } from "../scan/helpers";

const SAMPLE = path.resolve(__dirname, "../../../test/fixtures/projects/sample");

describe("--output FILE", function () {
    this.timeout(60_000);

    it("scan writes the report to the file in any format, nothing to stdout, with the exit code of the findings", async () => {
        const dir = tempDir();
        for (const format of ["text", "json", "sarif", "junit"]) {
            const file = path.join(dir, `report.${format}`);
            fs.writeFileSync(file, "an older, longer report that must not survive\n".repeat(100));
            const r = await cli(["scan", "compose", fixture("compose", "insecure-v2.yml"), "--format", format, "--output", file]);
            assert.equal(r.code, 1, r.err);
            assert.equal(r.out, "");
            const direct = await cli(["scan", "compose", fixture("compose", "insecure-v2.yml"), "--format", format]);
            assert.equal(fs.readFileSync(file, "utf8"), direct.out, format);
        }
    });

    it("check writes its report to the file", async () => {
        const file = path.join(tempDir(), "check.json");
        const r = await cli(["check", SAMPLE, "--stack", "violating", "--format", "json", "--output", file]);
        assert.equal(r.code, 1, r.err);
        assert.equal(r.out, "");
        const doc = JSON.parse(fs.readFileSync(file, "utf8")) as { reports: { findings: unknown[] }[] };
        assert.equal(doc.reports[0].findings.length > 0, true);
    });

    it("a file that cannot be written is exit 2 with one line naming it", async () => {
        const file = path.join(tempDir(), "no-such-dir", "r.txt");
        const r = await cli(["scan", "compose", fixture("compose", "hardened-v3.yml"), "--output", file]);
        assert.equal(r.code, 2);
        assert.match(r.err, /cannot write the report to .*no-such-dir\/r\.txt: ENOENT/);
    });
});
