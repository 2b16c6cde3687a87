import { Finding, resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { globMatch } from "../../engine/settings";
import { isSettled, UNKNOWN } from "../../kernel/values";
import { describeRbacSubject, isSystemSubject, KubernetesRoleBindingModel, subjectKey } from "../../model/kubernetes-rbac";

export interface ClusterAdminBindingConfig {
    /** Subjects allowed to hold cluster-admin, as `Kind:name` patterns. */
    readonly allowedSubjects: readonly string[];
}

/**
 * Walks the subjects of a binding: reports unreadable ones, returns the keys of the readable ones with their
 * index. Shared by the binding controls.
 */
export function bindingSubjects(b: KubernetesRoleBindingModel, findings: Finding[]): { key: string; label: string; path: string }[] {
    if (!isSettled(b.subjects)) {
        findings.push(unsettled("subjects", b.subjects) as Finding);
        return [];
    }
    const out: { key: string; label: string; path: string }[] = [];
    for (const s of b.subjects ?? []) {
        const bad = unsettled(`${s.path}.kind`, s.kind) ?? unsettled(`${s.path}.name`, s.name);
        if (bad) {
            findings.push(bad);
            continue;
        }
        const key = subjectKey(s, b.namespace);
        if (key === undefined) {
            findings.push({ field: s.path, message: "is missing its kind or name, so who is granted the role cannot be told." });
            continue;
        }
        out.push({ key, label: describeRbacSubject(s), path: s.path });
    }
    return out;
}

/** CIS Kubernetes 5.1.1: cluster-admin is the whole cluster; every extra holder is one more way to own it. */
export default resourceControl<"kubernetesRoleBinding", ClusterAdminBindingConfig>({
    id: "kubernetes-rbac-cluster-admin-binding",
    title: "Only Kubernetes' own identities are bound to cluster-admin",
    description:
        "Elevation of privilege: a subject bound to cluster-admin can do anything to every object of the cluster (or, through a RoleBinding, of the namespace); a stolen token of such a subject is a stolen cluster.",
    stride: "E",
    targets: ["kubernetes"],
    refs: { kubernetes: ["5.1.1"] },
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Bind the subject to a Role or ClusterRole that grants only what it needs (the built-in `admin`, `edit` or `view`, or your own).",
        'Keep cluster-admin for break-glass identities; list those in this control\'s `allowedSubjects` (e.g. "Group:platform-admins").',
    ],
    config: {
        allowedSubjects: {
            type: "array",
            items: { type: "string", minLength: 1 },
            default: [],
            description: 'Subjects allowed to hold cluster-admin, as `Kind:name` patterns ("User:alice", "Group:ops-*", "ServiceAccount:kube-system/*").',
        },
    },
    scope: "resource",
    subject: "kubernetesRoleBinding",
    check(b, cfg) {
        const findings: Finding[] = [];
        if (b.roleRefKind !== "ClusterRole" || b.roleRefName !== "cluster-admin") {
            // An unknown reference may still turn out to be cluster-admin; a malformed one is reported.
            const couldBe = (b.roleRefKind === UNKNOWN || b.roleRefKind === "ClusterRole") && (b.roleRefName === UNKNOWN || b.roleRefName === "cluster-admin");
            const problems = [unsettled("roleRefKind", b.roleRefKind), unsettled("roleRefName", b.roleRefName)];
            return problems.filter((f): f is Finding => f !== undefined && (couldBe || !f.unknown));
        }
        const scope = b.kind === "ClusterRoleBinding" ? "the whole cluster" : "everything in the namespace";
        for (const s of bindingSubjects(b, findings)) {
            if (isSystemSubject(s.key) || cfg.allowedSubjects.some((p) => globMatch(p, s.key))) continue;
            findings.push({
                field: s.path,
                message: `${s.label} is bound to cluster-admin, which grants ${scope}. Bind it to a narrower role, or allow it in allowedSubjects.`,
            });
        }
        return findings;
    },
});
