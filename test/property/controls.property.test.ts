/**
 * Every control and adapter, on arbitrary and hostile input: nothing throws, results are
 * deterministic, and a planted secret never reaches a message. Fixed seed, bounded runs.
 */
import assert from "assert/strict";
import fc from "fast-check";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { analyze } from "stride-guard/lib/engine/analyze";
import { hostileInProcess, mutated, PLANTED, seeds } from "./hostile";
import { urnOf } from "../support/run-control";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);
const SEED = Number(process.env.PROPERTY_SEED ?? 20261126);

describe("property: controls and adapters on hostile input", function () {
    this.timeout(300_000);

    it("never throw, are deterministic, and never leak a planted secret (resource and stack controls)", () => {
        const base = seeds().map((r) => ({ ...r, urn: urnOf(r) }));
        fc.assert(
            fc.property(mutated(hostileInProcess()), (bad) => {
                const stack = [...base.filter((r) => r.urn !== urnOf(bad)), { ...bad, urn: urnOf(bad) }];
                const first = analyze("t", stack, CONTROLS);
                const second = analyze("t", stack, CONTROLS);
                assert.deepEqual(first, second);
                const text = JSON.stringify(first);
                assert.ok(!text.includes(PLANTED), "a planted secret reached a report");
            }),
            { seed: SEED, numRuns: RUNS },
        );
    });

    it("the hardened seeds themselves produce no crash and stay readable", () => {
        const base = seeds().map((r) => ({ ...r, urn: urnOf(r) }));
        const report = analyze("t", base, CONTROLS);
        assert.equal(report.errors.length, 0);
        assert.ok(
            report.findings.every((f) => !/could not be (checked|read|indexed)/.test(f.message)),
            JSON.stringify(
                report.findings.filter((f) => /could not/.test(f.message)),
                null,
                1,
            ),
        );
    });
});
