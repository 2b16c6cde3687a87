/**
 * A namespace for workloads per CIS Kubernetes 5.x: Pod Security `restricted` enforced (and audited, warned),
 * default-deny NetworkPolicy for ingress and egress, a ResourceQuota (no NodePorts or LoadBalancers) and a
 * LimitRange with defaults, and the default ServiceAccount's token not mounted.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";

export interface HardenedNamespaceArgs {
    provider: k8s.Provider;
    /** Pod Security level (default restricted; baseline only where justified). */
    podSecurity?: "restricted" | "baseline";
    quota?: { requestsCpu: string; requestsMemory: string; limitsCpu: string; limitsMemory: string; pods: number };
}

export class HardenedNamespace extends pulumi.ComponentResource {
    readonly namespace: k8s.core.v1.Namespace;
    readonly name: pulumi.Output<string>;

    constructor(name: string, args: HardenedNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("stride-guard:kubernetes:HardenedNamespace", name, {}, opts);
        const level = args.podSecurity ?? "restricted";
        const o = { parent: this, provider: args.provider };
        this.namespace = new k8s.core.v1.Namespace(
            name,
            {
                metadata: {
                    name,
                    labels: {
                        "pod-security.kubernetes.io/enforce": level,
                        "pod-security.kubernetes.io/enforce-version": "latest",
                        "pod-security.kubernetes.io/audit": level,
                        "pod-security.kubernetes.io/warn": level,
                    },
                },
            },
            o,
        );
        this.name = this.namespace.metadata.name;
        const inNs = { ...o, dependsOn: [this.namespace] };
        const namespace = this.name;
        new k8s.networking.v1.NetworkPolicy(
            `${name}-default-deny`,
            { metadata: { name: "default-deny", namespace }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
            inNs,
        );
        const q = args.quota ?? { requestsCpu: "2", requestsMemory: "2Gi", limitsCpu: "4", limitsMemory: "4Gi", pods: 20 };
        new k8s.core.v1.ResourceQuota(
            `${name}-quota`,
            {
                metadata: { name: "quota", namespace },
                spec: {
                    hard: {
                        "requests.cpu": q.requestsCpu,
                        "requests.memory": q.requestsMemory,
                        "limits.cpu": q.limitsCpu,
                        "limits.memory": q.limitsMemory,
                        pods: String(q.pods),
                        "services.nodeports": "0",
                        "services.loadbalancers": "0",
                    },
                },
            },
            inNs,
        );
        new k8s.core.v1.LimitRange(
            `${name}-limits`,
            {
                metadata: { name: "limits", namespace },
                spec: {
                    limits: [
                        {
                            type: "Container",
                            defaultRequest: { cpu: "50m", memory: "64Mi" },
                            default: { cpu: "250m", memory: "128Mi" },
                            max: { cpu: "1", memory: "1Gi" },
                        },
                    ],
                },
            },
            inNs,
        );
        new k8s.core.v1.ServiceAccountPatch(`${name}-default-sa`, { metadata: { name: "default", namespace }, automountServiceAccountToken: false }, inNs);
        this.registerOutputs({ name: this.name });
    }
}
