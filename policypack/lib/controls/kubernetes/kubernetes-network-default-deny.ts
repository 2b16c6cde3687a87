import { stackControl } from "../../contract/control";
import { UNKNOWN, V } from "../../kernel/values";
import { describeWorkloads, EXEMPT_NAMESPACES_SCHEMA, missingInNamespaces, NamespaceRequirement, namespacesWith } from "../shared/namespaces";

export interface DefaultDenyConfig {
    /** Also require a default-deny for egress. */
    readonly requireEgress: boolean;
    readonly exemptNamespaces: readonly string[];
}

/** Both true; false when either is false (or malformed, which the resource reports); unknown otherwise. */
function and(a: V<boolean>, b: V<boolean>): V<boolean> {
    if (a === true && b === true) return true;
    return (a === UNKNOWN && b !== false) || (b === UNKNOWN && a !== false) ? UNKNOWN : false;
}

/** CIS Kubernetes 5.3.2. Needs a CNI that enforces NetworkPolicies (5.3.1), which no stack input shows. */
export default stackControl<DefaultDenyConfig>({
    id: "kubernetes-network-default-deny",
    title: "Every namespace that runs workloads has a default-deny NetworkPolicy",
    description:
        "Information disclosure: without a default-deny NetworkPolicy every pod accepts connections from every other pod of the cluster and can reach anything, so one compromised pod can read every unauthenticated service and send data anywhere.",
    stride: "I",
    targets: ["kubernetes"],
    refs: { kubernetes: ["5.3.2"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Add to each namespace a NetworkPolicy with `podSelector: {}`, `policyTypes: [Ingress, Egress]` and no ingress or egress rules.",
        "Then allow the flows each workload needs with further NetworkPolicies (DNS to kube-system, ingress from the ingress controller, ...).",
        "Set `requireEgress: false` to require only the ingress half.",
    ],
    config: {
        requireEgress: { type: "boolean", default: true, description: "Also require a default-deny for egress (policyTypes includes Egress)." },
        exemptNamespaces: EXEMPT_NAMESPACES_SCHEMA,
    },
    scope: "stack",
    check(stack, cfg) {
        const idx = stack.kubernetesCluster;
        const policies = idx.networkPolicies;
        const requirements = [
            { name: "ingress", presence: namespacesWith(policies, (p) => and(p.selectsAllPods, p.deniesIngress)) },
            ...(cfg.requireEgress ? [{ name: "egress", presence: namespacesWith(policies, (p) => and(p.selectsAllPods, p.deniesEgress)) }] : []),
        ];
        const names = (rs: readonly NamespaceRequirement[]) => rs.map((r) => r.name).join(" and ");
        return missingInNamespaces(idx, cfg, requirements, {
            what: (rs) => `whether ${names(rs)} is denied by default`,
            missing: (ns, rs) =>
                `runs ${describeWorkloads(ns)} but has no default-deny NetworkPolicy for ${names(rs)}, so its pods are open to (and can reach) every pod of the cluster. Add a NetworkPolicy with podSelector: {} and policyTypes [${rs.map((r) => (r.name === "ingress" ? "Ingress" : "Egress")).join(", ")}] and no rules.`,
        });
    },
});
