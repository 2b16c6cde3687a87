/**
 * The stack's Kubernetes cluster objects, indexed once per AnalyzeStack: namespaces, workloads, network
 * policies, quotas, limit ranges, service accounts, roles and bindings, each tied to its namespace.
 */
import type { StackResourceInput } from "../../contract/stack";
import { atPath, bool, boolish, field, Invalid, isObj, str, strList, Unknown, UNKNOWN, V } from "../../kernel/values";
import {
    ClusterBinding,
    ClusterNetworkPolicy,
    ClusterObject,
    ClusterRole,
    ClusterServiceAccount,
    ClusterWorkload,
    KubernetesClusterIndex,
    NamespaceKey,
} from "../../model/kubernetes-cluster";
import { BUILTIN_CLUSTER_ROLES, KubernetesRoleModel } from "../../model/kubernetes-rbac";
import { describeObject, k8sKindOf, objectMeta } from "./cluster-meta";
import { bindingModelOf, roleModelOf } from "./cluster-rbac";
import { POD_SPEC_PATH, podKindOfType } from "./workload";

/** A NetworkPolicy's podSelector selects every pod when it is absent or has no labels and no expressions. */
function selectsAll(sel: unknown): V<boolean> {
    if (sel === UNKNOWN || sel instanceof Invalid) return sel;
    if (sel === undefined || sel === null) return true;
    if (!isObj(sel)) return new Invalid("a label selector", typeof sel);
    const labels = sel["matchLabels"];
    const exprs = sel["matchExpressions"];
    if (labels === UNKNOWN || exprs === UNKNOWN) return UNKNOWN;
    const empty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);
    return empty(labels) && empty(exprs);
}

/** Whether a policy denies one direction: the type is in effect and there are no rules for it. */
function denies(spec: unknown, types: V<readonly string[]>, type: "Ingress" | "Egress", rulesKey: string): V<boolean> {
    const rules = field(spec, rulesKey);
    if (types === UNKNOWN || rules === UNKNOWN) return UNKNOWN;
    if (types instanceof Invalid) return types;
    // Without policyTypes, Ingress always applies and Egress applies when egress rules are given.
    const applies = types !== undefined ? types.includes(type) : type === "Ingress" || (rules !== undefined && rules !== null);
    if (!applies) return false;
    if (rules === undefined || rules === null) return true;
    if (!Array.isArray(rules)) return new Invalid("a list of rules", typeof rules);
    return rules.length === 0;
}

const METADATA_NAME = ["metadata", "name"];
const SPEC_KEYS: ReadonlyMap<string, readonly string[]> = new Map(Object.entries(POD_SPEC_PATH).map(([kind, path]) => [kind, path.split(".")]));

/** A kept object: its URN, label, namespace and resource. */
function objectOf(r: StackResourceInput, kind: string, m: { name: string; namespace: V<string> }, namespace: NamespaceKey | Unknown): ClusterObject {
    return { urn: r.urn, label: describeObject(kind, m.name, m.namespace), namespace, source: r };
}

export function kubernetesClusterOf(resources: readonly StackResourceInput[]): KubernetesClusterIndex {
    const namespaces = new Map<NamespaceKey, { urn: string; name: string }>();
    const nsByUrn = new Map<string, NamespaceKey>();
    for (const r of resources) {
        // Only a type ending in ":Namespace" can be one (the kind is the type's last segment).
        if (!r.type.endsWith(":Namespace")) continue;
        const k = k8sKindOf(r.type);
        if (k?.kind !== "Namespace" || k.group !== "") continue;
        const name = str(atPath(r.props, METADATA_NAME));
        const key = typeof name === "string" && name !== "" ? name : `urn:${r.urn}`;
        nsByUrn.set(r.urn, key);
        namespaces.set(key, { urn: r.urn, name: typeof name === "string" && name !== "" ? name : r.name });
    }
    /** The namespace of an object; a missing or unknown one is taken from the Namespace resource it depends on. */
    const nsOf = (r: StackResourceInput, ns: V<string>): NamespaceKey | Unknown => {
        if (typeof ns === "string" && ns !== "") return ns;
        const dep = r.dependencies?.find((d) => nsByUrn.has(d));
        if (dep !== undefined) return nsByUrn.get(dep) as NamespaceKey;
        return ns === UNKNOWN ? UNKNOWN : "default";
    };
    const workloads: ClusterWorkload[] = [];
    const networkPolicies: ClusterNetworkPolicy[] = [];
    const resourceQuotas: ClusterObject[] = [];
    const limitRanges: ClusterObject[] = [];
    const serviceAccounts: ClusterServiceAccount[] = [];
    const roles: ClusterRole[] = [];
    const bindings: ClusterBinding[] = [];
    const rolesByUrn = new Map<string, ClusterRole>();
    const rolesByName = new Map<string, ClusterRole>();
    for (const r of resources) {
        const k = k8sKindOf(r.type);
        if (k === undefined) continue;
        // Label and namespace are read only for the objects the index keeps.
        const podKind = podKindOfType(r.type);
        if (podKind !== undefined) {
            const specPath = POD_SPEC_PATH[podKind];
            const spec = atPath(r.props, SPEC_KEYS.get(podKind) ?? specPath.split("."));
            const m = objectMeta(r.props, r.name);
            workloads.push({
                urn: r.urn,
                label: describeObject(k.kind, m.name, m.namespace),
                namespace: nsOf(r, m.namespace),
                source: r,
                specPath,
                serviceAccountName: str(field(spec, "serviceAccountName") ?? field(spec, "serviceAccount")),
                automountServiceAccountToken: bool(field(spec, "automountServiceAccountToken")),
            });
            continue;
        }
        if (k.group === "networking.k8s.io" && k.kind === "NetworkPolicy") {
            const m = objectMeta(r.props, r.name);
            const spec = field(r.props, "spec");
            const types = strList(field(spec, "policyTypes"));
            networkPolicies.push({
                urn: r.urn,
                label: describeObject(k.kind, m.name, m.namespace),
                namespace: nsOf(r, m.namespace),
                source: r,
                selectsAllPods: spec === UNKNOWN ? UNKNOWN : selectsAll(field(spec, "podSelector")),
                deniesIngress: spec === UNKNOWN ? UNKNOWN : denies(spec, types, "Ingress", "ingress"),
                deniesEgress: spec === UNKNOWN ? UNKNOWN : denies(spec, types, "Egress", "egress"),
            });
        } else if (k.group === "" && k.kind === "ResourceQuota") {
            const m = objectMeta(r.props, r.name);
            resourceQuotas.push(objectOf(r, k.kind, m, nsOf(r, m.namespace)));
        } else if (k.group === "" && k.kind === "LimitRange") {
            const m = objectMeta(r.props, r.name);
            limitRanges.push(objectOf(r, k.kind, m, nsOf(r, m.namespace)));
        } else if (k.group === "" && k.kind === "ServiceAccount") {
            const m = objectMeta(r.props, r.name);
            serviceAccounts.push({
                urn: r.urn,
                label: describeObject(k.kind, m.name, m.namespace),
                namespace: nsOf(r, m.namespace),
                source: r,
                name: m.name,
                automountServiceAccountToken: boolish(field(r.props, "automountServiceAccountToken")),
            });
        } else {
            const role = roleModelOf(r.type, r.props, r.name);
            if (role !== undefined) {
                const ns = role.kind === "Role" ? nsOf(r, role.namespace) : "";
                const entry: ClusterRole = { ...objectOf(r, k.kind, objectMeta(r.props, r.name), ns), model: role };
                roles.push(entry);
                rolesByUrn.set(r.urn, entry);
                const explicit = str(atPath(r.props, METADATA_NAME));
                if (typeof explicit === "string" && typeof ns === "string") rolesByName.set(`${role.kind}|${ns}|${explicit}`, entry);
                continue;
            }
            const binding = bindingModelOf(r.type, r.props, r.name);
            if (binding !== undefined) {
                const ns = binding.kind === "RoleBinding" ? nsOf(r, binding.namespace) : "";
                bindings.push({ ...objectOf(r, k.kind, objectMeta(r.props, r.name), ns), model: binding, dependencies: r.dependencies ?? [] });
            }
        }
    }
    // Service accounts by namespace and name (the first declared wins, as a scan in stack order would find).
    const accounts = new Map<string, ClusterServiceAccount>();
    for (const a of serviceAccounts) {
        if (typeof a.namespace !== "string") continue;
        const key = `${a.namespace}\u0000${a.name}`;
        if (!accounts.has(key)) accounts.set(key, a);
    }
    const serviceAccountOf = (namespace: NamespaceKey, name: string) => accounts.get(`${namespace}\u0000${name}`);
    const builtins = new Map<string, KubernetesRoleModel>();
    const roleOf = (b: ClusterBinding): ClusterRole | KubernetesRoleModel | Unknown | undefined => {
        const kind = b.model.roleRefKind;
        const name = b.model.roleRefName;
        if (kind === UNKNOWN || kind instanceof Invalid || (kind !== "Role" && kind !== "ClusterRole")) return kind === UNKNOWN ? UNKNOWN : undefined;
        if (typeof name !== "string") {
            // Unknown at preview (or auto-named): the role the binding depends on is the one it names.
            for (const d of b.dependencies) {
                const dep = rolesByUrn.get(d);
                if (dep && dep.model.kind === kind) return dep;
            }
            return name === UNKNOWN ? UNKNOWN : undefined;
        }
        // A RoleBinding may reference a ClusterRole (granted within its namespace); a Role lives in the binding's namespace.
        const ns = kind === "Role" ? b.namespace : "";
        if (ns === UNKNOWN) return UNKNOWN;
        const found = rolesByName.get(`${kind}|${ns}|${name}`);
        if (found) return found;
        if (kind === "ClusterRole" && Object.prototype.hasOwnProperty.call(BUILTIN_CLUSTER_ROLES, name)) {
            let m = builtins.get(name);
            if (!m) {
                m = { kind: "ClusterRole", patch: false, name, namespace: undefined, rules: BUILTIN_CLUSTER_ROLES[name], aggregated: false };
                builtins.set(name, m);
            }
            return m;
        }
        return undefined;
    };
    const describeNamespace = (key: NamespaceKey): string => {
        if (!key.startsWith("urn:")) return `namespace "${key}"`;
        return `the namespace of Namespace resource "${namespaces.get(key)?.name ?? key}"`;
    };
    return {
        namespaces,
        workloads,
        networkPolicies,
        resourceQuotas,
        limitRanges,
        serviceAccounts,
        roles,
        bindings,
        serviceAccountOf,
        roleOf,
        describeNamespace,
    };
}
