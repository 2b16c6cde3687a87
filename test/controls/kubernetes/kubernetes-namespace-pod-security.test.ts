import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-namespace-pod-security";
import { messages, remediate, run, secret, UNKNOWN_STRING } from "../../support/run-control";
import { namespaceRes, outcome } from "../../support/kubernetes-cluster-fixtures";

const ENFORCE = "pod-security.kubernetes.io/enforce";

describe("kubernetes-namespace-pod-security", () => {
    it("passes a namespace enforcing restricted, and the system namespaces by default", () => {
        assert.deepEqual(outcome(control, [namespaceRes("shop"), namespaceRes("kube-system", {}), namespaceRes("kube-node-lease", undefined)]), {
            violations: [],
            unknownPaths: [],
        });
    });

    it("fails a namespace without the label, naming the namespace and the label", () => {
        const msgs = messages(control, namespaceRes("shop", { team: "web" }));
        assert.equal(msgs.length, 1);
        assert.equal(
            msgs[0],
            `Namespace "shop": metadata.labels["${ENFORCE}"]: is not set, so Pod Security admission admits privileged pods. Set it to "restricted". [CIS Kubernetes 5.2.1; PSS restricted]`,
        );
    });

    it("fails baseline and privileged unless baseline is allowed for the namespace", () => {
        assert.match(messages(control, namespaceRes("shop", { [ENFORCE]: "baseline" }))[0], /is "baseline"\. Set it to "restricted"\./);
        assert.match(messages(control, namespaceRes("shop", { [ENFORCE]: "privileged" }))[0], /is "privileged"/);
        assert.deepEqual(messages(control, namespaceRes("cni", { [ENFORCE]: "baseline" }), { baselineNamespaces: ["cni*"] }), []);
        assert.match(
            messages(control, namespaceRes("cni", { [ENFORCE]: "privileged" }), { baselineNamespaces: ["cni"] })[0],
            /Set it to "restricted" or "baseline"/,
        );
    });

    it("checks a NamespacePatch only for the level it sets", () => {
        const patch = (labels: Record<string, string>) => ({ ...namespaceRes("shop", labels), type: "kubernetes:core/v1:NamespacePatch" });
        assert.deepEqual(messages(control, patch({ team: "web" })), []);
        assert.match(
            messages(control, patch({ [ENFORCE]: "privileged" }))[0],
            /^NamespacePatch "shop": metadata\.labels\["pod-security\.kubernetes\.io\/enforce"\]: is "privileged"/,
        );
        assert.equal(remediate(control, patch({ team: "web" })), undefined);
    });

    it("honours exemptions by name, configuration and label", () => {
        assert.deepEqual(messages(control, namespaceRes("legacy", {}), { exemptNamespaces: ["legacy"] }), []);
        assert.deepEqual(
            messages(control, namespaceRes("legacy", { "stride-guard/exempt": "true" }), { excludeLabels: { "stride-guard/exempt": "true" } }),
            [],
        );
        assert.deepEqual(messages(control, namespaceRes("legacy", {}), { excludeNames: ["leg*"] }), []);
    });

    it("reports an unknown label as unknown", () => {
        const ns = namespaceRes("shop", { [ENFORCE]: UNKNOWN_STRING });
        assert.deepEqual(outcome(control, ns), { violations: [], unknownPaths: [`metadata.labels["${ENFORCE}"]`] });
        assert.equal(run(control, ns, { unknownValues: "fail" }).violations[0].unknown, true);
    });

    it("never shows a secret label value", () => {
        const msgs = messages(control, {
            type: "kubernetes:core/v1:Namespace",
            name: "shop",
            props: { metadata: { name: "shop", labels: { [ENFORCE]: secret("privileged-s3cr3t") } } },
        });
        assert.equal(msgs.length, 1);
        assert.ok(!msgs[0].includes("privileged-s3cr3t"));
    });

    it("gives clear messages for malformed labels and never throws", () => {
        const m = messages(control, { type: "kubernetes:core/v1:Namespace", name: "shop", props: { metadata: { labels: { [ENFORCE]: 3 } } } });
        assert.match(m[0], /is malformed: expected a string, got a number/);
        for (const props of [null, 1, { metadata: "x" }, { metadata: { labels: [] } }]) {
            assert.doesNotThrow(() => run(control, { type: "kubernetes:core/v1:Namespace", name: "n", props }));
        }
    });

    it("remediates by setting the label (restricted, or baseline where allowed), keeping the other labels", () => {
        const ns = namespaceRes("shop", { team: "web" });
        const fixed = remediate(control, ns);
        assert.ok(fixed);
        assert.deepEqual((fixed.metadata as { labels: unknown }).labels, { team: "web", [ENFORCE]: "restricted" });
        assert.deepEqual(outcome(control, { ...ns, props: fixed }), { violations: [], unknownPaths: [] });
        const cni = namespaceRes("cni", { [ENFORCE]: "privileged" });
        const fixedCni = remediate(control, cni, { baselineNamespaces: ["cni"] });
        assert.equal((fixedCni?.metadata as { labels: Record<string, string> }).labels[ENFORCE], "baseline");
        const bare = { type: "kubernetes:core/v1:Namespace", name: "bare", props: {} };
        const fixedBare = remediate(control, bare);
        assert.deepEqual(fixedBare, { metadata: { labels: { [ENFORCE]: "restricted" } } });
        assert.equal(remediate(control, namespaceRes("shop")), undefined);
        assert.equal(remediate(control, namespaceRes("shop", { [ENFORCE]: UNKNOWN_STRING })), undefined);
    });
});
