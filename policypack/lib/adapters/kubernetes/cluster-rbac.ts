import { field, str } from "../../core/values";
import { KubernetesRoleBindingModel, KubernetesRoleModel, RbacRule, RbacSubject } from "../../model/kubernetes-rbac";
import { entryList, entryStr, kindIn, objectMeta, objList } from "./cluster-meta";

export const ROLE_KINDS = ["Role", "ClusterRole"] as const;
export const BINDING_KINDS = ["RoleBinding", "ClusterRoleBinding"] as const;

const RBAC_GROUP = /^kubernetes:rbac\.authorization\.k8s\.io\//;

/** A Role or ClusterRole model; undefined for any other type. */
export function roleModelOf(type: string, props: unknown, resourceName: string): KubernetesRoleModel | undefined {
    const kind = RBAC_GROUP.test(type) ? kindIn(type, ROLE_KINDS) : undefined;
    if (kind === undefined) return undefined;
    const { name, namespace } = objectMeta(props, resourceName);
    const rules = objList(field(props, "rules"), "rules", (e, path): RbacRule => ({
        path,
        apiGroups: entryList(e, "apiGroups"),
        resources: entryList(e, "resources"),
        verbs: entryList(e, "verbs"),
        resourceNames: entryList(e, "resourceNames"),
        nonResourceURLs: entryList(e, "nonResourceURLs"),
    }));
    const agg = field(props, "aggregationRule");
    return { kind, name, namespace: kind === "Role" ? namespace : undefined, rules, aggregated: kind === "ClusterRole" && agg !== undefined && agg !== null };
}

/** A RoleBinding or ClusterRoleBinding model; undefined for any other type. */
export function bindingModelOf(type: string, props: unknown, resourceName: string): KubernetesRoleBindingModel | undefined {
    const kind = RBAC_GROUP.test(type) ? kindIn(type, BINDING_KINDS) : undefined;
    if (kind === undefined) return undefined;
    const { name, namespace } = objectMeta(props, resourceName);
    const ref = field(props, "roleRef");
    const subjects = objList(field(props, "subjects"), "subjects", (e, path): RbacSubject => ({
        path,
        kind: entryStr(e, "kind"),
        name: entryStr(e, "name"),
        namespace: entryStr(e, "namespace"),
    }));
    return {
        kind,
        name,
        namespace: kind === "RoleBinding" ? namespace : undefined,
        roleRefKind: str(field(ref, "kind")),
        roleRefName: str(field(ref, "name")),
        subjects,
        paths: { roleRefKind: "roleRef.kind", roleRefName: "roleRef.name", subjects: "subjects" },
    };
}
