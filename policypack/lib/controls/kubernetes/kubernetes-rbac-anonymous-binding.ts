import { Finding, resourceControl } from "../../contract/control";
import { globMatch } from "../../engine/settings";
import { show } from "../../kernel/values";
import { ANONYMOUS_SUBJECTS } from "../../model/kubernetes-rbac";
import { bindingSubjects } from "./kubernetes-rbac-cluster-admin-binding";

/**
 * No CIS id of its own: CIS Kubernetes 1.2.1 asks for anonymous auth off, and while it is on (kubeadm keeps it on
 * for health checks) a binding to system:anonymous or system:unauthenticated hands the role to anyone who can reach
 * the API server.
 */
export default resourceControl<"kubernetesRoleBinding", Record<string, never>>({
    id: "kubernetes-rbac-anonymous-binding",
    title: "Nothing is bound to anonymous or unauthenticated users",
    description:
        "Elevation of privilege: a binding to the user system:anonymous or the group system:unauthenticated grants its role to every request that carries no credentials, i.e. to anyone who can reach the API server.",
    stride: "E",
    targets: ["kubernetes"],
    refs: {},
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Remove system:anonymous and system:unauthenticated from the binding's subjects; bind the role to authenticated identities that need it.",
        "Run the API server with `--anonymous-auth=false` (or, from 1.32, an AuthenticationConfiguration that allows anonymous access only to health endpoints).",
    ],
    config: {},
    scope: "resource",
    subject: "kubernetesRoleBinding",
    check(b) {
        const findings: Finding[] = [];
        const role = typeof b.roleRefName === "string" ? `role ${show(b.roleRefName)}` : "its role";
        for (const s of bindingSubjects(b, findings)) {
            if (!ANONYMOUS_SUBJECTS.some((p) => globMatch(p, s.key))) continue;
            findings.push({
                field: s.path,
                message: `binds ${role} to ${s.label}: anyone who can reach the API server gets it without credentials. Remove this subject.`,
            });
        }
        return findings;
    },
});
