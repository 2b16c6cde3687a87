import { Finding, resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { isSettled } from "../../kernel/values";
import { KubernetesRoleModel, RbacRule, RULE_LISTS } from "../../model/kubernetes-rbac";

/**
 * The rules of a role that can be judged: reports an unreadable rule list; an aggregated ClusterRole's rules
 * are filled in by the controller, so its inputs say nothing (none are returned). Shared by the role controls.
 */
export function judgedRules(role: KubernetesRoleModel, findings: Finding[]): readonly RbacRule[] {
    if (role.aggregated) return [];
    if (isSettled(role.rules)) return role.rules ?? [];
    findings.push(unsettled("rules", role.rules) as Finding);
    return [];
}

const WHAT = { verbs: "verb", resources: "resource", apiGroups: "API group", nonResourceURLs: "non-resource URL" } as const;

/** CIS Kubernetes 5.1.3: a wildcard grants today's and every future verb, resource and API group. */
export default resourceControl<"kubernetesRole", Record<string, never>>({
    id: "kubernetes-rbac-wildcards",
    title: "Roles name their verbs, resources and API groups (no wildcards)",
    description:
        'Elevation of privilege: "*" in a role\'s verbs, resources or apiGroups grants every operation on every object type, including ones added later by CRDs and new Kubernetes versions (secrets, escalate, impersonate).',
    stride: "E",
    targets: ["kubernetes"],
    refs: { kubernetes: ["5.1.3"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        'Replace each "*" with the verbs, resources and API groups the subject needs, e.g. `verbs: [get, list, watch]`, `resources: [configmaps]`, `apiGroups: [""]`.',
        "`kubectl auth can-i --list --as=<subject>` on a test cluster shows what the role is used for; roles of controllers you do not own can be exempted with excludeNames.",
    ],
    config: {},
    scope: "resource",
    subject: "kubernetesRole",
    check(role) {
        const findings: Finding[] = [];
        for (const rule of judgedRules(role, findings)) {
            for (const list of RULE_LISTS) {
                if (list === "resourceNames") continue; // "*" there is a literal name, not a wildcard
                const v = rule[list];
                if (!isSettled(v)) findings.push(unsettled(`${rule.path}.${list}`, v) as Finding);
                else if (v?.includes("*")) {
                    findings.push({
                        field: `${rule.path}.${list}`,
                        message: `holds "*", which grants every ${WHAT[list]}, now and in future versions. List the ones needed.`,
                    });
                }
            }
        }
        return findings;
    },
});
