import { stackControl } from "../../contract/control";
import { checkFlagRules, equals, FlagRule, notFalse, present } from "../shared/control-plane-rules";

const K = "kube-apiserver" as const;

/** CIS Kubernetes 1.2.21, 1.2.22, 1.2.30. */
export const SERVICE_ACCOUNT_TOKEN_RULES: readonly FlagRule[] = [
    {
        kind: K,
        flag: "service-account-lookup",
        cis: "1.2.21",
        judge: notFalse,
        why: "tokens of deleted service accounts stay valid until they expire",
        fix: "--service-account-lookup=true (or remove the flag)",
    },
    {
        kind: K,
        flag: "service-account-key-file",
        cis: "1.2.22",
        judge: present,
        why: "without the public key the API server cannot verify service account tokens, and rotating the signing key invalidates every token at once",
        fix: "--service-account-key-file=/etc/kubernetes/pki/sa.pub",
    },
    {
        kind: K,
        flag: "service-account-extend-token-expiration",
        cis: "1.2.30",
        judge: equals("false", "the default is true"),
        why: "projected tokens are silently extended to a year, so a stolen token stays useful long after its requested lifetime",
        fix: "--service-account-extend-token-expiration=false",
    },
];

export default stackControl<Record<string, never>>({
    id: "kubernetes-apiserver-service-account-tokens",
    title: "The API server verifies service account tokens against live accounts and keeps their lifetime short",
    description:
        "Spoofing: without token lookup, a deleted service account's token keeps working; with extended expiration a stolen projected token lives for a year; without a verification key tokens cannot be checked or rotated.",
    stride: "S",
    targets: ["kubernetes"],
    refs: { kubernetes: ["1.2.21", "1.2.22", "1.2.30"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "In the kube-apiserver flags set `--service-account-key-file=/etc/kubernetes/pki/sa.pub` (kubeadm sets it) and leave `--service-account-lookup` unset or true.",
        'Add `service-account-extend-token-expiration: "false"` to `apiServer.extraArgs` (kubeadm) or the manifest\'s command.',
    ],
    config: {},
    scope: "stack",
    check(stack) {
        return checkFlagRules(stack.controlPlane, SERVICE_ACCOUNT_TOKEN_RULES);
    },
});
