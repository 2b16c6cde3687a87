import { globMatch } from "../kernel/glob";
import { Invalid, Unknown, UNKNOWN, V } from "../kernel/values";

/** One rule of a Role or ClusterRole; list fields are `V` so that unknown or malformed entries stay visible. */
export interface RbacRule {
    /** Source path of the rule, e.g. `rules[2]`. */
    readonly path: string;
    readonly apiGroups: V<readonly string[]>;
    readonly resources: V<readonly string[]>;
    readonly verbs: V<readonly string[]>;
    readonly resourceNames: V<readonly string[]>;
    readonly nonResourceURLs: V<readonly string[]>;
}

/** The list fields of a rule. */
export const RULE_LISTS = ["verbs", "resources", "apiGroups", "resourceNames", "nonResourceURLs"] as const;

/** A Role or ClusterRole. */
export interface KubernetesRoleModel {
    readonly kind: "Role" | "ClusterRole";
    /** A server-side-apply patch of an existing object (`RolePatch`, `ClusterRolePatch`). */
    readonly patch: boolean;
    /** metadata.name, or the Pulumi resource name when Pulumi auto-names it. */
    readonly name: string;
    readonly namespace: V<string>;
    /** Rules; an unknown or malformed rule entry is a rule whose fields are all unknown or malformed. */
    readonly rules: V<readonly RbacRule[]>;
    /** ClusterRoles with an aggregationRule get their rules from the controller, not from these inputs. */
    readonly aggregated: boolean;
}

export interface RbacSubject {
    readonly path: string;
    readonly kind: V<string>;
    readonly name: V<string>;
    readonly namespace: V<string>;
}

/** A RoleBinding or ClusterRoleBinding. */
export interface KubernetesRoleBindingModel {
    readonly kind: "RoleBinding" | "ClusterRoleBinding";
    /** A server-side-apply patch of an existing object. */
    readonly patch: boolean;
    readonly name: string;
    readonly namespace: V<string>;
    readonly roleRefKind: V<string>;
    readonly roleRefName: V<string>;
    readonly subjects: V<readonly RbacSubject[]>;
    readonly paths: { readonly roleRefKind: string; readonly roleRefName: string; readonly subjects: string };
}

export function describeRbacObject(o: { kind: string; patch: boolean; name: string; namespace: V<string> }): string {
    const kind = o.patch ? `${o.kind}Patch` : o.kind;
    return typeof o.namespace === "string" ? `${kind} "${o.namespace}/${o.name}"` : `${kind} "${o.name}"`;
}

/** `User "alice"`, `Group "system:authenticated"`, `ServiceAccount "shop/api"`; unreadable parts are elided. */
export function describeRbacSubject(s: RbacSubject): string {
    const kind = typeof s.kind === "string" ? s.kind : "subject";
    const name = typeof s.name === "string" ? s.name : "(unreadable name)";
    return typeof s.namespace === "string" && s.kind === "ServiceAccount" ? `${kind} "${s.namespace}/${name}"` : `${kind} "${name}"`;
}

/** `User:alice`, `Group:system:authenticated`, `ServiceAccount:shop/api`: the form allow-lists match (with `*`). */
export function subjectKey(s: RbacSubject, bindingNamespace: V<string>): string | undefined {
    if (typeof s.kind !== "string" || typeof s.name !== "string") return undefined;
    if (s.kind !== "ServiceAccount") return `${s.kind}:${s.name}`;
    const ns = typeof s.namespace === "string" && s.namespace !== "" ? s.namespace : bindingNamespace;
    return `ServiceAccount:${typeof ns === "string" ? ns : "?"}/${s.name}`;
}

/** Who an anonymous request is: binding anything to these grants it to the whole network. */
export const ANONYMOUS_SUBJECTS: readonly string[] = ["User:system:anonymous", "Group:system:unauthenticated"];

/** Subjects that stand for many identities: every user, every service account, every pod without its own account. */
export const BROAD_SUBJECTS: readonly string[] = [
    ...ANONYMOUS_SUBJECTS,
    "Group:system:authenticated",
    "Group:system:serviceaccounts",
    "Group:system:serviceaccounts:*",
    "ServiceAccount:*/default",
];

/** Kubernetes' own identities (system: users and groups, kube-system service accounts) that are not broad. */
export function isSystemSubject(key: string): boolean {
    if (key.startsWith("ServiceAccount:")) return key.startsWith("ServiceAccount:kube-system/") && !key.endsWith("/default");
    return /^(User|Group):system:/.test(key) && !BROAD_SUBJECTS.some((p) => globMatch(p, key));
}

/** What a rule grants for one verb on one resource: true, false, or UNKNOWN when a list it depends on is unknown. */
export type Grant = boolean | Unknown | Invalid;

const FIXED_NAME_VERBS: ReadonlySet<string> = new Set(["create", "list", "watch", "deletecollection"]);

function matches(list: V<readonly string[]>, wanted: string, match: (entry: string, wanted: string) => boolean): Grant {
    if (list === UNKNOWN || list instanceof Invalid) return list;
    return list !== undefined && list.some((e) => match(e, wanted));
}

const exact = (e: string, w: string) => e === "*" || e === w;
// RBAC resource matching: "*", the resource itself, or "*/sub" for that subresource of any resource.
const resourceMatch = (e: string, w: string) => e === "*" || e === w || (e.startsWith("*/") && w.includes("/") && w.endsWith(e.slice(1)));

/**
 * Does `rule` grant `verb` on `resource` (e.g. "pods/exec") of API group `group` ("" = core)?
 * A rule restricted by resourceNames cannot grant create, list, watch or deletecollection.
 */
export function ruleGrants(rule: RbacRule, verb: string, resource: string, group: string): Grant {
    const v = matches(rule.verbs, verb, exact);
    if (v === false) return false;
    const r = matches(rule.resources, resource, resourceMatch);
    if (r === false) return false;
    const g = matches(rule.apiGroups, group, exact);
    if (g === false) return false;
    if (FIXED_NAME_VERBS.has(verb)) {
        const names = rule.resourceNames;
        if (Array.isArray(names) && names.length > 0) return false;
        if (names === UNKNOWN) return UNKNOWN;
    }
    return v !== true ? v : r !== true ? r : g;
}

/** Built-in ClusterRoles that a binding may reference without the stack declaring them (the parts that matter here). */
export const BUILTIN_CLUSTER_ROLES: Readonly<Record<string, readonly RbacRule[]>> = {
    "cluster-admin": [
        { path: "rules[0]", apiGroups: ["*"], resources: ["*"], verbs: ["*"], resourceNames: undefined, nonResourceURLs: undefined },
        { path: "rules[1]", apiGroups: undefined, resources: undefined, verbs: ["*"], resourceNames: undefined, nonResourceURLs: ["*"] },
    ],
    admin: builtinEditor(),
    edit: builtinEditor(),
};

function builtinEditor(): RbacRule[] {
    return [
        {
            path: "rules[0]",
            apiGroups: [""],
            resources: ["secrets", "pods"],
            verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
            resourceNames: undefined,
            nonResourceURLs: undefined,
        },
        {
            path: "rules[1]",
            apiGroups: [""],
            resources: ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy"],
            verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
            resourceNames: undefined,
            nonResourceURLs: undefined,
        },
        { path: "rules[2]", apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"], resourceNames: undefined, nonResourceURLs: undefined },
    ];
}

declare module "../contract/subject" {
    interface SubjectModels {
        /** Roles and ClusterRoles (rbac.authorization.k8s.io, any version). */
        readonly kubernetesRole: KubernetesRoleModel;
        /** RoleBindings and ClusterRoleBindings. */
        readonly kubernetesRoleBinding: KubernetesRoleBindingModel;
    }
}
