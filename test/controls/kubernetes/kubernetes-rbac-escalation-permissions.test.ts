import assert from "assert/strict";
import control, { ESCALATION_PERMISSIONS } from "stride-guard/lib/controls/kubernetes/kubernetes-rbac-escalation-permissions";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";
import { clusterRole, READ_CONFIGMAPS, role, outcome } from "../../support/kubernetes-cluster-fixtures";

const RBAC = "rbac.authorization.k8s.io";

describe("kubernetes-rbac-escalation-permissions", () => {
    it("passes a role without escalation permissions (reading roles, impersonation scoped elsewhere)", () => {
        assert.deepEqual(
            outcome(control, [
                clusterRole("reader", [READ_CONFIGMAPS, { apiGroups: [RBAC], resources: ["roles", "clusterroles"], verbs: ["get", "list"] }]),
                role("pv-reader", "shop", [{ apiGroups: [""], resources: ["persistentvolumes"], verbs: ["get"] }]),
            ]),
            { violations: [], unknownPaths: [] },
        );
    });

    const cases: [string, Record<string, unknown>, RegExp][] = [
        ["escalate", { apiGroups: [RBAC], resources: ["clusterroles"], verbs: ["escalate"] }, /grants escalate on clusterroles \(5\.1\.8\)/],
        ["bind", { apiGroups: [RBAC], resources: ["roles"], verbs: ["bind"] }, /grants bind on roles \(5\.1\.8\)/],
        ["impersonate", { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"] }, /grants impersonate on serviceaccounts \(5\.1\.8\)/],
        [
            "impersonate userextras",
            { apiGroups: ["authentication.k8s.io"], resources: ["userextras/scopes"], verbs: ["impersonate"] },
            /impersonate on userextras/,
        ],
        ["create persistentvolumes", { apiGroups: [""], resources: ["persistentvolumes"], verbs: ["create"] }, /\(5\.1\.9\)/],
        ["nodes/proxy", { apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get"] }, /get on nodes\/proxy \(5\.1\.10\)/],
        ["CSR approval", { apiGroups: ["certificates.k8s.io"], resources: ["certificatesigningrequests/approval"], verbs: ["update"] }, /\(5\.1\.11\)/],
        ["webhooks", { apiGroups: ["admissionregistration.k8s.io"], resources: ["mutatingwebhookconfigurations"], verbs: ["patch"] }, /\(5\.1\.12\)/],
        ["token creation", { apiGroups: [""], resources: ["serviceaccounts/token"], verbs: ["create"] }, /\(5\.1\.13\)/],
        ["a subresource wildcard", { apiGroups: [""], resources: ["*/proxy"], verbs: ["get"] }, /nodes\/proxy/],
    ];
    for (const [name, rule, re] of cases) {
        it(`fails ${name} on its own, naming the role and the rule`, () => {
            const msgs = messages(control, clusterRole("ops", [READ_CONFIGMAPS, rule]));
            assert.equal(msgs.length, 1, msgs.join("\n"));
            assert.ok(msgs[0].startsWith('ClusterRole "ops": rules[1]: grants '), msgs[0]);
            assert.match(msgs[0], re);
            assert.match(msgs[0], /\[CIS Kubernetes 5\.1\.8, 5\.1\.9, 5\.1\.10, 5\.1\.11, 5\.1\.12, 5\.1\.13\]$/);
        });
    }

    it("counts wildcard verbs and resources, and reports each permission once per rule", () => {
        const msgs = messages(control, clusterRole("god", [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]));
        assert.equal(msgs.length, ESCALATION_PERMISSIONS.length);
    });

    it("a resourceNames restriction stops create (it cannot name the object) but not bind", () => {
        assert.deepEqual(
            messages(control, role("r", "shop", [{ apiGroups: [""], resources: ["serviceaccounts/token"], resourceNames: ["ci"], verbs: ["create"] }])),
            [],
        );
        assert.equal(messages(control, role("r", "shop", [{ apiGroups: [RBAC], resources: ["roles"], resourceNames: ["view"], verbs: ["bind"] }])).length, 1);
    });

    it("lets the configuration allow a permission", () => {
        const r = clusterRole("cert-manager", [{ apiGroups: ["certificates.k8s.io"], resources: ["certificatesigningrequests/approval"], verbs: ["update"] }]);
        assert.deepEqual(messages(control, r, { allow: ["csr-approval"] }), []);
    });

    it("reports an unknown list as unknown unless the rule grants something anyway", () => {
        assert.deepEqual(outcome(control, clusterRole("u", [{ apiGroups: [RBAC], resources: ["roles"], verbs: [UNKNOWN_STRING] }])).unknownPaths, ["rules[0]"]);
        const known = run(control, clusterRole("u", [{ apiGroups: [RBAC], resources: UNKNOWN_STRING, verbs: ["get"] }]));
        assert.deepEqual(known, { violations: [], unknownPaths: [] }, "get grants none of the listed permissions, whatever the resources");
        const v = run(control, clusterRole("u", UNKNOWN_STRING), { unknownValues: "fail" }).violations;
        assert.equal(v[0].unknown, true);
    });

    it("never shows secret values", () => {
        const msgs = messages(
            control,
            clusterRole("s", [{ apiGroups: [RBAC], resources: ["roles"], verbs: ["bind"], resourceNames: secret(["hidden-role-name"]) }]),
        );
        assert.equal(msgs.length, 1);
        assert.ok(!msgs[0].includes("hidden-role-name"));
    });

    it("gives clear messages for malformed rules and never throws", () => {
        assert.match(
            messages(control, clusterRole("m", [{ apiGroups: [RBAC], resources: "roles", verbs: ["bind"] }]))[0],
            /rules\[0\]\.resources: is malformed: expected an array, got a string/,
        );
        assert.match(messages(control, clusterRole("m", 5))[0], /rules: is malformed/);
        for (const props of [null, [], { rules: [undefined, null, 1] }])
            assert.doesNotThrow(() => run(control, { type: "kubernetes:rbac.authorization.k8s.io/v1:Role", name: "m", props }));
    });
});
