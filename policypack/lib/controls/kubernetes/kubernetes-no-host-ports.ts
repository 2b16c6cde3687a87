import { resourceControl } from "../../contract/control";
import { Located } from "../../model/kubernetes-container";
import { pssCheck, PSS_CONFIG, PssConfig } from "./pss";
import { eachBad } from "../shared/findings";

export interface HostPortsConfig extends PssConfig {
    /** Host ports allowed anyway (PSS baseline allows "a known list"). */
    readonly allowedHostPorts: readonly number[];
}

/** CIS Kubernetes 5.2.12; PSS baseline "Host Ports". */
export default resourceControl<"kubernetesContainer", HostPortsConfig>({
    id: "kubernetes-no-host-ports",
    title: "Kubernetes containers do not bind host ports",
    description:
        "Elevation of privilege: a hostPort opens a port on the node's own interfaces, bypassing Services and NetworkPolicies, and pins the pod to nodes where the port is free.",
    stride: "E",
    targets: ["kubernetes"],
    refs: { kubernetes: ["5.2.12"] },
    pss: "baseline",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Remove `hostPort` from the container's `ports` (keep `containerPort`).",
        "Expose the port through a Service (ClusterIP, or an Ingress / LoadBalancer where it must be public).",
        "Where a node agent needs a fixed node port, list it in `allowedHostPorts`.",
    ],
    config: {
        ...PSS_CONFIG,
        allowedHostPorts: { type: "array", items: { type: "integer", minimum: 1, maximum: 65535 }, default: [], description: "Host ports allowed anyway." },
    },
    scope: "resource",
    subject: "kubernetesContainer",
    check(c, cfg) {
        return pssCheck(cfg, c.pod, "baseline", () => {
            return eachBad<Located<number>>(
                "hostPorts",
                c.hostPorts,
                (p) => !cfg.allowedHostPorts.includes(p.value),
                (p) => ({
                    field: p.path,
                    message: `binds host port ${p.value} on the node's interfaces, outside Services and NetworkPolicies. Remove hostPort and expose it through a Service.`,
                }),
            );
        });
    },
});
