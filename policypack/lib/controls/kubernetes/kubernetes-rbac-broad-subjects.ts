import { stackControl, StackFinding } from "../../contract/control";
import { globMatch } from "../../engine/settings";
import { isSettled, UNKNOWN } from "../../kernel/values";
import { ClusterBinding } from "../../model/kubernetes-cluster";
import { BROAD_SUBJECTS, describeRbacObject, Grant, KubernetesRoleModel, ruleGrants, subjectKey, describeRbacSubject } from "../../model/kubernetes-rbac";

/** What a broad subject must not get (CIS Kubernetes 5.1.2 secrets, 5.1.4 pods). */
const SENSITIVE: readonly { readonly cis: string; readonly verbs: readonly string[]; readonly resource: string; readonly what: string }[] = [
    { cis: "5.1.2", verbs: ["get", "list", "watch"], resource: "secrets", what: "read Secrets" },
    { cis: "5.1.4", verbs: ["create"], resource: "pods", what: "create pods" },
    { cis: "5.1.4", verbs: ["create", "get"], resource: "pods/exec", what: "exec into pods" },
    { cis: "5.1.4", verbs: ["create", "get"], resource: "pods/attach", what: "attach to pods" },
];

/** What of SENSITIVE a role grants: the descriptions, or UNKNOWN when an unknown rule could grant one. */
function sensitiveGrants(role: KubernetesRoleModel): string[] | typeof UNKNOWN | undefined {
    if (role.aggregated) return undefined;
    if (!isSettled(role.rules)) return role.rules === UNKNOWN ? UNKNOWN : undefined;
    const found: string[] = [];
    let unknown = false;
    for (const s of SENSITIVE) {
        let g: Grant = false;
        for (const rule of role.rules ?? []) {
            for (const verb of s.verbs) {
                const r = ruleGrants(rule, verb, s.resource, "");
                if (r === true) g = true;
                else if (r === UNKNOWN) unknown = true;
            }
        }
        if (g === true) found.push(`${s.what} (${s.cis})`);
    }
    return found.length > 0 ? found : unknown ? UNKNOWN : [];
}

export interface BroadSubjectsConfig {
    /** Subjects that stand for many identities, as `Kind:name` patterns. */
    readonly broadSubjects: readonly string[];
}

export default stackControl<BroadSubjectsConfig>({
    id: "kubernetes-rbac-broad-subjects",
    title: "Broad groups cannot read Secrets or create, exec into or attach to pods",
    description:
        "Elevation of privilege: a role that reads Secrets or creates pods, bound to every authenticated user, every service account, or a namespace's default service account, lets any one of them take the credentials and service-account tokens of everything else (a new pod can mount any Secret and run as any service account of its namespace).",
    stride: "E",
    targets: ["kubernetes"],
    refs: { kubernetes: ["5.1.2", "5.1.4"] },
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Bind the role to the specific users, groups or service accounts that need it, not to system:authenticated, system:serviceaccounts[:<ns>] or a default service account.",
        "Or narrow the role: no get/list/watch on secrets, no create on pods, pods/exec or pods/attach.",
    ],
    config: {
        broadSubjects: {
            type: "array",
            items: { type: "string", minLength: 1 },
            default: BROAD_SUBJECTS,
            description: "Subjects that stand for many identities, as `Kind:name` patterns (`ServiceAccount:<namespace>/<name>` for service accounts).",
        },
    },
    scope: "stack",
    check(stack, cfg) {
        const idx = stack.kubernetesCluster;
        const findings: StackFinding[] = [];
        // Patterns without a wildcard match only themselves: a set lookup instead of a regex per pattern and subject.
        const literal = new Set(cfg.broadSubjects.filter((p) => !p.includes("*")));
        const wildcards = cfg.broadSubjects.filter((p) => p.includes("*"));
        const isBroad = (key: string) => literal.has(key) || wildcards.some((p) => globMatch(p, key));
        // What a role grants, once per role however many bindings name it.
        const grantsByRole = new Map<KubernetesRoleModel, ReturnType<typeof sensitiveGrants>>();
        const grantsOf = (model: KubernetesRoleModel) => {
            if (!grantsByRole.has(model)) grantsByRole.set(model, sensitiveGrants(model));
            return grantsByRole.get(model);
        };
        const report = (b: ClusterBinding, f: Omit<StackFinding, "urn" | "subject">) => findings.push({ urn: b.urn, subject: b.label, ...f });
        for (const b of idx.bindings) {
            if (!isSettled(b.model.subjects)) continue;
            const broad: { label: string; path: string }[] = [];
            let unknownSubject: string | undefined;
            for (const s of b.model.subjects ?? []) {
                if (s.kind === UNKNOWN || s.name === UNKNOWN || s.namespace === UNKNOWN) unknownSubject ??= s.path;
                const key = subjectKey(s, b.model.namespace);
                if (key !== undefined && isBroad(key)) broad.push({ label: describeRbacSubject(s), path: s.path });
            }
            if (broad.length === 0 && unknownSubject === undefined) continue;
            const role = idx.roleOf(b);
            if (role === undefined) continue; // neither declared by the stack nor built in: nothing to judge
            const model = role === UNKNOWN ? UNKNOWN : "model" in role ? role.model : role;
            const grants = model === UNKNOWN ? UNKNOWN : grantsOf(model);
            if (grants === undefined || (Array.isArray(grants) && grants.length === 0)) continue;
            if (grants === UNKNOWN) {
                report(b, {
                    field: "roleRef",
                    unknown: true,
                    message: "the role (or its rules) is unknown at preview, so what it grants to broad subjects cannot be checked yet.",
                });
                continue;
            }
            if (broad.length === 0) {
                report(b, {
                    field: unknownSubject,
                    unknown: true,
                    message: `is unknown at preview; the role lets its subjects ${grants.join(", ")}, so whether a broad group gets that cannot be checked yet.`,
                });
                continue;
            }
            const roleLabel = model === UNKNOWN ? "its role" : describeRbacObject(model);
            for (const s of broad) {
                report(b, {
                    field: s.path,
                    message: `grants ${s.label} ${roleLabel}, which lets them ${grants.join(", ")}. Bind it to specific subjects instead.`,
                });
            }
        }
        return findings;
    },
});
