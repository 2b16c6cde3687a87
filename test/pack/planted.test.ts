/**
 * Exactness, in-process and through the policy pack: the hardened stack produces no finding; each
 * planted violation is reported by its control (and the companions listed), and by no other control.
 */
import assert from "assert/strict";
import * as path from "path";
import { analyze, packOf } from "stride-guard/lib/check/analyze";
import { reconcilePolicyConfig } from "stride-guard/lib/config/reconcile";
import { CONTROLS } from "stride-guard/lib/controls/index";
import type { CapturedResource } from "stride-guard/lib/runner/types";
import { PolicyPackClient } from "../harness/index";
import { hardenedStack, PLANTED, PLANTED_CONFIG, plantedStack } from "./planted";
import type { Res } from "../support/run-control";

const PACK_DIR = path.resolve(__dirname, "../../../policypack");
const reconciled = reconcilePolicyConfig(packOf(CONTROLS), PLANTED_CONFIG);
if (!reconciled.ok) throw new Error(reconciled.message);
const CONFIG = reconciled.config;

/**
 * Controls that only a scanned machine can make fire (a stack's declarations cannot show a partition): their
 * planted violations are machine trees, in test/scan/host.test.ts and their own tests.
 */
const SCANNED_MACHINES_ONLY: readonly string[] = ["docker-host-data-root-partition"];

const expected = (id: string) => [id, ...(PLANTED[id].also ?? [])].sort();
const controlsIn = (ids: Iterable<string>) => [...new Set(ids)].sort();

function captured(r: Res & { urn: string }): CapturedResource {
    return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: r.props as Record<string, unknown>,
        custom: true,
        dependencies: [...(r.dependencies ?? [])],
        propertyDependencies: {},
        options: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [] },
        kind: "register",
        ...(r.parent ? { parent: r.parent } : {}),
    };
}

describe("planted violations: each control reports its own, and only its own", function () {
    this.timeout(300_000);

    it("has a planted violation for every control", () => {
        assert.deepEqual(
            Object.keys(PLANTED).sort(),
            CONTROLS.map((c) => c.id)
                .filter((id) => !SCANNED_MACHINES_ONLY.includes(id))
                .sort(),
        );
    });

    describe("in-process", () => {
        it("the hardened stack has no finding", () => {
            const r = analyze("hardened", hardenedStack(), CONTROLS, CONFIG);
            assert.deepEqual(
                r.findings.map((f) => `${f.control}: ${f.message}`),
                [],
            );
        });

        for (const id of Object.keys(PLANTED)) {
            it(id, () => {
                const r = analyze(id, plantedStack(id), CONTROLS, CONFIG);
                assert.deepEqual(controlsIn(r.findings.map((f) => f.control)), expected(id), r.findings.map((f) => `${f.control}: ${f.message}`).join("\n"));
            });
        }
    });

    describe("through the policy pack (Analyzer protocol)", () => {
        let client: PolicyPackClient;
        before(async () => {
            client = await PolicyPackClient.start(PACK_DIR, { project: "planted", stack: "dev", dryRun: true });
            await client.getAnalyzerInfo();
            await client.configure(PLANTED_CONFIG);
        });
        after(async () => client?.close());

        async function diagnosticsOf(stack: (Res & { urn: string })[]) {
            const resources = stack.map(captured);
            const out = [];
            for (const r of resources) out.push(...(await client.analyze(r)));
            out.push(...(await client.analyzeStack(resources)));
            return out;
        }

        it("the hardened stack has no diagnostic", async () => {
            assert.deepEqual(
                (await diagnosticsOf(hardenedStack())).map((d) => `${d.policyName}: ${d.message}`),
                [],
            );
        });

        it("each planted violation is reported by exactly the expected policies", async () => {
            const wrong: string[] = [];
            for (const id of Object.keys(PLANTED)) {
                const ds = await diagnosticsOf(plantedStack(id));
                const got = controlsIn(ds.map((d) => d.policyName));
                const want = PLANTED[id].inProcessOnly ? [] : expected(id);
                if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${id}: got ${got.join(", ")}`);
            }
            assert.deepEqual(wrong, []);
        });
    });
});
