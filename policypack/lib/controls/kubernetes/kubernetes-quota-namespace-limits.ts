import { stackControl } from "../../contract/control";
import { describeWorkloads, EXEMPT_NAMESPACES_SCHEMA, missingInNamespaces, NamespaceRequirement, namespacesWith } from "../shared/namespaces";

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
        exemptNamespaces: EXEMPT_NAMESPACES_SCHEMA,
    },
    scope: "stack",
    check(stack, cfg) {
        const idx = stack.kubernetesCluster;
        const present = (objs: typeof idx.resourceQuotas) => namespacesWith(objs, () => true);
        const requirements = [
            { name: "ResourceQuota", presence: present(idx.resourceQuotas) },
            { name: "LimitRange", presence: present(idx.limitRanges) },
        ];
        const names = (rs: readonly NamespaceRequirement[]) => rs.map((r) => r.name).join(" and ");
        return missingInNamespaces(idx, cfg, requirements, {
            what: (rs) => `whether its namespace has a ${names(rs)}`,
            missing: (ns, rs) => `runs ${describeWorkloads(ns)} but has no ${names(rs)}, so nothing bounds what its pods consume. Add one to the namespace.`,
        });
    },
});
