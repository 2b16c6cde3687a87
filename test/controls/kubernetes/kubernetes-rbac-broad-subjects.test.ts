import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-rbac-broad-subjects";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";
import {
    clusterRole,
    clusterRoleBinding,
    dependingOn,
    group,
    READ_CONFIGMAPS,
    role,
    roleBinding,
    serviceAccountSubject,
    user,
    outcome,
} from "../../support/kubernetes-cluster-fixtures";

const READ_SECRETS = { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] };
const CREATE_PODS = { apiGroups: [""], resources: ["pods"], verbs: ["create"] };
const EXEC = { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] };

describe("kubernetes-rbac-broad-subjects", () => {
    it("passes broad groups bound to harmless roles, and sensitive roles bound to specific subjects", () => {
        assert.deepEqual(
            outcome(control, [
                clusterRole("cm-reader", [READ_CONFIGMAPS]),
                clusterRoleBinding("all-read-cm", "cm-reader", [group("system:authenticated")]),
                clusterRole("secret-reader", [READ_SECRETS]),
                clusterRoleBinding("vault-reads", "secret-reader", [serviceAccountSubject("vault", "vault")]),
                clusterRoleBinding("view-all", "view", [group("system:authenticated")]),
            ]),
            { violations: [], unknownPaths: [] },
        );
    });

    it("fails a broad group given a role that reads Secrets (5.1.2), naming binding, subject and role", () => {
        const msgs = messages(control, [
            clusterRole("secret-reader", [READ_SECRETS]),
            clusterRoleBinding("everyone", "secret-reader", [group("system:authenticated")]),
        ]);
        assert.equal(msgs.length, 1);
        assert.match(
            msgs[0],
            /^ClusterRoleBinding "everyone": subjects\[0\]: grants Group "system:authenticated" ClusterRole "secret-reader", which lets them read Secrets \(5\.1\.2\)\..*\[CIS Kubernetes 5\.1\.2, 5\.1\.4\]$/,
        );
    });

    it("fails each sensitive permission and each broad subject on its own", () => {
        const one = (rule: object, subject: object) => messages(control, [role("r", "shop", [rule]), roleBinding("b", "shop", "r", [subject])]);
        assert.match(one(CREATE_PODS, group("system:serviceaccounts"))[0], /create pods \(5\.1\.4\)/);
        assert.match(one(EXEC, group("system:serviceaccounts:shop"))[0], /Group "system:serviceaccounts:shop".*exec into pods/);
        assert.match(
            one({ apiGroups: [""], resources: ["pods/attach"], verbs: ["get"] }, serviceAccountSubject("shop", "default"))[0],
            /ServiceAccount "shop\/default".*attach to pods/,
        );
        assert.match(one(READ_SECRETS, user("system:anonymous"))[0], /User "system:anonymous"/);
        assert.equal(one(READ_SECRETS, user("alice")).length, 0);
    });

    it("resolves built-in roles (edit, admin, cluster-admin) and ignores roles it cannot see", () => {
        const msgs = messages(control, [roleBinding("devs", "shop", "edit", [group("system:authenticated")], "ClusterRole")]);
        assert.match(
            msgs[0],
            /^RoleBinding "shop\/devs": subjects\[0\]: grants Group "system:authenticated" ClusterRole "edit", which lets them read Secrets \(5\.1\.2\), create pods \(5\.1\.4\), exec into pods \(5\.1\.4\), attach to pods \(5\.1\.4\)/,
        );
        assert.deepEqual(messages(control, [clusterRoleBinding("x", "made-elsewhere", [group("system:authenticated")])]), []);
    });

    it("finds a Role in the binding's namespace only", () => {
        const stack = [role("r", "other", [READ_SECRETS]), roleBinding("b", "shop", "r", [group("system:authenticated")])];
        assert.deepEqual(messages(control, stack), []);
    });

    it("follows the binding's dependency to a role whose name is unknown at preview", () => {
        const r = clusterRole("secret-reader", [READ_SECRETS]);
        const b = dependingOn(clusterRoleBinding("everyone", UNKNOWN_STRING, [group("system:authenticated")]), r);
        assert.match(messages(control, [r, b])[0], /read Secrets/);
        const lonely = clusterRoleBinding("everyone", UNKNOWN_STRING, [group("system:authenticated")]);
        assert.deepEqual(outcome(control, [lonely]), { violations: [], unknownPaths: ["roleRef"] });
        assert.equal(run(control, [lonely], { unknownValues: "fail" }).violations[0].unknown, true);
    });

    it("reports unknown rules or subjects as unknown", () => {
        assert.deepEqual(outcome(control, [clusterRole("r", UNKNOWN_STRING), clusterRoleBinding("b", "r", [group("system:authenticated")])]).unknownPaths, [
            "roleRef",
        ]);
        assert.deepEqual(
            outcome(control, [clusterRole("r", [READ_SECRETS]), clusterRoleBinding("b", "r", [{ kind: "Group", name: UNKNOWN_STRING }])]).unknownPaths,
            ["subjects[0]"],
        );
    });

    it("honours a custom broadSubjects list and the common exemptions", () => {
        const stack = [clusterRole("r", [READ_SECRETS]), clusterRoleBinding("b", "r", [group("contractors")])];
        assert.equal(messages(control, stack, { broadSubjects: ["Group:contractors"] }).length, 1);
        const everyone = [clusterRole("r", [READ_SECRETS]), clusterRoleBinding("b", "r", [group("system:authenticated")])];
        assert.deepEqual(messages(control, everyone, { excludeNames: ["b"] }), []);
    });

    it("matches broadSubjects exactly, or by wildcard, and judges a role bound many times the same each time", () => {
        const stack = [
            clusterRole("r", [READ_SECRETS]),
            clusterRole("harmless", [READ_CONFIGMAPS]),
            clusterRoleBinding("b1", "r", [group("contractors")]),
            clusterRoleBinding("b2", "r", [group("contractors-eu"), user("alice")]),
            clusterRoleBinding("b3", "harmless", [group("contractors")]),
            clusterRoleBinding("b4", "r", [group("Contractors")]),
            clusterRoleBinding("b5", "r", [group("contractors"), group("partners-x")]),
        ];
        const subjectsOf = (msgs: string[]) => msgs.map((m) => /grants (Group "[\w-]+"|User "\w+")/.exec(m)?.[1]);
        assert.deepEqual(subjectsOf(messages(control, stack, { broadSubjects: ["Group:contractors"] })), ['Group "contractors"', 'Group "contractors"']);
        assert.deepEqual(subjectsOf(messages(control, stack, { broadSubjects: ["Group:contractors*", "Group:partners-*"] })), [
            'Group "contractors"',
            'Group "contractors-eu"',
            'Group "contractors"',
            'Group "partners-x"',
        ]);
        assert.deepEqual(messages(control, stack, { broadSubjects: ["Group:contractors."] }), [], "no character is a wildcard but *");
    });

    it("never shows a secret", () => {
        const stack = [
            clusterRole("r", [{ ...READ_SECRETS, resourceNames: undefined }]),
            clusterRoleBinding("b", "r", [group("system:authenticated"), user(secret("s3cr3t-user") as never)]),
        ];
        const msgs = messages(control, stack);
        assert.equal(msgs.length, 1);
        assert.ok(!msgs.join("").includes("s3cr3t-user"));
    });

    it("never throws on malformed bindings and roles", () => {
        const bad = [
            clusterRole("r", "rules"),
            clusterRoleBinding("b1", "r", [group("system:authenticated")]),
            clusterRoleBinding("b2", null, "subjects"),
            clusterRoleBinding("b3", "r", [null, 3]),
            { type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", name: "b4", props: null },
        ];
        assert.deepEqual(outcome(control, bad), { violations: [], unknownPaths: [] }, "malformed input is reported by the resource controls");
    });
});
