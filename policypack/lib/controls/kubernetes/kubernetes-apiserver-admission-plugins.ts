import { stackControl } from "../../contract/control";
import { checkFlagRules, excludes, FlagRule, includes } from "../shared/control-plane-rules";

const K = "kube-apiserver" as const;

/** CIS Kubernetes 1.2.10, 1.2.12–1.2.14: plugins that must run (ServiceAccount and NamespaceLifecycle are on by default). */
export const ADMISSION_RULES: readonly FlagRule[] = [
    {
        kind: K,
        flag: "enable-admission-plugins",
        cis: "1.2.10",
        judge: excludes("AlwaysAdmit"),
        why: "AlwaysAdmit admits every request and is deprecated",
        fix: "--enable-admission-plugins without AlwaysAdmit",
    },
    {
        kind: K,
        flag: "disable-admission-plugins",
        cis: "1.2.12",
        judge: excludes("ServiceAccount"),
        why: "without the ServiceAccount plugin pods can name service accounts that do not exist and tokens are not managed",
        fix: "--disable-admission-plugins without ServiceAccount",
    },
    {
        kind: K,
        flag: "disable-admission-plugins",
        cis: "1.2.13",
        judge: excludes("NamespaceLifecycle"),
        why: "objects can be created in namespaces being deleted or that do not exist, escaping namespace policy",
        fix: "--disable-admission-plugins without NamespaceLifecycle",
    },
    {
        kind: K,
        flag: "enable-admission-plugins",
        cis: "1.2.14",
        judge: includes("NodeRestriction"),
        why: "a compromised kubelet can modify other nodes and pods it does not run, and label itself into privileged workloads",
        fix: "--enable-admission-plugins=NodeRestriction,…",
    },
];

export default stackControl<Record<string, never>>({
    id: "kubernetes-apiserver-admission-plugins",
    title: "The API server runs NodeRestriction, ServiceAccount and NamespaceLifecycle admission, never AlwaysAdmit",
    description:
        "Tampering: without NodeRestriction a kubelet's credentials can rewrite any Node or Pod; disabling ServiceAccount or NamespaceLifecycle, or enabling AlwaysAdmit, lets requests through that policy would reject.",
    stride: "T",
    targets: ["kubernetes"],
    refs: { kubernetes: ["1.2.10", "1.2.12", "1.2.13", "1.2.14"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Set `--enable-admission-plugins` to include NodeRestriction (kubeadm's default) and never AlwaysAdmit.",
        "Remove ServiceAccount and NamespaceLifecycle from `--disable-admission-plugins`; both run by default.",
    ],
    config: {},
    scope: "stack",
    check(stack) {
        return checkFlagRules(stack.controlPlane, ADMISSION_RULES);
    },
});
