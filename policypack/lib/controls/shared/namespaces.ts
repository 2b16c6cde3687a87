/** Finding helpers of the namespace-level stack controls: which namespaces run workloads, and what they miss. */
import type { JSONSchema, StackFinding } from "../../contract/control";
import { Invalid, V } from "../../kernel/values";
import { ClusterObject, ClusterWorkload, KubernetesClusterIndex, NamespaceKey } from "../../model/kubernetes-cluster";

/** Namespaces Kubernetes itself runs in; exempt from the namespace-level controls by default. */
export const SYSTEM_NAMESPACES: readonly string[] = ["kube-system", "kube-public", "kube-node-lease"];

/** The `exemptNamespaces` setting of the namespace-level controls. */
export const EXEMPT_NAMESPACES_SCHEMA = {
    type: "array",
    items: { type: "string", minLength: 1 },
    default: SYSTEM_NAMESPACES,
    description: "Namespaces this control does not apply to (kube-system, kube-public and kube-node-lease by default).",
} as const satisfies JSONSchema;

/** A namespace that runs workloads, with what a finding about it needs. */
export interface WorkloadNamespace {
    readonly key: NamespaceKey;
    /** The Namespace resource when the stack declares it, else the first workload. */
    readonly urn: string;
    readonly label: string;
    readonly workloads: readonly ClusterWorkload[];
}

/** `Deployment "shop/api" and 2 more workload(s)`. */
export function describeWorkloads(ns: WorkloadNamespace): string {
    const more = ns.workloads.length - 1;
    return more > 0 ? `${ns.workloads[0].label} and ${more} more workload(s)` : ns.workloads[0].label;
}

/**
 * Namespaces that run workloads (pod-bearing objects of any kind), without the control's `exemptNamespaces`;
 * workloads whose namespace is unknown at preview are returned apart.
 */
export function workloadNamespaces(
    idx: KubernetesClusterIndex,
    cfg: { readonly exemptNamespaces: readonly string[] },
): { readonly namespaces: readonly WorkloadNamespace[]; readonly unknown: readonly ClusterWorkload[] } {
    const byKey = new Map<NamespaceKey, ClusterWorkload[]>();
    const unknown: ClusterWorkload[] = [];
    for (const w of idx.workloads) {
        if (typeof w.namespace !== "string") {
            unknown.push(w);
            continue;
        }
        const name = idx.namespaces.get(w.namespace)?.name ?? w.namespace;
        if (cfg.exemptNamespaces.includes(name)) continue;
        const list = byKey.get(w.namespace);
        if (list) list.push(w);
        else byKey.set(w.namespace, [w]);
    }
    const namespaces = [...byKey].map(([key, workloads]) => ({
        key,
        urn: idx.namespaces.get(key)?.urn ?? workloads[0].urn,
        label: idx.describeNamespace(key),
        workloads,
    }));
    return { namespaces, unknown };
}

/**
 * Which namespaces hold an object satisfying `ok`: `has` for certain; `maybe` where an object's namespace or
 * the deciding field is unknown at preview (then every namespace is a maybe when the namespace is unknown).
 */
export function namespacesWith<T extends ClusterObject>(
    objs: readonly T[],
    ok: (o: T) => V<boolean>,
): { has: Set<NamespaceKey>; maybe: Set<NamespaceKey>; maybeAnywhere: boolean } {
    const has = new Set<NamespaceKey>();
    const maybe = new Set<NamespaceKey>();
    let maybeAnywhere = false;
    for (const o of objs) {
        const v = ok(o);
        if (v === false || v === undefined || v instanceof Invalid) continue;
        if (typeof o.namespace !== "string") maybeAnywhere = true;
        else if (v === true) has.add(o.namespace);
        else maybe.add(o.namespace);
    }
    return { has, maybe, maybeAnywhere };
}

/** Something every namespace that runs workloads must hold, and which namespaces hold it. */
export interface NamespaceRequirement {
    readonly name: string;
    readonly presence: ReturnType<typeof namespacesWith>;
}

/**
 * Findings for namespaces that run workloads but miss a requirement: a violation where it is surely missing,
 * an unknown where an object of unknown namespace (or unknown deciding field) could supply it, and an unknown
 * for each workload whose own namespace is unknown at preview.
 */
export function missingInNamespaces(
    idx: KubernetesClusterIndex,
    cfg: { readonly exemptNamespaces: readonly string[] },
    requirements: readonly NamespaceRequirement[],
    text: {
        readonly missing: (ns: WorkloadNamespace, missing: readonly NamespaceRequirement[]) => string;
        /** What cannot be checked, e.g. "whether its namespace has a ResourceQuota". */
        readonly what: (missing: readonly NamespaceRequirement[]) => string;
    },
): StackFinding[] {
    const { namespaces, unknown } = workloadNamespaces(idx, cfg);
    const findings: StackFinding[] = [];
    for (const ns of namespaces) {
        const missing = requirements.filter((r) => !r.presence.has.has(ns.key));
        if (missing.length === 0) continue;
        if (missing.some((r) => r.presence.maybeAnywhere || r.presence.maybe.has(ns.key))) {
            const field = missing.map((r) => r.name).join(", ");
            findings.push({
                urn: ns.urn,
                subject: ns.label,
                covers: ns.workloads.map((w) => w.urn),
                field,
                unknown: true,
                message: `an object's namespace or fields are unknown at preview, so ${text.what(missing)} cannot be checked yet.`,
            });
        } else {
            findings.push({ urn: ns.urn, subject: ns.label, covers: ns.workloads.map((w) => w.urn), message: text.missing(ns, missing) });
        }
    }
    for (const w of unknown) {
        findings.push({
            urn: w.urn,
            subject: w.label,
            field: "metadata.namespace",
            unknown: true,
            message: `is unknown at preview, so ${text.what(requirements)} cannot be checked yet.`,
        });
    }
    return findings;
}
