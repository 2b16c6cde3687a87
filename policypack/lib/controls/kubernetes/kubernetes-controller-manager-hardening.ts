import { stackControl } from "../../contract/control";
import { checkFlagRules, equals, FlagRule, gateNotOff, present } from "../shared/control-plane-rules";

const K = "kube-controller-manager" as const;

/** CIS Kubernetes 1.3.3–1.3.6. */
export const CONTROLLER_MANAGER_RULES: readonly FlagRule[] = [
    {
        kind: K,
        flag: "use-service-account-credentials",
        cis: "1.3.3",
        judge: equals("true", "the default is false"),
        why: "every controller runs with the controller manager's own, all-powerful credentials instead of a narrow per-controller service account",
        fix: "--use-service-account-credentials=true",
    },
    {
        kind: K,
        flag: "service-account-private-key-file",
        cis: "1.3.4",
        judge: present,
        why: "service account tokens cannot be signed with a key the stack controls and rotates",
        fix: "--service-account-private-key-file=/etc/kubernetes/pki/sa.key",
    },
    {
        kind: K,
        flag: "root-ca-file",
        cis: "1.3.5",
        judge: present,
        why: "pods do not get the cluster CA with their token, so they cannot verify the API server and can be served by an impostor",
        fix: "--root-ca-file=/etc/kubernetes/pki/ca.crt",
    },
    {
        kind: K,
        flag: "feature-gates",
        cis: "1.3.6",
        judge: gateNotOff("RotateKubeletServerCertificate"),
        why: "kubelet serving certificates are never renewed by the cluster, so they expire or are kept long after a compromise",
        fix: "--feature-gates without RotateKubeletServerCertificate=false",
    },
];

export default stackControl<Record<string, never>>({
    id: "kubernetes-controller-manager-hardening",
    title: "The controller manager uses per-controller credentials, signs tokens with its own key and rotates kubelet certificates",
    description:
        "Elevation of privilege: with shared credentials any compromised controller acts with the controller manager's full rights; without the root CA and signing key, service account identities cannot be trusted or rotated.",
    stride: "E",
    targets: ["kubernetes"],
    refs: { kubernetes: ["1.3.3", "1.3.4", "1.3.5", "1.3.6"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "In the kube-controller-manager flags set `--use-service-account-credentials=true`, `--service-account-private-key-file=/etc/kubernetes/pki/sa.key` and `--root-ca-file=/etc/kubernetes/pki/ca.crt` (kubeadm sets all three).",
        "Do not turn off the RotateKubeletServerCertificate feature gate.",
    ],
    config: {},
    scope: "stack",
    check(stack) {
        return checkFlagRules(stack.controlPlane, CONTROLLER_MANAGER_RULES);
    },
});
