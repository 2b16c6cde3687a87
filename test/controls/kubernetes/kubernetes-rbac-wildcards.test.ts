import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-rbac-wildcards";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";
import { clusterRole, READ_CONFIGMAPS, role, outcome } from "../../support/kubernetes-cluster-fixtures";

describe("kubernetes-rbac-wildcards", () => {
    it('passes roles that name their verbs, resources and groups (a literal "*" resourceName is not a wildcard)', () => {
        assert.deepEqual(
            outcome(control, [
                clusterRole("reader", [READ_CONFIGMAPS]),
                role("r", "shop", [{ apiGroups: [""], resources: ["configmaps"], resourceNames: ["*"], verbs: ["get"] }]),
                clusterRole("metrics", [{ nonResourceURLs: ["/metrics"], verbs: ["get"] }]),
            ]),
            { violations: [], unknownPaths: [] },
        );
    });

    const cases: [string, Record<string, unknown>, string, RegExp][] = [
        ["verbs", { verbs: ["*"] }, "rules[0].verbs", /every verb/],
        ["resources", { resources: ["*"] }, "rules[0].resources", /every resource/],
        ["apiGroups", { apiGroups: ["*"] }, "rules[0].apiGroups", /every API group/],
        ["nonResourceURLs", { nonResourceURLs: ["*"] }, "rules[0].nonResourceURLs", /every non-resource URL/],
    ];
    for (const [name, over, path, re] of cases) {
        it(`fails a wildcard in ${name} on its own, naming the role and the field`, () => {
            const msgs = messages(control, clusterRole("broad", [{ ...READ_CONFIGMAPS, ...over }]));
            assert.equal(msgs.length, 1, msgs.join("\n"));
            assert.ok(msgs[0].startsWith(`ClusterRole "broad": ${path}: holds "*"`), msgs[0]);
            assert.match(msgs[0], re);
            assert.match(msgs[0], /\[CIS Kubernetes 5\.1\.3\]$/);
        });
    }

    it("names a namespaced Role with its namespace and the rule index", () => {
        const msgs = messages(control, role("app", "shop", [READ_CONFIGMAPS, { apiGroups: ["apps"], resources: ["*"], verbs: ["get"] }]));
        assert.deepEqual(
            msgs.map((m) => m.split(": ").slice(0, 2).join(": ")),
            ['Role "shop/app": rules[1].resources'],
        );
    });

    it("skips aggregated ClusterRoles (the controller fills their rules)", () => {
        assert.deepEqual(messages(control, clusterRole("agg", undefined, { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: "b" } }] } })), []);
    });

    it("reports unknown rules or lists as unknown", () => {
        assert.deepEqual(outcome(control, clusterRole("u", UNKNOWN_STRING)).unknownPaths, ["rules"]);
        assert.deepEqual(outcome(control, clusterRole("u", [UNKNOWN_STRING])).unknownPaths, [
            "rules[0].verbs",
            "rules[0].resources",
            "rules[0].apiGroups",
            "rules[0].nonResourceURLs",
        ]);
        const v = run(control, clusterRole("u", [{ ...READ_CONFIGMAPS, verbs: [UNKNOWN_STRING] }]), { unknownValues: "fail" }).violations;
        assert.equal(v.length, 1);
        assert.equal(v[0].unknown, true);
        assert.match(v[0].message, /rules\[0\]\.verbs: is unknown at preview/);
    });

    it("still finds a wildcard held as a secret, without showing other secrets", () => {
        const msgs = messages(control, clusterRole("s", [{ ...READ_CONFIGMAPS, verbs: secret(["*"]), resourceNames: secret(["top-secret-name"]) }]));
        assert.equal(msgs.length, 1);
        assert.ok(!msgs[0].includes("top-secret-name"));
    });

    it("gives clear messages for malformed rules and never throws", () => {
        assert.match(messages(control, clusterRole("m", "rules"))[0], /rules: is malformed: expected a list, got string/);
        assert.match(
            messages(control, clusterRole("m", [{ ...READ_CONFIGMAPS, verbs: "get" }]))[0],
            /rules\[0\]\.verbs: is malformed: expected an array, got a string/,
        );
        assert.match(messages(control, clusterRole("m", [7]))[0], /rules\[0\]\.verbs: is malformed: expected an object, got number/);
        for (const props of [null, "x", { rules: [null, [], {}] }, { metadata: 3, rules: [{ verbs: [null] }] }]) {
            assert.doesNotThrow(() => run(control, { type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", name: "m", props }));
        }
    });
});
