// The catalog's per-item table of CIS Docker 1.6.0 sections 1–2 must say what the controls do: an item said to
// be seen by a command has a control that names it, an item said to be unchecked has none, and every section 1–2
// id a control names has a row.
import assert from "assert/strict";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { CIS_DOCKER_SECTIONS_1_2, renderCisDockerCoverage } from "stride-guard/lib/scan/cis-docker";

const named = (id: string) => CONTROLS.filter((c) => c.refs.docker?.includes(id)).map((c) => c.id);

describe("CIS Docker sections 1–2 coverage table", () => {
    it("lists each item once, in benchmark order", () => {
        const ids = CIS_DOCKER_SECTIONS_1_2.map((i) => i.id);
        assert.equal(new Set(ids).size, ids.length);
        assert.deepEqual(
            ids,
            [...ids].sort((a, b) => a.localeCompare(b, "en", { numeric: true })),
        );
    });

    it("names a control for every item a command sees, and none for an unchecked one", () => {
        for (const item of CIS_DOCKER_SECTIONS_1_2) {
            if (item.unchecked !== undefined) {
                assert.deepEqual(named(item.id), [], item.id);
                assert.ok(item.host === undefined && item.docker === undefined && item.check === undefined, item.id);
            } else {
                assert.ok(named(item.id).length > 0, `${item.id} has no control`);
                assert.ok(item.host !== undefined || item.docker !== undefined, `${item.id}: neither scan host nor scan docker sees it`);
            }
        }
    });

    it("has a row for every section 1–2 id a control names", () => {
        const rows = new Set(CIS_DOCKER_SECTIONS_1_2.map((i) => i.id));
        const refs = new Set(CONTROLS.flatMap((c) => c.refs.docker ?? []).filter((id) => /^[12]\./.test(id)));
        for (const id of refs) assert.ok(rows.has(id), id);
    });

    it("renders one row per item with its controls", () => {
        const md = renderCisDockerCoverage(CONTROLS);
        assert.match(md, /\n\| 1\.1\.3 \| Auditing of the Docker daemon \| `docker-daemon-auditing`[^|]* \| audit rules/);
        assert.match(
            md,
            /\n\| 2\.2 \| [^|]+ \| [^|]*`docker-daemon-icc-disabled`[^|]* \| `--icc` on dockerd's command line or `"icc"` in the daemon\.json it uses \| — \|/,
        );
        assert.equal(md.split("\n").filter((l) => /^\| \d/.test(l)).length, CIS_DOCKER_SECTIONS_1_2.length);
    });
});
