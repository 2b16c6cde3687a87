import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-quota-namespace-limits";
import { podSpec, workload } from "../../support/fixtures";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";
import { dependingOn, hardenedNamespace, limitRange, namespaceRes, resourceQuota, outcome } from "../../support/kubernetes-cluster-fixtures";

const app = (ns = "shop") => workload("StatefulSet", podSpec(), "db", ns);

describe("kubernetes-quota-namespace-limits", () => {
    it("passes a namespace with both, and namespaces without workloads", () => {
        assert.deepEqual(outcome(control, hardenedNamespace()), { violations: [], unknownPaths: [] });
        assert.deepEqual(outcome(control, [namespaceRes("empty")]), { violations: [], unknownPaths: [] });
    });

    it("fails each missing object on its own, naming the namespace and a workload", () => {
        assert.equal(
            messages(control, [app(), limitRange("shop")])[0],
            'namespace "shop": runs StatefulSet "shop/db" but has no ResourceQuota, so nothing bounds what its pods consume. Add one to the namespace.',
        );
        assert.match(messages(control, [app(), resourceQuota("shop")])[0], /has no LimitRange,/);
        assert.match(messages(control, [app(), resourceQuota("other"), limitRange("other")])[0], /has no ResourceQuota and LimitRange/);
    });

    it("exempts system and configured namespaces", () => {
        assert.deepEqual(messages(control, [app("kube-system")]), []);
        assert.deepEqual(messages(control, [app("batch")], { exemptNamespaces: ["batch"] }), []);
    });

    it("reports unknown namespaces as unknown, and follows dependencies to the Namespace resource", () => {
        assert.deepEqual(outcome(control, [app(UNKNOWN_STRING)]).unknownPaths, ["metadata.namespace"]);
        assert.deepEqual(outcome(control, [app(), resourceQuota(UNKNOWN_STRING), limitRange("shop")]).unknownPaths, ["ResourceQuota"]);
        assert.equal(run(control, [app(UNKNOWN_STRING)], { unknownValues: "fail" }).violations[0].unknown, true);
        const ns = namespaceRes("shop");
        assert.deepEqual(
            outcome(control, [
                ns,
                dependingOn(app(UNKNOWN_STRING), ns),
                dependingOn(resourceQuota(UNKNOWN_STRING), ns),
                dependingOn(limitRange(UNKNOWN_STRING), ns),
            ]),
            { violations: [], unknownPaths: [] },
        );
    });

    it("never shows a secret and never throws on malformed input", () => {
        const msgs = messages(control, [workload("Deployment", podSpec(), "w", secret("ns-s3cr3t") as never)]);
        assert.ok(!msgs.join("").includes("ns-s3cr3t"));
        assert.doesNotThrow(() =>
            run(control, [
                app(),
                { type: "kubernetes:core/v1:ResourceQuota", name: "q", props: null },
                { type: "kubernetes:core/v1:LimitRange", name: "l", props: { metadata: 1 } },
            ]),
        );
    });
});
