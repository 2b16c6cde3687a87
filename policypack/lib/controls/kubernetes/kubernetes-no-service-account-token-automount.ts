import { resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";

export interface TokenConfig {
    /** Service accounts whose pods need the API token (controllers, operators). */
    readonly allowedServiceAccounts: readonly string[];
}

/** CIS Kubernetes 5.1.6 (pod level; the ServiceAccount's own setting is a cluster-object control). */
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
        const u = unsettled("automountServiceAccountToken", p.automountServiceAccountToken);
        if (u) return [u];
        if (p.automountServiceAccountToken === false) return [];
        const sa = p.serviceAccountName;
        const s = unsettled("serviceAccountName", sa);
        if (s) return [s];
        if (typeof sa === "string" && cfg.allowedServiceAccounts.includes(sa)) return [];
        const what = p.automountServiceAccountToken === undefined ? "is unset, so the service account token is mounted" : "is true";
        return [
            {
                field: "automountServiceAccountToken",
                message: `${what}; a compromised pod can call the API as its service account. Set it to false, or allow the service account if it needs the API.`,
            },
        ];
    },
    remediate(p) {
        return p.automountServiceAccountToken === undefined || p.automountServiceAccountToken === true
            ? [{ field: "automountServiceAccountToken", value: false }]
            : [];
    },
});
