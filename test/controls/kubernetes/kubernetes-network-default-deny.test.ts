import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-network-default-deny";
import { podSpec, workload } from "../../support/fixtures";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";
import { dependingOn, DENY_ALL, hardenedNamespace, namespaceRes, networkPolicy, outcome } from "../../support/kubernetes-cluster-fixtures";

const app = (ns = "shop", name = "api", kind = "Deployment") => workload(kind, podSpec(), name, ns);

describe("kubernetes-network-default-deny", () => {
    it("passes namespaces with a default-deny policy, and a stack without workloads", () => {
        assert.deepEqual(outcome(control, hardenedNamespace()), { violations: [], unknownPaths: [] });
        assert.deepEqual(outcome(control, [networkPolicy("p", "shop", DENY_ALL)]), { violations: [], unknownPaths: [] });
        // Ingress and egress denied by separate policies; empty rule lists deny too.
        assert.deepEqual(
            messages(control, [
                app(),
                networkPolicy("in", "shop", { podSelector: {}, ingress: [] }),
                networkPolicy("out", "shop", { podSelector: { matchLabels: {} }, policyTypes: ["Egress"], egress: [] }),
            ]),
            [],
        );
    });

    it("fails a namespace with workloads but no policy, naming the namespace resource and a workload", () => {
        const ns = namespaceRes("shop");
        const out = run(control, [ns, app(), app("shop", "worker", "CronJob")]);
        assert.equal(out.violations.length, 1);
        assert.match(out.violations[0].urn, /Namespace::shop$/);
        assert.equal(
            out.violations[0].message,
            'namespace "shop": runs Deployment "shop/api" and 1 more workload(s) but has no default-deny NetworkPolicy for ingress and egress, so its pods are open to (and can reach) every pod of the cluster. Add a NetworkPolicy with podSelector: {} and policyTypes [Ingress, Egress] and no rules. [CIS Kubernetes 5.3.2]',
        );
    });

    it("fails each missing direction on its own, and policies that do not deny", () => {
        assert.match(
            messages(control, [app(), networkPolicy("in", "shop", { podSelector: {}, policyTypes: ["Ingress"] })])[0],
            /for egress,.*policyTypes \[Egress\]/,
        );
        assert.match(messages(control, [app(), networkPolicy("out", "shop", { podSelector: {}, policyTypes: ["Egress"] })])[0], /for ingress,/);
        assert.match(
            messages(control, [app(), networkPolicy("sel", "shop", { ...DENY_ALL, podSelector: { matchLabels: { app: "api" } } })])[0],
            /ingress and egress/,
        );
        assert.match(messages(control, [app(), networkPolicy("allow", "shop", { ...DENY_ALL, ingress: [{}] })])[0], /for ingress,/);
        assert.match(messages(control, [app(), networkPolicy("elsewhere", "other", DENY_ALL)])[0], /namespace "shop"/);
        const bare = { type: "kubernetes:core/v1:Pod", name: "p", props: { metadata: { name: "p" }, spec: podSpec() } };
        assert.match(messages(control, [bare])[0], /^namespace "default": runs Pod "p"/);
    });

    it("requires only ingress when requireEgress is false", () => {
        assert.deepEqual(messages(control, [app(), networkPolicy("in", "shop", { podSelector: {} })], { requireEgress: false }), []);
    });

    it("exempts system namespaces, configured namespaces and exempt workloads", () => {
        assert.deepEqual(messages(control, [app("kube-system")]), []);
        assert.deepEqual(messages(control, [app("tools")], { exemptNamespaces: ["tools"] }), []);
        assert.deepEqual(messages(control, [app("tools")], { excludeNamespaces: ["tools"] }), []);
        assert.deepEqual(messages(control, [app("shop", "api")], { excludeNames: ["api"] }), []);
    });

    it("ties objects to an auto-named Namespace through their dependencies", () => {
        const ns = { type: "kubernetes:core/v1:Namespace", name: "shop", props: { metadata: {} } };
        const w = dependingOn(app(UNKNOWN_STRING), ns);
        const p = dependingOn(networkPolicy("deny", UNKNOWN_STRING, DENY_ALL), ns);
        assert.deepEqual(outcome(control, [ns, w, p]), { violations: [], unknownPaths: [] });
        const msgs = messages(control, [ns, w]);
        assert.match(msgs[0], /^the namespace of Namespace resource "shop": runs Deployment "api"/);
    });

    it("reports unknown namespaces and policies as unknown", () => {
        assert.deepEqual(outcome(control, [app(UNKNOWN_STRING)]).unknownPaths, ["metadata.namespace"]);
        assert.deepEqual(outcome(control, [app(), networkPolicy("p", UNKNOWN_STRING, DENY_ALL)]).unknownPaths, ["ingress, egress"]);
        const u = run(control, [app(), networkPolicy("p", "shop", { podSelector: UNKNOWN_STRING, policyTypes: ["Ingress", "Egress"] })], {
            unknownValues: "fail",
        });
        assert.equal(u.violations.length, 1);
        assert.equal(u.violations[0].unknown, true);
    });

    it("never shows a secret", () => {
        const msgs = messages(control, [workload("Deployment", podSpec(), "api", secret("ns-s3cr3t") as never)]);
        assert.equal(msgs.length, 1);
        assert.ok(!msgs[0].includes("ns-s3cr3t"), msgs[0]);
    });

    it("never throws on malformed policies and workloads", () => {
        const bad = [
            app(),
            networkPolicy("a", "shop", "spec"),
            networkPolicy("b", "shop", { podSelector: 3, policyTypes: "Ingress", ingress: {} }),
            { type: "kubernetes:networking.k8s.io/v1:NetworkPolicy", name: "c", props: null },
            { type: "kubernetes:apps/v1:Deployment", name: "d", props: { metadata: [] } },
        ];
        const out = run(control, bad);
        assert.ok(out.violations.every((v) => typeof v.message === "string"));
    });
});
