import { stackControl, StackFinding } from "../../core/control";
import { UNKNOWN, V } from "../../core/values";
import { describeWorkloads, isExemptObject, namespacesWith, SYSTEM_NAMESPACES, workloadNamespaces } from "../../model/kubernetes-cluster";

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
        const policies = idx.networkPolicies.filter((p) => !isExemptObject(cfg, p));
        const directions = [
            { name: "ingress", index: namespacesWith(policies, (p) => and(p.selectsAllPods, p.deniesIngress)) },
            ...(cfg.requireEgress ? [{ name: "egress", index: namespacesWith(policies, (p) => and(p.selectsAllPods, p.deniesEgress)) }] : []),
        ];
        const { namespaces, unknown } = workloadNamespaces(idx, cfg);
        const findings: StackFinding[] = [];
        for (const ns of namespaces) {
            const missing = directions.filter((d) => !d.index.has.has(ns.key));
            if (missing.length === 0) continue;
            const names = missing.map((d) => d.name).join(" and ");
            if (missing.some((d) => d.index.maybeAnywhere || d.index.maybe.has(ns.key))) {
                findings.push({ urn: ns.urn, subject: ns.label, field: "NetworkPolicy", unknown: true, message: `a NetworkPolicy's namespace or rules are unknown at preview, so whether ${names} is denied by default cannot be checked yet.` });
                continue;
            }
            findings.push({
                urn: ns.urn,
                subject: ns.label,
                message: `runs ${describeWorkloads(ns)} but has no default-deny NetworkPolicy for ${names}, so its pods are open to (and can reach) every pod of the cluster. Add a NetworkPolicy with podSelector: {} and policyTypes [${missing.map((d) => (d.name === "ingress" ? "Ingress" : "Egress")).join(", ")}] and no rules.`,
            });
        }
        for (const w of unknown) {
            findings.push({ urn: w.urn, subject: w.label, field: "metadata.namespace", unknown: true, message: "is unknown at preview, so whether its namespace has a default-deny NetworkPolicy cannot be checked yet." });
        }
        return findings;
    },
});
