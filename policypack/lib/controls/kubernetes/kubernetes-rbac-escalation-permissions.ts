import { Finding, resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { Invalid, UNKNOWN, V } from "../../kernel/values";
import { RULE_LISTS, ruleGrants } from "../../model/kubernetes-rbac";
import { judgedRules } from "./kubernetes-rbac-wildcards";

interface Dangerous {
    readonly id: string;
    readonly cis: string;
    readonly verbs: readonly string[];
    /** [API group, resource]. */
    readonly targets: readonly (readonly [string, string])[];
    readonly why: string;
}

const RBAC = "rbac.authorization.k8s.io";

/** Permissions that turn a foothold into more privilege (CIS Kubernetes 5.1.8–5.1.13). */
export const ESCALATION_PERMISSIONS: readonly Dangerous[] = [
    {
        id: "escalate",
        cis: "5.1.8",
        verbs: ["escalate"],
        targets: [
            [RBAC, "roles"],
            [RBAC, "clusterroles"],
        ],
        why: "lets it write roles granting permissions it does not hold itself",
    },
    {
        id: "bind",
        cis: "5.1.8",
        verbs: ["bind"],
        targets: [
            [RBAC, "roles"],
            [RBAC, "clusterroles"],
        ],
        why: "lets it bind any role, cluster-admin included, to any subject",
    },
    {
        id: "impersonate",
        cis: "5.1.8",
        verbs: ["impersonate"],
        targets: [
            ["", "users"],
            ["", "groups"],
            ["", "serviceaccounts"],
            ["authentication.k8s.io", "uids"],
            ["authentication.k8s.io", "userextras/*"],
        ],
        why: "lets it act as other users, groups or service accounts",
    },
    {
        id: "create-persistentvolumes",
        cis: "5.1.9",
        verbs: ["create"],
        targets: [["", "persistentvolumes"]],
        why: "a hostPath PersistentVolume mounts any path of a node",
    },
    {
        id: "nodes-proxy",
        cis: "5.1.10",
        verbs: ["get", "create"],
        targets: [["", "nodes/proxy"]],
        why: "reaches the kubelet API directly, past admission control and audit",
    },
    {
        id: "csr-approval",
        cis: "5.1.11",
        verbs: ["update", "patch"],
        targets: [["certificates.k8s.io", "certificatesigningrequests/approval"]],
        why: "approves client certificates for any identity, system:masters included",
    },
    {
        id: "webhook-configurations",
        cis: "5.1.12",
        verbs: ["create", "update", "patch", "delete"],
        targets: [
            ["admissionregistration.k8s.io", "mutatingwebhookconfigurations"],
            ["admissionregistration.k8s.io", "validatingwebhookconfigurations"],
        ],
        why: "can intercept, rewrite or switch off admission of every object",
    },
    {
        id: "serviceaccount-token",
        cis: "5.1.13",
        verbs: ["create"],
        targets: [["", "serviceaccounts/token"]],
        why: "mints tokens for any service account it can name",
    },
];

const ANY_SUB = "\0";

/** The resources to ask about: the target itself, or for `res/*` any `res/<sub>` the rule names (and a stand-in for "*"). */
function probes(target: string, ruleResources: V<readonly string[]>): readonly string[] {
    if (!target.endsWith("/*")) return PROBES.get(target) ?? [target];
    const prefix = target.slice(0, -1);
    const named = Array.isArray(ruleResources) ? ruleResources.filter((r) => r.startsWith(prefix) && r.length > prefix.length) : [];
    return [...named, prefix + ANY_SUB];
}

const PROBES: ReadonlyMap<string, readonly string[]> = new Map(ESCALATION_PERMISSIONS.flatMap((d) => d.targets.map(([, r]) => [r, [r]] as const)));

export interface EscalationConfig {
    /** Permission ids this stack may grant (see ESCALATION_PERMISSIONS). */
    readonly allow: readonly string[];
}

export default resourceControl<"kubernetesRole", EscalationConfig>({
    id: "kubernetes-rbac-escalation-permissions",
    title: "Roles do not grant escalate, bind, impersonate or other privilege-escalating permissions",
    description:
        "Elevation of privilege: escalate, bind and impersonate, creating PersistentVolumes, nodes/proxy, approving CSRs, editing admission webhooks and minting service-account tokens each let a subject gain permissions beyond those it was given.",
    stride: "E",
    targets: ["kubernetes"],
    refs: { kubernetes: ["5.1.8", "5.1.9", "5.1.10", "5.1.11", "5.1.12", "5.1.13"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Remove the verb from the rule (escalate/bind on roles and clusterroles; impersonate on users, groups, serviceaccounts; create on persistentvolumes and serviceaccounts/token; nodes/proxy; certificatesigningrequests/approval; webhook configurations).",
        "Where a controller needs one (cert-manager approving CSRs, an operator binding roles), scope it with resourceNames and list the permission id in `allow`, or exempt that role by name.",
    ],
    config: {
        allow: {
            type: "array",
            items: { type: "string", enum: ESCALATION_PERMISSIONS.map((d) => d.id) },
            uniqueItems: true,
            default: [],
            description: "Permission ids roles may grant: " + ESCALATION_PERMISSIONS.map((d) => `${d.id} (${d.cis})`).join(", ") + ".",
        },
    },
    scope: "resource",
    subject: "kubernetesRole",
    check(role, cfg) {
        const findings: Finding[] = [];
        for (const rule of judgedRules(role, findings)) {
            // The first malformed list stops the rule (unknown ones are judged below).
            const malformed = RULE_LISTS.find((l) => rule[l] instanceof Invalid);
            if (malformed !== undefined) {
                findings.push(unsettled(`${rule.path}.${malformed}`, rule[malformed]) as Finding);
                continue;
            }
            const verbs = rule.verbs;
            for (const d of ESCALATION_PERMISSIONS) {
                if (cfg.allow.includes(d.id)) continue;
                let unknown = false;
                let granted: string | undefined;
                for (const verb of d.verbs) {
                    // A rule whose (known) verbs do not hold this verb grants it on nothing: skip its targets.
                    if (Array.isArray(verbs) && !verbs.includes(verb) && !verbs.includes("*")) continue;
                    for (const [group, resource] of d.targets) {
                        for (const probe of probes(resource, rule.resources)) {
                            const g = ruleGrants(rule, verb, probe, group);
                            if (g === true) granted ??= `${verb} on ${probe.endsWith(ANY_SUB) ? resource : probe}`;
                            else if (g === UNKNOWN) unknown = true;
                        }
                    }
                }
                if (granted !== undefined) {
                    findings.push({
                        field: rule.path,
                        message: `grants ${granted} (${d.cis}), which ${d.why}. Remove it, or allow "${d.id}" where it is needed.`,
                    });
                } else if (unknown) {
                    findings.push({
                        field: rule.path,
                        unknown: true,
                        message: "is unknown at preview, so whether it grants escalation permissions cannot be checked yet.",
                    });
                    break;
                }
            }
        }
        return findings;
    },
});
