import assert from "assert/strict";
import { kubernetesClusterOf } from "stride-guard/lib/adapters/kubernetes/cluster-index";
import { k8sKindOf } from "stride-guard/lib/adapters/kubernetes/cluster-meta";
import { ingressModelOf, namespaceModelOf, secretModelOf, serviceModelOf } from "stride-guard/lib/adapters/kubernetes/cluster-objects";
import { kubeconfigView, parseKubeconfig, providerModelOf } from "stride-guard/lib/adapters/kubernetes/cluster-provider";
import { bindingModelOf, roleModelOf } from "stride-guard/lib/adapters/kubernetes/cluster-rbac";
import { Invalid, UNKNOWN } from "stride-guard/lib/kernel/values";
import { clean } from "stride-guard/lib/kernel/clean";
import { RbacRule, ruleGrants, isSystemSubject } from "stride-guard/lib/model/kubernetes-rbac";
import { podSpec, workload } from "../support/fixtures";
import { Res, secret, UNKNOWN_STRING, urnOf } from "../support/run-control";
import {
    clusterRole,
    clusterRoleBinding,
    DENY_ALL,
    dependingOn,
    group,
    kubeconfigYaml,
    namespaceRes,
    networkPolicy,
    provider,
    role,
    roleBinding,
    secretRes,
    serviceAccount,
    user,
} from "../support/kubernetes-cluster-fixtures";

const cleaned = (r: Res) => clean(r.props).value;
const index = (rs: Res[]) =>
    kubernetesClusterOf(rs.map((r) => ({ type: r.type, name: r.name, urn: urnOf(r), props: cleaned(r), dependencies: r.dependencies })));
const rule = (o: Partial<RbacRule>): RbacRule => ({
    path: "rules[0]",
    apiGroups: [""],
    resources: [],
    verbs: [],
    resourceNames: undefined,
    nonResourceURLs: undefined,
    ...o,
});

describe("adapters/kubernetes/cluster", () => {
    it("reads type tokens of any API version, core as the empty group", () => {
        assert.deepEqual(k8sKindOf("kubernetes:core/v1:Namespace"), { group: "", version: "v1", kind: "Namespace" });
        assert.deepEqual(k8sKindOf("kubernetes:rbac.authorization.k8s.io/v1beta1:ClusterRole"), {
            group: "rbac.authorization.k8s.io",
            version: "v1beta1",
            kind: "ClusterRole",
        });
        assert.equal(k8sKindOf("pulumi:providers:kubernetes"), undefined);
        assert.equal(roleModelOf("kubernetes:core/v1:Role", {}, "x"), undefined, "Role only in the RBAC group");
        assert.equal(roleModelOf("kubernetes:rbac.authorization.k8s.io/v1:RolePatch", {}, "x")?.patch, true, "server-side-apply patches are read too");
        assert.equal(roleModelOf("kubernetes:rbac.authorization.k8s.io/v1:RoleList", {}, "x"), undefined);
        assert.equal(serviceModelOf("kubernetes:core/v1:ServicePatch", {}, "x")?.patch, true);
        assert.equal(ingressModelOf("kubernetes:core/v1:Ingress", {}, "x"), undefined);
    });

    it("normalizes roles and bindings, keeping unknown and malformed entries visible", () => {
        const r = roleModelOf(
            "kubernetes:rbac.authorization.k8s.io/v1:Role",
            cleaned(role("app", "shop", [{ verbs: ["get"], resources: ["pods"] }, UNKNOWN_STRING, 3])),
            "res",
        );
        assert.ok(r && Array.isArray(r.rules));
        assert.equal(r.name, "app");
        assert.equal(r.namespace, "shop");
        assert.deepEqual([r.rules[0].verbs, r.rules[0].apiGroups], [["get"], undefined]);
        assert.equal(r.rules[1].verbs, UNKNOWN);
        assert.ok(r.rules[2].verbs instanceof Invalid);
        const agg = roleModelOf("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", { aggregationRule: {} }, "agg");
        assert.equal(agg?.aggregated, true);
        assert.equal(agg?.name, "agg", "auto-named roles are named by their Pulumi name");
        const b = bindingModelOf(
            "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
            cleaned(roleBinding("b", "shop", "app", [user("alice"), { kind: "ServiceAccount", name: "api" }])),
            "b",
        );
        assert.equal(b?.roleRefKind, "Role");
        assert.deepEqual(b?.subjects, [
            { path: "subjects[0]", kind: "User", name: "alice", namespace: undefined },
            { path: "subjects[1]", kind: "ServiceAccount", name: "api", namespace: undefined },
        ]);
    });

    it("matches RBAC rules as the authorizer does", () => {
        assert.equal(ruleGrants(rule({ verbs: ["*"], resources: ["secrets"] }), "get", "secrets", ""), true);
        assert.equal(ruleGrants(rule({ verbs: ["get"], resources: ["secrets"], apiGroups: ["apps"] }), "get", "secrets", ""), false);
        assert.equal(ruleGrants(rule({ verbs: ["create"], resources: ["*/exec"] }), "create", "pods/exec", ""), true);
        assert.equal(ruleGrants(rule({ verbs: ["create"], resources: ["pods"] }), "create", "pods/exec", ""), false);
        assert.equal(ruleGrants(rule({ verbs: ["get"], resources: ["secrets"], resourceNames: ["one"] }), "get", "secrets", ""), true);
        assert.equal(ruleGrants(rule({ verbs: ["list"], resources: ["secrets"], resourceNames: ["one"] }), "list", "secrets", ""), false);
        assert.equal(ruleGrants(rule({ verbs: UNKNOWN, resources: ["secrets"] }), "get", "secrets", ""), UNKNOWN);
        assert.equal(ruleGrants(rule({ verbs: UNKNOWN, resources: ["pods"] }), "get", "secrets", ""), false, "a known mismatch settles it");
    });

    it("tells Kubernetes' own identities from broad ones", () => {
        assert.equal(isSystemSubject("Group:system:masters"), true);
        assert.equal(isSystemSubject("User:system:kube-controller-manager"), true);
        assert.equal(isSystemSubject("ServiceAccount:kube-system/coredns"), true);
        for (const k of [
            "Group:system:authenticated",
            "Group:system:serviceaccounts:shop",
            "User:system:anonymous",
            "ServiceAccount:kube-system/default",
            "User:alice",
            "ServiceAccount:shop/api",
        ]) {
            assert.equal(isSystemSubject(k), false, k);
        }
    });

    it("reads namespaces, services, ingresses and secrets", () => {
        assert.deepEqual(namespaceModelOf("kubernetes:core/v1:Namespace", cleaned(namespaceRes("shop")), "shop")?.enforce, "restricted");
        const svc = serviceModelOf("kubernetes:core/v1:Service", { metadata: { name: "s" }, spec: { type: "NodePort", externalIPs: ["1.2.3.4"] } }, "s");
        assert.deepEqual([svc?.type, svc?.externalIPs, svc?.namespace], ["NodePort", ["1.2.3.4"], undefined]);
        const ing = ingressModelOf("kubernetes:networking.k8s.io/v1:Ingress", { spec: { backend: {}, tls: [{}], rules: [{ host: "a" }] } }, "i");
        assert.deepEqual(
            [ing?.hasDefaultBackend, ing?.tls, ing?.rules],
            [true, [{ path: "spec.tls[0].hosts", hosts: undefined }], [{ path: "spec.rules[0].host", host: "a" }]],
        );
    });

    it("tells plaintext Secret values only where secret markers survive", () => {
        const r = secretRes("s", "shop", { data: { a: secret("x"), b: "y" }, stringData: secret({ c: "z" }) });
        const c = clean(r.props);
        const visible = secretModelOf(r.type, c.value, r.name, c.secretValues);
        assert.deepEqual(visible?.payloads, [
            { field: "data", plaintextKeys: ["b"] },
            { field: "stringData", plaintextKeys: [] },
        ]);
        const analyze = secretModelOf(r.type, c.value, r.name, undefined);
        assert.deepEqual(
            analyze?.payloads.map((p) => p.plaintextKeys),
            ["undecidable", "undecidable"],
        );
    });

    it("parses kubeconfigs and picks the cluster and user in use", () => {
        const creds: string[] = [];
        const view = kubeconfigView(
            parseKubeconfig(kubeconfigYaml({ user: { token: "tok" }, extraClusters: [{ name: "lab", server: "http://lab" }] })),
            undefined,
            undefined,
            creds,
        );
        assert.ok(!(view instanceof Invalid) && view !== UNKNOWN && view !== undefined);
        assert.deepEqual(
            view.clusters.map((c) => c.name),
            ["prod"],
        );
        assert.deepEqual(view.users, [{ name: "deployer", basicAuth: false, embeddedCredentials: ["token"] }]);
        assert.deepEqual(creds, ["tok"]);
        assert.ok(parseKubeconfig("a: [") instanceof Invalid);
        const p = providerModelOf({ type: "pulumi:providers:kubernetes", name: "p", urn: "u", props: { kubeconfig: "~/.kube/config" }, secretValues: [] });
        assert.equal(p?.kubeconfig, undefined, "a path is not read");
        assert.equal(providerModelOf({ type: "pulumi:providers:docker", name: "p", urn: "u", props: {} }), undefined);
        const analyze = providerModelOf({
            type: "pulumi:providers:kubernetes",
            name: "p",
            urn: "u",
            props: cleaned(provider({ kubeconfig: kubeconfigYaml() })),
        });
        assert.equal(analyze?.kubeconfigIsSecret, "undecidable");
    });

    it("indexes the stack: namespaces by name or by the Namespace resource objects depend on", () => {
        const autoNs = { type: "kubernetes:core/v1:Namespace", name: "shop", props: { metadata: {} } };
        const idx = index([
            autoNs,
            dependingOn(workload("Deployment", podSpec(), "api", UNKNOWN_STRING), autoNs),
            workload("Job", podSpec(), "job", "batch"),
            { type: "kubernetes:core/v1:Pod", name: "bare", props: { metadata: { name: "bare" }, spec: podSpec() } },
            workload("Deployment", podSpec(), "lost", UNKNOWN_STRING),
            networkPolicy("deny", "batch", DENY_ALL),
            serviceAccount("batch", "default", false),
        ]);
        const key = `urn:${urnOf(autoNs)}`;
        assert.deepEqual(
            idx.workloads.map((w) => w.namespace),
            [key, "batch", "default", UNKNOWN],
        );
        assert.equal(idx.describeNamespace(key), 'the namespace of Namespace resource "shop"');
        assert.deepEqual(
            idx.networkPolicies.map((p) => [p.namespace, p.selectsAllPods, p.deniesIngress, p.deniesEgress]),
            [["batch", true, true, true]],
        );
        assert.deepEqual(
            idx.serviceAccounts.map((a) => [a.namespace, a.name, a.automountServiceAccountToken]),
            [["batch", "default", false]],
        );
    });

    it("finds a service account by namespace and name (the first declared), never one whose namespace is unknown", () => {
        const ns = namespaceRes("shop");
        const idx = index([
            ns,
            serviceAccount("batch", "default", false),
            { ...serviceAccount("batch", "default", true), name: "second" },
            serviceAccount("batch", "app"),
            serviceAccount(UNKNOWN_STRING, "default", true),
            dependingOn(serviceAccount(UNKNOWN_STRING, "ci", false), ns),
        ]);
        assert.equal(idx.serviceAccountOf("batch", "default")?.automountServiceAccountToken, false);
        assert.equal(idx.serviceAccountOf("batch", "app")?.name, "app");
        assert.equal(idx.serviceAccountOf("shop", "ci")?.automountServiceAccountToken, false, "tied to the Namespace it depends on");
        assert.equal(idx.serviceAccountOf("shop", "default"), undefined);
        assert.equal(idx.serviceAccountOf("default", "default"), undefined);
        assert.equal(idx.serviceAccountOf("batch", "ci"), undefined);
    });

    it("reads NetworkPolicy defaults: Ingress always, Egress only with egress rules or policyTypes", () => {
        const np = (spec: unknown) => index([networkPolicy("p", "shop", spec)]).networkPolicies[0];
        assert.deepEqual([np({ podSelector: {} }).deniesIngress, np({ podSelector: {} }).deniesEgress], [true, false]);
        assert.equal(np({ podSelector: {}, egress: [] }).deniesEgress, true);
        assert.equal(np({ podSelector: {}, ingress: [{ from: [] }] }).deniesIngress, false);
        assert.equal(np({ podSelector: { matchExpressions: [{ key: "a", operator: "Exists" }] } }).selectsAllPods, false);
        assert.equal(np(UNKNOWN_STRING).deniesIngress, UNKNOWN);
    });

    it("resolves a binding's role: declared (by name and namespace, or by dependency), built in, or unknown", () => {
        const cr = clusterRole("reader", [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }]);
        const r = role("app", "shop", []);
        const idx = index([
            cr,
            r,
            clusterRoleBinding("a", "reader", [group("g")]),
            roleBinding("b", "shop", "app", [group("g")]),
            roleBinding("c", "other", "app", [group("g")]),
            clusterRoleBinding("d", "edit", [group("g")]),
            dependingOn(clusterRoleBinding("e", UNKNOWN_STRING, [group("g")]), cr),
            clusterRoleBinding("f", UNKNOWN_STRING, [group("g")]),
            clusterRoleBinding("g", "nowhere", [group("g")]),
        ]);
        const names = idx.bindings.map((b) => {
            const found = idx.roleOf(b);
            return found === UNKNOWN ? "unknown" : found === undefined ? "none" : "model" in found ? found.model.name : `builtin:${found.name}`;
        });
        assert.deepEqual(names, ["reader", "app", "none", "builtin:edit", "reader", "unknown", "none"]);
    });
});
