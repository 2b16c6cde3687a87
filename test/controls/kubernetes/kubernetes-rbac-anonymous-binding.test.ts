import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-rbac-anonymous-binding";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";
import { clusterRoleBinding, group, roleBinding, user, outcome } from "../../support/kubernetes-cluster-fixtures";

describe("kubernetes-rbac-anonymous-binding", () => {
    it("passes bindings to authenticated identities", () => {
        assert.deepEqual(
            outcome(control, [clusterRoleBinding("view", "view", [group("developers")]), roleBinding("r", "shop", "reader", [user("system:kube-scheduler")])]),
            { violations: [], unknownPaths: [] },
        );
    });

    it("fails system:anonymous and system:unauthenticated, each on its own, naming binding, role and subject", () => {
        const a = messages(control, clusterRoleBinding("anon", "view", [user("system:anonymous")]));
        assert.equal(a.length, 1);
        assert.match(
            a[0],
            /^ClusterRoleBinding "anon": subjects\[0\]: binds role "view" to User "system:anonymous": anyone who can reach the API server gets it/,
        );
        const u = messages(control, roleBinding("health", "shop", "healthz", [group("developers"), group("system:unauthenticated")]));
        assert.equal(u.length, 1);
        assert.match(u[0], /^RoleBinding "shop\/health": subjects\[1\]: binds role "healthz" to Group "system:unauthenticated"/);
    });

    it("does not mistake a group named system:anonymous for the user", () => {
        assert.deepEqual(messages(control, clusterRoleBinding("g", "view", [group("system:anonymous")])), []);
    });

    it("reports unknown subjects as unknown", () => {
        const b = clusterRoleBinding("x", "view", [{ kind: "User", name: UNKNOWN_STRING }]);
        assert.deepEqual(outcome(control, b), { violations: [], unknownPaths: ["subjects[0].name"] });
        assert.equal(run(control, b, { unknownValues: "fail" }).violations[0].unknown, true);
    });

    it("never shows a secret role name", () => {
        const msgs = messages(control, clusterRoleBinding("x", secret("role-s3cr3t"), [user("system:anonymous")]));
        assert.equal(msgs.length, 1);
        assert.ok(!msgs[0].includes("role-s3cr3t"));
    });

    it("gives clear messages for malformed subjects and never throws", () => {
        assert.match(messages(control, clusterRoleBinding("x", "view", { kind: "User" }))[0], /subjects: is malformed: expected a list, got an object/);
        assert.match(messages(control, clusterRoleBinding("x", "view", [{ kind: 3, name: "a" }]))[0], /subjects\[0\]\.kind: is malformed: expected a string/);
        for (const props of [null, 1, { subjects: [[]] }])
            assert.doesNotThrow(() => run(control, { type: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", name: "b", props }));
    });
});
