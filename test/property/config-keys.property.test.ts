/**
 * A config key the resources do not carry never changes their verdict: an `excludeLabels` entry keyed by
 * `toString`, `__proto__` or any other string exempts only resources that have that label — in process
 * (the engine `check` and `scan` share) and through the pack over the Analyzer protocol.
 */
import assert from "assert/strict";
import * as path from "path";
import fc from "fast-check";
import { analyze, packOf } from "stride-guard/lib/engine/analyze";
import { reconcilePolicyConfig } from "stride-guard/lib/config/reconcile";
import { CONTROLS } from "stride-guard/lib/controls/index";
import type { CapturedResource } from "stride-guard/lib/runner/types";
import { PolicyPackClient } from "../harness/index";
import { dockerContainer, k8sContainer, podSpec, workload } from "../support/fixtures";
import { Res, urnOf } from "../support/run-control";

const PACK_DIR = path.resolve(__dirname, "../../../policypack");
const SEED = Number(process.env.PROPERTY_SEED ?? 20261202);

/** Every name an object inherits, and a few that engines treat specially. */
const PROTOTYPE_NAMES = [
    ...Object.getOwnPropertyNames(Object.prototype),
    ...Object.getOwnPropertyNames(Function.prototype),
    ...Object.getOwnPropertyNames(Array.prototype),
    "prototype",
    "then",
];

/** Resources that fail several controls; the only label any of them carries is `app`. */
function insecure(): Res[] {
    const bad = k8sContainer({ securityContext: { privileged: true, runAsUser: 0 }, resources: {} });
    return [
        dockerContainer({ privileged: true, memory: undefined, readOnly: false }),
        workload("Pod", podSpec({ hostNetwork: true, containers: [bad] })),
        workload("Deployment", podSpec({ hostPID: true, containers: [bad] })),
    ];
}
const CARRIED = new Set(["app"]);

const labelKey = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string(), fc.string({ unit: "binary" })).filter((k) => !CARRIED.has(k));
const labelValue = fc.oneof(fc.constant("*"), fc.string());

/** A config file's text giving every control `excludeLabels: { key: value }` (text, so `__proto__` stays an own key). */
function configText(key: string, value: string): string {
    const entry = `{"excludeLabels":{${JSON.stringify(key)}:${JSON.stringify(value)}}}`;
    return `{${CONTROLS.map((c) => `${JSON.stringify(c.id)}:${entry}`).join(",")}}`;
}

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
    };
}

function verdict(configJson: string | undefined): string[] {
    const rec = reconcilePolicyConfig(packOf(CONTROLS), configJson ?? {});
    assert.ok(rec.ok, rec.ok ? "" : rec.message);
    const resources = insecure().map((r) => ({ type: r.type, name: r.name, urn: urnOf(r), props: r.props as Record<string, unknown> }));
    return analyze("t", resources, CONTROLS, rec.config)
        .findings.map((f) => `${f.control} ${f.level} ${f.message}`)
        .sort();
}

describe("property: config keys the resources do not carry", function () {
    this.timeout(300_000);

    it("the planted resources have findings to lose, and a label they carry does exempt them", () => {
        const base = verdict(undefined);
        assert.ok(base.length > 10, `only ${base.length} findings`);
        assert.ok(verdict(configText("app", "*")).length < base.length);
    });

    it("in process: an excludeLabels key of any shape leaves the verdict as it is", () => {
        const base = verdict(undefined);
        fc.assert(
            fc.property(labelKey, labelValue, (key, value) => {
                assert.deepEqual(verdict(configText(key, value)), base);
            }),
            { seed: SEED, numRuns: 150, examples: PROTOTYPE_NAMES.map((k) => [k, "*"]) },
        );
    });

    describe("through the pack", () => {
        let client: PolicyPackClient;
        before(async () => {
            client = await PolicyPackClient.start(PACK_DIR, { project: "prop", stack: "dev", dryRun: true });
            await client.getAnalyzerInfo();
        });
        after(async () => client?.close());

        async function packVerdict(configJson: string): Promise<string[]> {
            await client.configure(configJson);
            const out: string[] = [];
            for (const r of insecure()) for (const d of await client.analyze(captured(r))) out.push(`${d.policyName} ${d.message}`);
            return out.sort();
        }

        it("an excludeLabels key of any shape leaves Analyze's diagnostics as they are", async () => {
            const base = await packVerdict("{}");
            assert.ok(base.length > 10, `only ${base.length} diagnostics`);
            const keys = [...PROTOTYPE_NAMES, ...fc.sample(labelKey, { seed: SEED, numRuns: 10 })];
            for (const key of keys) assert.deepEqual(await packVerdict(configText(key, "*")), base, `excludeLabels key ${JSON.stringify(key)}`);
            assert.ok((await packVerdict(configText("app", "*"))).length < base.length);
        });
    });
});
