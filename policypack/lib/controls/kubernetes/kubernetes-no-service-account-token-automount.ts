import { resourceControl } from "../../core/control";
import { unsettled } from "../../core/check";
import { Finding } from "../../core/control";
import { Invalid, V } from "../../core/values";

export interface TokenConfig {
    /** Service accounts whose pods need the API token (controllers, operators). */
    readonly allowedServiceAccounts: readonly string[];
}

/**
 * CIS Kubernetes 5.1.6 for pods that name their own service account; pods on the namespace's `default`
 * account are kubernetes-serviceaccount-default-automount's (one finding per fact).
 */
export default resourceControl<"pod", TokenConfig>({
    id: "kubernetes-no-service-account-token-automount",
    title: "Kubernetes pods do not mount a service account token unless they need one",
    description: "Spoofing: every pod gets an API token by default; whoever compromises the pod can act as its service account against the API server.",
    stride: "S",
    targets: ["kubernetes"],
    refs: { kubernetes: ["5.1.6"] },
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: [
        "Set `automountServiceAccountToken: false` in the pod spec of workloads that do not call the Kubernetes API.",
        "Give workloads that do their own ServiceAccount (`serviceAccountName`) with minimal RBAC, and list it in `allowedServiceAccounts`.",
        "Pods on the namespace's `default` account are reported by `kubernetes-serviceaccount-default-automount`.",
    ],
    config: {
        allowedServiceAccounts: {
            type: "array",
            items: { type: "string", minLength: 1 },
            default: [],
            description: "Service accounts whose pods may mount the token.",
        },
    },
    scope: "resource",
    subject: "pod",
    check(p, cfg) {
        const own = p.automountServiceAccountToken;
        if (own instanceof Invalid) return [unsettled("automountServiceAccountToken", own) as Finding];
        if (own === false) return [];
        const sa = p.serviceAccountName;
        const s = unsettled("serviceAccountName", sa);
        if (s) return [s];
        // One finding per fact: a pod on the default account is kubernetes-serviceaccount-default-automount's,
        // which also sees whether that account turns the token off.
        if (onDefaultAccount(sa) || (typeof sa === "string" && cfg.allowedServiceAccounts.includes(sa))) return [];
        const u = unsettled("automountServiceAccountToken", own);
        if (u) return [u];
        const what = own === undefined ? "is unset, so the service account token is mounted" : "is true";
        return [
            {
                field: "automountServiceAccountToken",
                message: `${what}; a compromised pod can call the API as its service account. Set it to false, or allow the service account if it needs the API.`,
            },
        ];
    },
    remediate(p, cfg) {
        const sa = p.serviceAccountName;
        if (typeof sa !== "string" || onDefaultAccount(sa) || cfg.allowedServiceAccounts.includes(sa)) return [];
        return p.automountServiceAccountToken === undefined || p.automountServiceAccountToken === true
            ? [{ field: "automountServiceAccountToken", value: false }]
            : [];
    },
});

/** No account named, or `default`: the namespace's shared account. */
function onDefaultAccount(sa: V<string>): boolean {
    return sa === undefined || sa === "" || sa === "default";
}
