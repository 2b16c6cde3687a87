import type { ResourceInput } from "../contract/subject";
import { Unknown, V } from "../kernel/values";
import { KubernetesRoleBindingModel, KubernetesRoleModel } from "./kubernetes-rbac";

/**
 * A namespace as the stack knows it: its name, or, for a Namespace resource whose name is not known yet
 * (auto-named, or unknown at preview), `urn:<that resource's URN>`. Objects whose namespace is unknown at
 * preview are tied to the Namespace resource they depend on.
 */
export type NamespaceKey = string;

/** A namespaced object of the stack, with what stack controls need to report and exempt it. */
export interface ClusterObject {
    readonly urn: string;
    /** `Deployment "shop/api"`. */
    readonly label: string;
    readonly namespace: NamespaceKey | Unknown;
    /** The resource, for the common exemption settings (its names, namespace and labels are read only when they are set). */
    readonly source: ResourceInput;
}

/** A pod-bearing object, with the pod-spec fields the stack controls read. */
export interface ClusterWorkload extends ClusterObject {
    /** Where the pod spec lives, e.g. `spec.template.spec`. */
    readonly specPath: string;
    /** `serviceAccountName` (or the deprecated `serviceAccount`); undefined means "default". */
    readonly serviceAccountName: V<string>;
    readonly automountServiceAccountToken: V<boolean>;
}

export interface ClusterNetworkPolicy extends ClusterObject {
    /** podSelector is empty: the policy selects every pod of its namespace. */
    readonly selectsAllPods: V<boolean>;
    /** Selected pods get no ingress (Ingress in policyTypes, no ingress rules). */
    readonly deniesIngress: V<boolean>;
    /** Selected pods get no egress (Egress in policyTypes, no egress rules). */
    readonly deniesEgress: V<boolean>;
}

export interface ClusterServiceAccount extends ClusterObject {
    readonly name: string;
    readonly automountServiceAccountToken: V<boolean>;
}

export interface ClusterRole extends ClusterObject {
    readonly model: KubernetesRoleModel;
}

export interface ClusterBinding extends ClusterObject {
    readonly model: KubernetesRoleBindingModel;
    /** URNs the binding depends on (to find a role whose name is unknown at preview). */
    readonly dependencies: readonly string[];
}

/** Kubernetes cluster objects of the stack, indexed once per AnalyzeStack. */
export interface KubernetesClusterIndex {
    /** Namespace resources declared by the stack: key → display name. */
    readonly namespaces: ReadonlyMap<NamespaceKey, { readonly urn: string; readonly name: string }>;
    readonly workloads: readonly ClusterWorkload[];
    readonly networkPolicies: readonly ClusterNetworkPolicy[];
    readonly resourceQuotas: readonly ClusterObject[];
    readonly limitRanges: readonly ClusterObject[];
    readonly serviceAccounts: readonly ClusterServiceAccount[];
    readonly roles: readonly ClusterRole[];
    readonly bindings: readonly ClusterBinding[];
    /** The first ServiceAccount of `serviceAccounts` with this (known) namespace and name, looked up in O(1). */
    serviceAccountOf(namespace: NamespaceKey, name: string): ClusterServiceAccount | undefined;
    /** The Role/ClusterRole a binding refers to: declared by the stack, built in, or undefined (not in the stack). */
    roleOf(b: ClusterBinding): ClusterRole | KubernetesRoleModel | Unknown | undefined;
    /** `namespace "shop"`, or the Namespace resource that will carry the name. */
    describeNamespace(key: NamespaceKey): string;
}

declare module "../contract/stack" {
    interface StackModel {
        readonly kubernetesCluster: KubernetesClusterIndex;
    }
}
