import { stackControl, StackFinding } from "../../core/control";
import { describeWorkloads, isExemptObject, namespacesWith, SYSTEM_NAMESPACES, workloadNamespaces } from "../../model/kubernetes-cluster";

export interface NamespaceLimitsConfig {
    readonly exemptNamespaces: readonly string[];
}

/** No CIS id: the catalog's "requests and limits" row asks for them next to per-container limits (workload controls). */
export default stackControl<NamespaceLimitsConfig>({
    id: "kubernetes-quota-namespace-limits",
    title: "Every namespace that runs workloads has a ResourceQuota and a LimitRange",
    description:
        "Denial of service: without a ResourceQuota one namespace (a runaway autoscaler, a compromised CI token) can take every node's CPU, memory and pod slots; without a LimitRange a container that sets no limits gets none.",
    stride: "D",
    targets: ["kubernetes"],
    refs: {},
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: [
        "Add a ResourceQuota to each namespace (`spec.hard`: requests.cpu, requests.memory, limits.memory, pods).",
        "Add a LimitRange with `type: Container` default requests and limits, so containers that set none get bounded ones.",
    ],
    config: {
        exemptNamespaces: {
            type: "array",
            items: { type: "string", minLength: 1 },
            default: SYSTEM_NAMESPACES,
            description: "Namespaces this control does not apply to.",
        },
    },
    scope: "stack",
    check(stack, cfg) {
        const idx = stack.kubernetesCluster;
        const present = (objs: typeof idx.resourceQuotas) => namespacesWith(objs.filter((o) => !isExemptObject(cfg, o)), () => true);
        const kinds = [
            { kind: "ResourceQuota", index: present(idx.resourceQuotas) },
            { kind: "LimitRange", index: present(idx.limitRanges) },
        ];
        const { namespaces, unknown } = workloadNamespaces(idx, cfg);
        const findings: StackFinding[] = [];
        for (const ns of namespaces) {
            const missing = kinds.filter((k) => !k.index.has.has(ns.key));
            if (missing.length === 0) continue;
            const names = missing.map((k) => k.kind).join(" and ");
            if (missing.some((k) => k.index.maybeAnywhere)) {
                findings.push({ urn: ns.urn, subject: ns.label, field: names, unknown: true, message: `the namespace of a ${names} is unknown at preview, so this cannot be checked yet.` });
                continue;
            }
            findings.push({ urn: ns.urn, subject: ns.label, message: `runs ${describeWorkloads(ns)} but has no ${names}, so nothing bounds what its pods consume. Add one to the namespace.` });
        }
        for (const w of unknown) {
            findings.push({ urn: w.urn, subject: w.label, field: "metadata.namespace", unknown: true, message: "is unknown at preview, so whether its namespace has a ResourceQuota and a LimitRange cannot be checked yet." });
        }
        return findings;
    },
});
