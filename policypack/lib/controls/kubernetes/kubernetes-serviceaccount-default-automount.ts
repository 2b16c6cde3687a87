import { stackControl, StackFinding } from "../../contract/control";
import { Invalid, UNKNOWN } from "../../kernel/values";
import { EXEMPT_NAMESPACES_SCHEMA } from "../shared/namespaces";

export interface DefaultAutomountConfig {
    readonly exemptNamespaces: readonly string[];
}

/**
 * CIS Kubernetes 5.1.5, 5.1.6. Whether a pod that sets its own account mounts a token is the workload
 * controls' business; this one covers pods that run as the namespace's `default` account.
 */
export default stackControl<DefaultAutomountConfig>({
    id: "kubernetes-serviceaccount-default-automount",
    title: "Workloads do not run as the default service account with its token mounted",
    description:
        "Spoofing: every pod that names no service account runs as its namespace's `default` account; with the token mounted, anything that compromises one of them can call the API server as that shared identity, and any permission later granted to `default` reaches all of them.",
    stride: "S",
    targets: ["kubernetes"],
    refs: { kubernetes: ["5.1.5", "5.1.6"] },
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Give each workload its own ServiceAccount (`serviceAccountName`) with only the permissions it needs.",
        "Where a pod does not call the API server, set `automountServiceAccountToken: false` on the pod spec, and on the namespace's `default` ServiceAccount so that pods naming no account get no token.",
    ],
    config: {
        exemptNamespaces: EXEMPT_NAMESPACES_SCHEMA,
    },
    scope: "stack",
    check(stack, cfg) {
        const idx = stack.kubernetesCluster;
        const findings: StackFinding[] = [];
        for (const w of idx.workloads) {
            const field = `${w.specPath}.automountServiceAccountToken`;
            const sa = w.serviceAccountName;
            if (sa instanceof Invalid || (typeof sa === "string" && sa !== "" && sa !== "default")) continue;
            if (typeof w.namespace === "string") {
                const nsName = idx.namespaces.get(w.namespace)?.name ?? w.namespace;
                if (cfg.exemptNamespaces.includes(nsName)) continue;
            }
            const unknown = (what: string) =>
                findings.push({
                    urn: w.urn,
                    subject: w.label,
                    field,
                    unknown: true,
                    message: `${what} is unknown at preview, so whether the pod mounts the default service account's token cannot be checked yet.`,
                });
            if (sa === UNKNOWN) {
                unknown("the service account");
                continue;
            }
            const own = w.automountServiceAccountToken;
            if (own === false || own instanceof Invalid) continue;
            if (own === UNKNOWN) {
                unknown("automountServiceAccountToken");
                continue;
            }
            if (own === undefined) {
                if (w.namespace === UNKNOWN) {
                    unknown("the namespace");
                    continue;
                }
                const account = idx.serviceAccountOf(w.namespace, "default");
                const fromAccount = account?.automountServiceAccountToken;
                if (fromAccount === false) continue;
                if (fromAccount === UNKNOWN) {
                    unknown("the default ServiceAccount's automountServiceAccountToken");
                    continue;
                }
            }
            const why =
                own === true
                    ? "sets automountServiceAccountToken: true"
                    : "leaves automountServiceAccountToken unset (and no default ServiceAccount of its namespace in the stack turns it off)";
            findings.push({
                urn: w.urn,
                subject: w.label,
                field,
                message: `runs as the default service account and ${why}, so every container gets that shared account's API token. Set serviceAccountName to a dedicated account, or automountServiceAccountToken: false.`,
            });
        }
        return findings;
    },
});
