import { stackControl } from "../../contract/control";
import { checkFlagRules, equals, FlagRule, Judge, present } from "../shared/control-plane-rules";
import { itemsOf } from "../../adapters/kubernetes/flags";

const K = "kubelet" as const;

/** The kubelet's `--authorization-mode` is a single mode; unset on the command line it is AlwaysAllow. */
const notAlwaysAllow: Judge = (v, all) => {
    if (v === undefined) return "is unset (the kubelet flag default is AlwaysAllow)";
    return itemsOf(all).includes("AlwaysAllow") ? "is AlwaysAllow" : undefined;
};

/** CIS Kubernetes 4.2.1–4.2.3, from KubeletConfiguration fields or kubelet flags. */
export const KUBELET_AUTH_RULES: readonly FlagRule[] = [
    {
        kind: K,
        flag: "anonymous-auth",
        cis: "4.2.1",
        judge: equals("false", "the kubelet flag default is true"),
        why: "anyone who reaches port 10250 can call the kubelet API (exec into pods, read logs and secrets mounted in pods)",
        fix: "authentication.anonymous.enabled: false (or --anonymous-auth=false)",
    },
    {
        kind: K,
        flag: "authorization-mode",
        cis: "4.2.2",
        judge: notAlwaysAllow,
        why: "every authenticated caller may use every kubelet API, including exec",
        fix: "authorization.mode: Webhook (or --authorization-mode=Webhook)",
    },
    {
        kind: K,
        flag: "client-ca-file",
        cis: "4.2.3",
        judge: present,
        why: "without a client CA the kubelet cannot verify the API server's client certificate",
        fix: "authentication.x509.clientCAFile: /etc/kubernetes/pki/ca.crt (or --client-ca-file)",
    },
];

export default stackControl<Record<string, never>>({
    id: "kubernetes-kubelet-authentication",
    title: "Kubelets authenticate callers and authorize them through the API server",
    description:
        "Spoofing: a kubelet that accepts anonymous requests or authorizes with AlwaysAllow lets anyone on the node network run commands in every pod on that node.",
    stride: "S",
    targets: ["kubernetes"],
    refs: { kubernetes: ["4.2.1", "4.2.2", "4.2.3"] },
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "In the KubeletConfiguration set `authentication.anonymous.enabled: false`, `authentication.webhook.enabled: true`, `authentication.x509.clientCAFile: /etc/kubernetes/pki/ca.crt` and `authorization.mode: Webhook` (kubeadm writes these).",
        "A kubelet run with flags only: `--anonymous-auth=false --authorization-mode=Webhook --client-ca-file=/etc/kubernetes/pki/ca.crt`.",
    ],
    config: {},
    scope: "stack",
    check(stack) {
        return checkFlagRules(stack.controlPlane, KUBELET_AUTH_RULES);
    },
});
