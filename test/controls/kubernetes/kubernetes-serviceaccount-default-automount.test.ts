import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-serviceaccount-default-automount";
import { podSpec, workload } from "../../support/fixtures";
import { messages, run, secret, UNKNOWN_BOOL, UNKNOWN_STRING } from "../../support/run-control";
import { dependingOn, namespaceRes, serviceAccount, outcome } from "../../support/kubernetes-cluster-fixtures";

const onDefault = (over: Record<string, unknown> = {}, kind = "Deployment", ns = "shop") =>
    workload(kind, { ...podSpec(), serviceAccountName: undefined, automountServiceAccountToken: undefined, ...over }, "api", ns);

describe("kubernetes-serviceaccount-default-automount", () => {
    it("passes workloads with their own account, or on the default account with the token off (pod or ServiceAccount)", () => {
        assert.deepEqual(outcome(control, [workload("Deployment", podSpec())]), { violations: [], unknownPaths: [] });
        assert.deepEqual(messages(control, [onDefault({ automountServiceAccountToken: false })]), []);
        assert.deepEqual(messages(control, [onDefault(), serviceAccount("shop", "default", false)]), []);
        assert.deepEqual(
            messages(control, [onDefault({ serviceAccountName: "app", automountServiceAccountToken: true })]),
            [],
            "pod-level tokens of own accounts are the workload controls' business",
        );
    });

    it("fails a pod on the default account with the token mounted, for every pod-bearing kind, naming workload and field", () => {
        const msgs = messages(control, [onDefault()]);
        assert.equal(msgs.length, 1);
        assert.match(
            msgs[0],
            /^Deployment "shop\/api": spec\.template\.spec\.automountServiceAccountToken: runs as the default service account and leaves automountServiceAccountToken unset \(and no default ServiceAccount of its namespace in the stack turns it off\)/,
        );
        assert.match(msgs[0], /\[CIS Kubernetes 5\.1\.5, 5\.1\.6\]$/);
        assert.match(
            messages(control, [onDefault({ serviceAccountName: "default", automountServiceAccountToken: true })])[0],
            /sets automountServiceAccountToken: true/,
        );
        assert.match(
            messages(control, [onDefault({}, "CronJob")])[0],
            /^CronJob "shop\/api": spec\.jobTemplate\.spec\.template\.spec\.automountServiceAccountToken/,
        );
        assert.match(messages(control, [onDefault({}, "Pod")])[0], /^Pod "shop\/api": spec\.automountServiceAccountToken/);
    });

    it("fails when the default ServiceAccount turns the token on, or is in another namespace", () => {
        assert.equal(messages(control, [onDefault(), serviceAccount("shop", "default", true)]).length, 1);
        assert.equal(messages(control, [onDefault(), serviceAccount("other", "default", false)]).length, 1);
    });

    it("looks up the default ServiceAccount of each workload's own namespace; the first one declared decides", () => {
        const accounts = [
            serviceAccount("shop", "app", false),
            serviceAccount("other", "default", false),
            serviceAccount("shop", "default", true),
            serviceAccount("shop", "default", false),
        ];
        assert.equal(messages(control, [onDefault(), ...accounts]).length, 1, "shop's first default account turns the token on");
        assert.deepEqual(messages(control, [onDefault({}, "Deployment", "other"), ...accounts]), []);
        assert.equal(messages(control, [onDefault({}, "Deployment", "third"), ...accounts]).length, 1, "no account in that namespace");
        // Many namespaces, each with its own default account: every workload finds its own.
        const many = Array.from({ length: 30 }, (_, i) => [
            workload("Deployment", { ...podSpec(), serviceAccountName: undefined, automountServiceAccountToken: undefined }, `w${i}`, `ns${i}`),
            serviceAccount(`ns${i}`, "default", i % 3 !== 0),
        ]).flat();
        assert.equal(messages(control, many).length, 20);
    });

    it("exempts kube-system by default and by configuration", () => {
        assert.deepEqual(messages(control, [onDefault({}, "DaemonSet", "kube-system")]), []);
        assert.deepEqual(messages(control, [onDefault({}, "Deployment", "tools")], { exemptNamespaces: ["tools"] }), []);
        assert.deepEqual(messages(control, [onDefault()], { excludeNamespaces: ["shop"] }), []);
    });

    it("follows a workload to the Namespace resource it depends on when its namespace is unknown", () => {
        const ns = namespaceRes("shop");
        const w = dependingOn(onDefault({}, "Deployment", UNKNOWN_STRING), ns);
        const sa = dependingOn(serviceAccount(UNKNOWN_STRING, "default", false), ns);
        assert.deepEqual(outcome(control, [ns, w, sa]), { violations: [], unknownPaths: [] });
    });

    it("reports unknown values as unknown", () => {
        assert.deepEqual(outcome(control, [onDefault({ automountServiceAccountToken: UNKNOWN_BOOL })]).unknownPaths, [
            "spec.template.spec.automountServiceAccountToken",
        ]);
        assert.equal(run(control, [onDefault({ serviceAccountName: UNKNOWN_STRING })], { unknownValues: "fail" }).violations[0].unknown, true);
        assert.equal(run(control, [onDefault(), serviceAccount("shop", "default", UNKNOWN_BOOL)]).unknownPaths.length, 1);
        assert.equal(run(control, [onDefault({}, "Deployment", UNKNOWN_STRING)]).unknownPaths.length, 1);
    });

    it("never shows a secret", () => {
        const msgs = messages(control, [
            onDefault({ serviceAccountName: secret("default") }),
            workload(
                "Deployment",
                { ...podSpec(), serviceAccountName: undefined, automountServiceAccountToken: undefined },
                "w2",
                secret("ns-s3cr3t") as never,
            ),
        ]);
        assert.equal(msgs.length, 2);
        assert.ok(!msgs.join("\n").includes("ns-s3cr3t"));
    });

    it("never throws on malformed workloads and service accounts", () => {
        const bad = [
            { type: "kubernetes:apps/v1:Deployment", name: "d", props: null },
            { type: "kubernetes:apps/v1:Deployment", name: "e", props: { spec: "x" } },
            { type: "kubernetes:core/v1:ServiceAccount", name: "sa", props: { metadata: 3, automountServiceAccountToken: "maybe" } },
            onDefault({ serviceAccountName: 42 }),
        ];
        assert.doesNotThrow(() => run(control, bad));
    });
});
