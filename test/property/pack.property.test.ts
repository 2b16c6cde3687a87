/**
 * The pack process on hostile input over the Analyzer protocol: every Analyze and AnalyzeStack call
 * answers (no RPC error), and the process never exits.
 */
import assert from "assert/strict";
import * as path from "path";
import fc from "fast-check";
import type { CapturedResource } from "stride-guard/lib/runner/types";
import { PolicyPackClient } from "../harness/index";
import { hostileJson, mutated, seeds } from "./hostile";
import { Res, urnOf } from "../support/run-control";

const PACK_DIR = path.resolve(__dirname, "../../../policypack");
const RUNS = Number(process.env.PROPERTY_PACK_RUNS ?? 40);
const SEED = Number(process.env.PROPERTY_SEED ?? 20261126);

function captured(r: Res): CapturedResource {
    return {
        type: r.type,
        name: r.name,
        urn: urnOf(r),
        props: r.props as Record<string, unknown>,
        custom: true,
        dependencies: [],
        propertyDependencies: {},
        options: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [] },
        kind: "register",
        ...(r.parent ? { parent: r.parent } : {}),
    };
}

describe("property: the pack process on hostile input", function () {
    this.timeout(300_000);
    let client: PolicyPackClient;
    before(async () => {
        client = await PolicyPackClient.start(PACK_DIR, { project: "prop", stack: "dev", dryRun: true });
        await client.getAnalyzerInfo();
        await client.configure({ all: "mandatory" });
    });
    after(async () => client?.close());

    it("answers every Analyze and AnalyzeStack call and stays up", async () => {
        const base = seeds().map(captured);
        const samples = fc.sample(mutated(hostileJson(true)), { seed: SEED, numRuns: RUNS });
        for (const bad of samples) {
            const res = captured(bad);
            await client.analyze(res);
            await client.analyzeStack([...base.filter((r) => r.urn !== res.urn), res]);
        }
        const state = await Promise.race([client.proc.exited.then(() => "exited"), new Promise((r) => setTimeout(() => r("alive"), 50))]);
        assert.equal(state, "alive");
    });
});
