import { stackControl } from "../../contract/control";
import { checkFlagRules, FlagRule, includes } from "../shared/control-plane-rules";

export interface RecommendedAdmissionConfig {
    /** Admission plugins to have in `--enable-admission-plugins`. */
    readonly plugins: readonly string[];
}

/** Why each recommended plugin matters, with its CIS id. */
const WHY: Readonly<Record<string, { why: string; cis?: string }>> = {
    AlwaysPullImages: { cis: "1.2.11", why: "pods on a node can use private images another tenant pulled there, without credentials" },
    DenyServiceExternalIPs: {
        cis: "1.2.3",
        why: "any user who may create Services can set externalIPs and intercept traffic to those addresses (CVE-2020-8554)",
    },
};

/** CIS Kubernetes 1.2.3, 1.2.11: advisable plugins whose fit depends on the cluster (EventRateLimit is in the DoS control). */
export default stackControl<RecommendedAdmissionConfig>({
    id: "kubernetes-apiserver-admission-recommended",
    title: "The API server runs AlwaysPullImages and DenyServiceExternalIPs admission",
    description:
        "Tampering: without AlwaysPullImages a pod can run a private image cached on its node without pull credentials; without DenyServiceExternalIPs a Service can claim any external IP and intercept its traffic.",
    stride: "T",
    targets: ["kubernetes"],
    refs: { kubernetes: ["1.2.3", "1.2.11"] },
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: [
        "Add AlwaysPullImages and DenyServiceExternalIPs to `--enable-admission-plugins` (kubeadm: `apiServer.extraArgs.enable-admission-plugins: NodeRestriction,AlwaysPullImages,DenyServiceExternalIPs`).",
        "Where a plugin does not fit (e.g. air-gapped nodes that cannot pull), remove it from this control's `plugins` setting.",
    ],
    config: {
        plugins: {
            type: "array",
            items: { type: "string", minLength: 1 },
            uniqueItems: true,
            default: ["AlwaysPullImages", "DenyServiceExternalIPs"],
            description: "Admission plugins the API server should enable.",
        },
    },
    scope: "stack",
    check(stack, cfg) {
        const rules: FlagRule[] = cfg.plugins.map((p) => ({
            kind: "kube-apiserver",
            flag: "enable-admission-plugins",
            cis: WHY[p]?.cis,
            judge: includes(p),
            why: WHY[p]?.why ?? "it is required by this policy's configuration",
            fix: `--enable-admission-plugins=…,${p}`,
        }));
        return checkFlagRules(stack.controlPlane, rules);
    },
});
