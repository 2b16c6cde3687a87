import { stackControl } from "../../contract/control";
import { checkFlagRules, equals, FlagRule, gateNotOff } from "../shared/control-plane-rules";

const K = "kubelet" as const;

/** CIS Kubernetes 4.2.10, 4.2.11. */
export const KUBELET_ROTATION_RULES: readonly FlagRule[] = [
    {
        kind: K,
        flag: "rotate-certificates",
        cis: "4.2.10",
        judge: equals("true", "the default is false"),
        why: "the kubelet's client certificate is never renewed: it expires and the node drops out, or a stolen one stays valid for its full lifetime",
        fix: "rotateCertificates: true (or --rotate-certificates)",
    },
    {
        kind: K,
        flag: "feature-gates",
        cis: "4.2.11",
        judge: gateNotOff("RotateKubeletServerCertificate"),
        why: "the kubelet's serving certificate is never renewed",
        fix: "featureGates without RotateKubeletServerCertificate: false",
    },
];

export default stackControl<Record<string, never>>({
    id: "kubernetes-kubelet-certificate-rotation",
    title: "Kubelets rotate their certificates",
    description:
        "Elevation of privilege: a kubelet certificate that never rotates stays useful to whoever steals it for its whole lifetime, with the node's rights over its pods and secrets.",
    stride: "E",
    targets: ["kubernetes"],
    refs: { kubernetes: ["4.2.10", "4.2.11"] },
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "In the KubeletConfiguration set `rotateCertificates: true` (kubeadm does) and, with a CSR approver, `serverTLSBootstrap: true`.",
        "Do not set `featureGates.RotateKubeletServerCertificate: false`.",
    ],
    config: {},
    scope: "stack",
    check(stack) {
        return checkFlagRules(stack.controlPlane, KUBELET_ROTATION_RULES);
    },
});
