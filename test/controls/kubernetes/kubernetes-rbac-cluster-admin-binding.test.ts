import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-rbac-cluster-admin-binding";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";
import { clusterRoleBinding, group, roleBinding, serviceAccountSubject, user, outcome } from "../../support/kubernetes-cluster-fixtures";

describe("kubernetes-rbac-cluster-admin-binding", () => {
    it("passes bindings of other roles and of Kubernetes' own identities to cluster-admin", () => {
        assert.deepEqual(
            outcome(control, [
                clusterRoleBinding("readers", "view", [group("developers")]),
                clusterRoleBinding("cluster-admin", "cluster-admin", [group("system:masters")]),
                clusterRoleBinding("kube-system-admin", "cluster-admin", [serviceAccountSubject("kube-system", "cluster-autoscaler")]),
            ]),
            { violations: [], unknownPaths: [] },
        );
    });

    it("fails a ClusterRoleBinding of cluster-admin to a user, naming the binding, subject and field", () => {
        const msgs = messages(control, clusterRoleBinding("alice-admin", "cluster-admin", [user("alice")]));
        assert.equal(msgs.length, 1);
        assert.match(
            msgs[0],
            /^ClusterRoleBinding "alice-admin": subjects\[0\]: User "alice" is bound to cluster-admin, which grants the whole cluster\..*\[CIS Kubernetes 5\.1\.1\]$/,
        );
    });

    it("fails each non-system subject on its own: a group, an app service account, a broad group, a RoleBinding", () => {
        assert.match(messages(control, clusterRoleBinding("ops", "cluster-admin", [group("ops")]))[0], /Group "ops" is bound/);
        assert.match(
            messages(control, clusterRoleBinding("ci", "cluster-admin", [serviceAccountSubject("ci", "deployer")]))[0],
            /ServiceAccount "ci\/deployer"/,
        );
        assert.match(messages(control, clusterRoleBinding("all", "cluster-admin", [group("system:authenticated")]))[0], /Group "system:authenticated"/);
        assert.match(
            messages(control, clusterRoleBinding("kdef", "cluster-admin", [serviceAccountSubject("kube-system", "default")]))[0],
            /kube-system\/default/,
        );
        const ns = messages(control, roleBinding("shop-admin", "shop", "cluster-admin", [user("bob")], "ClusterRole"));
        assert.match(ns[0], /^RoleBinding "shop\/shop-admin": subjects\[0\]: User "bob" is bound to cluster-admin, which grants everything in the namespace/);
        const two = messages(control, clusterRoleBinding("x", "cluster-admin", [group("system:masters"), user("carol")]));
        assert.deepEqual(
            two.map((m) => m.split(": ")[1]),
            ["subjects[1]"],
        );
    });

    it("checks server-side-apply patches of bindings too", () => {
        const patch = {
            ...clusterRoleBinding("ops", "cluster-admin", [group("ops")]),
            type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBindingPatch",
        };
        assert.match(messages(control, patch)[0], /^ClusterRoleBindingPatch "ops": subjects\[0\]: Group "ops" is bound to cluster-admin/);
    });

    it("honours allowedSubjects patterns", () => {
        const b = clusterRoleBinding("ops", "cluster-admin", [group("ops-emergency"), user("alice")]);
        const msgs = messages(control, b, { allowedSubjects: ["Group:ops-*"] });
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /User "alice"/);
    });

    it("reports an unknown role reference or subject (advisory by default, a violation under unknownValues: fail)", () => {
        const b = clusterRoleBinding("x", UNKNOWN_STRING, [user("alice")]);
        assert.deepEqual(outcome(control, b), { violations: [], unknownPaths: ["roleRef.name"] });
        const v = run(control, b, { unknownValues: "fail" }).violations;
        assert.equal(v.length, 1);
        assert.equal(v[0].unknown, true);
        assert.deepEqual(outcome(control, clusterRoleBinding("x", "cluster-admin", [{ kind: "User", name: UNKNOWN_STRING }])).unknownPaths, [
            "subjects[0].name",
        ]);
        assert.deepEqual(outcome(control, clusterRoleBinding("x", "cluster-admin", UNKNOWN_STRING)).unknownPaths, ["subjects"]);
        // An unknown name on a reference to a Role can never be cluster-admin.
        assert.deepEqual(outcome(control, roleBinding("x", "shop", UNKNOWN_STRING, [user("a")])), { violations: [], unknownPaths: [] });
    });

    it("never shows a secret subject name", () => {
        const msgs = messages(control, clusterRoleBinding("x", "cluster-admin", [{ kind: "User", name: secret("hidden-user-42") }]));
        assert.equal(msgs.length, 1);
        assert.ok(!msgs.join("\n").includes("hidden-user-42"), msgs.join("\n"));
        assert.match(msgs[0], /\[secret\]/);
    });

    it("gives clear messages for malformed bindings and never throws", () => {
        assert.match(messages(control, clusterRoleBinding("x", "cluster-admin", "alice"))[0], /subjects: is malformed: expected a list, got string/);
        assert.match(messages(control, clusterRoleBinding("x", "cluster-admin", [null]))[0], /subjects\[0\]\.kind: is malformed: expected an object, got null/);
        assert.match(messages(control, clusterRoleBinding("x", "cluster-admin", [{ kind: "User" }]))[0], /subjects\[0\]: is missing its kind or name/);
        assert.match(messages(control, clusterRoleBinding("x", 42, [user("a")]))[0], /roleRef\.name: is malformed: expected a string, got a number/);
        for (const props of [null, 7, "x", [], { metadata: null }, { roleRef: null, subjects: null }]) {
            assert.doesNotThrow(() => run(control, { type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", name: "bad", props }));
        }
    });
});
