import { stackControl, StackFinding } from "../../contract/control";
import { arr, field, isObj, str } from "../../kernel/values";
import { Component, ControlPlaneModel, lastSetting } from "../../model/control-plane";
import { atLeast, checkFlag, componentFinding, FlagRule, present, problemFindings, referencedDocuments } from "../shared/control-plane-rules";

export interface AuditLoggingConfig {
    readonly minMaxAgeDays: number;
    readonly minMaxBackup: number;
    readonly minMaxSizeMB: number;
}

const LEVELS = ["None", "Metadata", "Request", "RequestResponse"] as const;
type Level = (typeof LEVELS)[number];

/** A request the policy must log at a given level. */
interface Probe {
    readonly what: string;
    readonly group: string;
    readonly resource: string;
    readonly verb: string;
    /** Metadata exactly (sensitive payloads), or at least this level. */
    readonly want: "metadata-only" | Level;
}

/** CIS Kubernetes 3.2.2: Secrets, ConfigMaps and TokenReviews at Metadata only; changes to workloads with their request; exec and proxies at least Metadata. */
export const AUDIT_PROBES: readonly Probe[] = [
    { what: "reads of Secrets", group: "", resource: "secrets", verb: "get", want: "metadata-only" },
    { what: "changes to Secrets", group: "", resource: "secrets", verb: "update", want: "metadata-only" },
    { what: "reads of ConfigMaps", group: "", resource: "configmaps", verb: "list", want: "metadata-only" },
    { what: "TokenReviews", group: "authentication.k8s.io", resource: "tokenreviews", verb: "create", want: "metadata-only" },
    { what: "Pod creation", group: "", resource: "pods", verb: "create", want: "Request" },
    { what: "Deployment changes", group: "apps", resource: "deployments", verb: "patch", want: "Request" },
    { what: "Pod deletion", group: "", resource: "pods", verb: "delete", want: "Request" },
    { what: "pods/exec", group: "", resource: "pods/exec", verb: "create", want: "Metadata" },
    { what: "pods/portforward", group: "", resource: "pods/portforward", verb: "create", want: "Metadata" },
    { what: "services/proxy", group: "", resource: "services/proxy", verb: "get", want: "Metadata" },
];

interface PolicyRule {
    readonly level: Level;
    readonly verbs: readonly string[];
    /** `[group, resources[]]`; empty means every resource. */
    readonly resources: readonly (readonly [string, readonly string[]])[];
    /** Limited to some users, groups, namespaces or names: may not apply to every request. */
    readonly conditional: boolean;
    readonly nonResource: boolean;
}

function matchesResource(patterns: readonly string[], resource: string): boolean {
    if (patterns.length === 0) return true;
    const [base, sub] = resource.split("/");
    return patterns.some((p) => p === "*" || p === resource || (sub !== undefined && (p === `${base}/*` || p === `*/${sub}`)));
}

function matches(r: PolicyRule, p: Probe): boolean {
    if (r.nonResource) return false;
    if (r.verbs.length > 0 && !r.verbs.includes(p.verb) && !r.verbs.includes("*")) return false;
    if (r.resources.length === 0) return true;
    return r.resources.some(([g, rs]) => (g === p.group || g === "*") && matchesResource(rs, p.resource));
}

/** What level the policy gives a probe: the first unconditional match decides; a conditional Request+ before it may leak payloads. */
function judge(rules: readonly PolicyRule[], p: Probe): string | undefined {
    for (const r of rules) {
        if (!matches(r, p)) continue;
        const rank = LEVELS.indexOf(r.level);
        if (p.want === "metadata-only" && rank > 1) return `logs ${p.what} at ${r.level}, which writes their content (secret values) to the audit log`;
        if (r.conditional) continue;
        if (p.want === "metadata-only") return rank === 0 ? `does not log ${p.what} (level None)` : undefined;
        return rank < LEVELS.indexOf(p.want) ? `logs ${p.what} at ${r.level}, below ${p.want}` : undefined;
    }
    return `has no rule that logs ${p.what}`;
}

/** Reads a Policy document into rules, or says why it cannot. */
function policyRules(doc: unknown): PolicyRule[] | string {
    if (!isObj(doc) || field(doc, "kind") !== "Policy" || !/^audit\.k8s\.io\//.test(String(field(doc, "apiVersion") ?? "")))
        return "is not an audit.k8s.io Policy";
    const rules = arr(field(doc, "rules"));
    if (!Array.isArray(rules) || rules.length === 0) return "has no rules, so nothing is logged";
    const out: PolicyRule[] = [];
    for (let i = 0; i < rules.length; i++) {
        const r = rules[i];
        const level = str(field(r, "level"));
        if (typeof level !== "string" || !(LEVELS as readonly string[]).includes(level))
            return `rule ${i + 1} has no valid level (None, Metadata, Request or RequestResponse)`;
        const verbs = arr(field(r, "verbs"));
        const res = arr(field(r, "resources"));
        const resources: [string, string[]][] = [];
        let conditional = ["users", "userGroups", "namespaces"].some((k) => Array.isArray(field(r, k)) && (field(r, k) as unknown[]).length > 0);
        for (const g of Array.isArray(res) ? res : []) {
            const list = arr(field(g, "resources"));
            resources.push([String(str(field(g, "group")) ?? ""), Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : []]);
            if (Array.isArray(field(g, "resourceNames")) && (field(g, "resourceNames") as unknown[]).length > 0) conditional = true;
        }
        out.push({
            level: level as Level,
            verbs: Array.isArray(verbs) ? verbs.filter((x): x is string => typeof x === "string") : [],
            resources,
            conditional,
            nonResource: Array.isArray(field(r, "nonResourceURLs")) && (field(r, "nonResourceURLs") as unknown[]).length > 0,
        });
    }
    return out;
}

function checkPolicy(model: ControlPlaneModel, c: Component): StackFinding[] {
    const ref = referencedDocuments(model, c, "audit-policy-file", "audit policy");
    if (Array.isArray(ref)) return ref;
    const { at, docs } = ref;
    if (docs.length !== 1)
        return [componentFinding(c, at, `the audit policy file holds ${docs.length} documents; it must hold exactly one audit.k8s.io/v1 Policy (3.2.1).`)];
    const rules = policyRules(docs[0]);
    if (typeof rules === "string")
        return [componentFinding(c, at, `the audit policy ${rules}; write rules that log every request at least at Metadata (3.2.1).`)];
    const out: StackFinding[] = [];
    for (const p of AUDIT_PROBES) {
        const why = judge(rules, p);
        if (why)
            out.push(
                componentFinding(
                    c,
                    at,
                    `the audit policy ${why}; ${p.want === "metadata-only" ? "log them at Metadata" : `log them at ${p.want} or above`} (3.2.2).`,
                ),
            );
    }
    return out;
}

const ROTATION_FLAGS = new Set(["audit-log-maxage", "audit-log-maxbackup", "audit-log-maxsize"]);

/** CIS Kubernetes 1.2.16–1.2.19, 3.2.1, 3.2.2. */
export default stackControl<AuditLoggingConfig>({
    id: "kubernetes-audit-logging",
    title: "The API server writes a retained audit log under a policy that records changes and never secret values",
    description:
        "Repudiation: without an audit log (kept long enough, with a policy covering changes, exec and access to Secrets) nobody can tell who read a Secret or changed a workload; a policy logging Secret bodies leaks them into the log.",
    stride: "R",
    targets: ["kubernetes"],
    refs: { kubernetes: ["1.2.16", "1.2.17", "1.2.18", "1.2.19", "3.2.1", "3.2.2"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Set `--audit-log-path=/var/log/kubernetes/audit/audit.log`, `--audit-log-maxage=30`, `--audit-log-maxbackup=10`, `--audit-log-maxsize=100` and `--audit-policy-file=/etc/kubernetes/audit-policy.yaml` (mount both paths into the static Pod).",
        "Write the audit policy (audit.k8s.io/v1 Policy) to the control-plane hosts: first a Metadata rule for secrets, configmaps and tokenreviews, then RequestResponse (or Request) for create/update/patch/delete, then Metadata for everything else including pods/exec, pods/portforward and services/proxy.",
    ],
    config: {
        minMaxAgeDays: { type: "integer", minimum: 1, default: 30, description: "Least --audit-log-maxage (days)." },
        minMaxBackup: { type: "integer", minimum: 1, default: 10, description: "Least --audit-log-maxbackup (files)." },
        minMaxSizeMB: { type: "integer", minimum: 1, default: 100, description: "Least --audit-log-maxsize (MB)." },
    },
    scope: "stack",
    check(stack, cfg) {
        const A = "kube-apiserver" as const;
        const rules: FlagRule[] = [
            {
                kind: A,
                flag: "audit-log-path",
                cis: "1.2.16",
                judge: present,
                why: "the API server keeps no audit trail",
                fix: "--audit-log-path=/var/log/kubernetes/audit/audit.log",
            },
            {
                kind: A,
                flag: "audit-log-maxage",
                cis: "1.2.17",
                judge: atLeast(cfg.minMaxAgeDays),
                why: "audit logs are deleted before an incident is noticed",
                fix: `--audit-log-maxage=${cfg.minMaxAgeDays}`,
            },
            {
                kind: A,
                flag: "audit-log-maxbackup",
                cis: "1.2.18",
                judge: atLeast(cfg.minMaxBackup),
                why: "too few rotated audit files are kept",
                fix: `--audit-log-maxbackup=${cfg.minMaxBackup}`,
            },
            {
                kind: A,
                flag: "audit-log-maxsize",
                cis: "1.2.19",
                judge: atLeast(cfg.minMaxSizeMB),
                why: "audit files rotate so often that history is lost",
                fix: `--audit-log-maxsize=${cfg.minMaxSizeMB}`,
            },
            {
                kind: A,
                flag: "audit-policy-file",
                cis: "3.2.1",
                judge: present,
                why: "without a policy the API server logs no audit events at all",
                fix: "--audit-policy-file=/etc/kubernetes/audit-policy.yaml",
            },
        ];
        const model = stack.controlPlane;
        const findings = problemFindings(model, new Set([A]));
        for (const c of model.components) {
            if (c.kind !== A) continue;
            // `--audit-log-path=-` writes to stdout: rotation is the container runtime's, not these flags'.
            const toStdout = lastSetting(c, "audit-log-path")?.value === "-";
            for (const r of rules) {
                if (toStdout && ROTATION_FLAGS.has(r.flag)) continue;
                const f = checkFlag(c, r);
                if (f) findings.push(f);
            }
            findings.push(...checkPolicy(model, c));
        }
        return findings;
    },
});
