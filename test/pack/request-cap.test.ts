/**
 * What one Analyze request may expand to: a resource past MAX_RESOURCE_VALUES is reported as not checkable by
 * every control that applies to it, and no control reports more than MAX_VIOLATIONS on one resource — through
 * the real pack process over the Analyzer protocol, and in process.
 */
import assert from "assert/strict";
import * as path from "path";
import { analyze } from "stride-guard/lib/engine/analyze";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { MAX_VIOLATIONS } from "stride-guard/lib/engine/evaluate";
import { clean, MAX_RESOURCE_VALUES } from "stride-guard/lib/kernel/clean";
import { Invalid } from "stride-guard/lib/kernel/values";
import type { CapturedResource } from "stride-guard/lib/runner/types";
import { PolicyPackClient } from "../harness/index";

const PACK_DIR = path.resolve(__dirname, "../../../policypack");

/** A Pod of `n` privileged containers: 5 values each, and 5 for the pod around them. */
function pod(n: number): CapturedResource {
    const containers = Array.from({ length: n }, (_, i) => ({ name: `c${i}`, image: "nginx:1.25", securityContext: { privileged: true } }));
    return {
        type: "kubernetes:core/v1:Pod",
        name: "big",
        urn: "urn:pulumi:dev::cap::kubernetes:core/v1:Pod::big",
        props: { metadata: { name: "big" }, spec: { containers } },
        custom: true,
        dependencies: [],
        propertyDependencies: {},
        options: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [] },
        kind: "register",
    };
}
const LARGEST = Math.floor((MAX_RESOURCE_VALUES - 5) / 5);

describe("pack: a cap on what one request may expand to", function () {
    this.timeout(120_000);

    it("counts a resource's values as the controls would walk them, shared subtrees as copies", () => {
        assert.ok(!((clean(pod(LARGEST).props).value as object) instanceof Invalid));
        const over = clean(pod(LARGEST + 1).props).value;
        assert.ok(over instanceof Invalid);
        assert.equal(over.got, "inputs too large to check (more than 20,000 values)");
        const list = Array.from({ length: 100 }, (_, i) => i);
        assert.ok(!(clean({ a: list, b: list }, 203).value instanceof Invalid));
        assert.ok(clean({ a: list, b: list }, 202).value instanceof Invalid, "a shared list counts once per reference");
    });

    describe("through the pack process", () => {
        let client: PolicyPackClient;
        before(async () => {
            client = await PolicyPackClient.start(PACK_DIR, { project: "cap", stack: "dev", dryRun: true });
            await client.getAnalyzerInfo();
            await client.configure({});
        });
        after(async () => client?.close());

        it("reports a Pod past the cap as not checkable by every pod control, and stays up", async () => {
            const d = await client.analyze(pod(LARGEST + 200));
            assert.ok(d.length >= 10, `${d.length} diagnostics`);
            for (const x of d) assert.match(x.message, /Pod "big": spec(\.\w+)*: .*inputs too large to check \(more than 20,000 values\)/s, x.policyName);
            assert.ok(d.some((x) => x.policyName === "kubernetes-no-privileged-containers"));
            const alive = await Promise.race([client.proc.exited.then(() => "exited"), new Promise((r) => setTimeout(() => r("alive"), 50))]);
            assert.equal(alive, "alive");
        });

        it("lists at most MAX_VIOLATIONS violations of one control on one resource, then says how many more", async () => {
            const d = (await client.analyze(pod(150))).filter((x) => x.policyName === "kubernetes-no-privileged-containers");
            assert.equal(d.length, MAX_VIOLATIONS);
            assert.match(d[MAX_VIOLATIONS - 1].message, /kubernetes:core\/v1:Pod "big": 51 more violations of this control are not listed\./);
        });
    });

    it("holds in process too (check, scan)", () => {
        const r = (p: CapturedResource) => [{ type: p.type, name: p.name, urn: p.urn, props: p.props }];
        const over = analyze("t", r(pod(LARGEST + 1)), CONTROLS).findings.filter((f) => f.message.startsWith('Pod "big": '));
        assert.ok(over.length >= 10 && over.every((f) => /inputs too large to check/.test(f.message)));
        assert.ok(over.some((f) => f.control === "kubernetes-no-privileged-containers" && f.level === "mandatory"));
        const many = analyze("t", r(pod(150)), CONTROLS).findings.filter((f) => f.control === "kubernetes-no-privileged-containers");
        assert.equal(many.length, MAX_VIOLATIONS);
    });
});
