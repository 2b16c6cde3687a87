import { Finding, resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { globMatch } from "../../engine/settings";
import { show } from "../../kernel/values";

export interface ServiceExposureConfig {
    /** Services allowed to be exposed, as `namespace/name` patterns. */
    readonly allowedServices: readonly string[];
    /** Service types allowed for every Service. */
    readonly allowedTypes: readonly string[];
}

const EXPOSED_TYPES = ["NodePort", "LoadBalancer"];

/** CIS Kubernetes 5.3.2 (network isolation). */
export default resourceControl<"kubernetesService", ServiceExposureConfig>({
    id: "kubernetes-service-exposure",
    title: "Services are not exposed outside the cluster unless allowed",
    description:
        "Information disclosure: a NodePort Service listens on every node's address, a LoadBalancer one on a public address by default, and externalIPs let a Service capture traffic to any IP (CVE-2020-8554); each puts a workload on the network without passing through the ingress and its TLS and authentication.",
    stride: "I",
    targets: ["kubernetes"],
    refs: { kubernetes: ["5.3.2"] },
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Use `type: ClusterIP` and publish HTTP(S) through an Ingress (or Gateway) with TLS.",
        "Remove `spec.externalIPs`; block it cluster-wide with an admission policy (the DenyServiceExternalIPs admission plugin).",
        "For a Service that must be exposed (the ingress controller's own LoadBalancer), add `namespace/name` to `allowedServices` and restrict `loadBalancerSourceRanges`.",
    ],
    config: {
        allowedServices: {
            type: "array",
            items: { type: "string", minLength: 1 },
            default: [],
            description: "Services allowed to be exposed, as `namespace/name` patterns (`ingress-nginx/*`).",
        },
        allowedTypes: {
            type: "array",
            items: { type: "string", enum: EXPOSED_TYPES },
            uniqueItems: true,
            default: [],
            description: "Exposing Service types allowed everywhere.",
        },
    },
    scope: "resource",
    subject: "kubernetesService",
    check(s, cfg) {
        const key = `${typeof s.namespace === "string" ? s.namespace : "default"}/${s.name}`;
        if (cfg.allowedServices.some((p) => globMatch(p, key))) return [];
        const findings: Finding[] = [];
        const t = unsettled("type", s.type);
        if (t) findings.push(t);
        else if (typeof s.type === "string" && EXPOSED_TYPES.includes(s.type) && !cfg.allowedTypes.includes(s.type)) {
            const where = s.type === "NodePort" ? "on a port of every node" : "on an external load balancer";
            findings.push({
                field: "type",
                message: `is ${show(s.type)}, which exposes the Service ${where}. Use ClusterIP behind an Ingress, or allow this Service in allowedServices.`,
            });
        }
        const ips = unsettled("externalIPs", s.externalIPs);
        if (ips) findings.push(ips);
        else if (Array.isArray(s.externalIPs) && s.externalIPs.length > 0) {
            findings.push({
                field: "externalIPs",
                message: `lists ${s.externalIPs.length} external IP(s): the Service receives (and can intercept) traffic sent to them. Remove them.`,
            });
        }
        return findings;
    },
});
