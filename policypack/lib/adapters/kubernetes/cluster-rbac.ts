import { field, str } from "../../kernel/values";
import { KubernetesRoleBindingModel, KubernetesRoleModel, RbacRule, RbacSubject } from "../../model/kubernetes-rbac";
import { entryList, entryStr, kindOrPatchIn, objectMeta, objList } from "./cluster-meta";

export const ROLE_KINDS = ["Role", "ClusterRole"] as const;
export const BINDING_KINDS = ["RoleBinding", "ClusterRoleBinding"] as const;

const RBAC_GROUP = /^kubernetes:rbac\.authorization\.k8s\.io\//;

/** A Role or ClusterRole model; undefined for any other type. */
export function roleModelOf(type: string, props: unknown, resourceName: string): KubernetesRoleModel | undefined {
    const k = RBAC_GROUP.test(type) ? kindOrPatchIn(type, ROLE_KINDS) : undefined;
    if (k === undefined) return undefined;
    const { kind, patch } = k;
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
    return {
        kind,
        patch,
        name,
        namespace: kind === "Role" ? namespace : undefined,
        rules,
        aggregated: kind === "ClusterRole" && agg !== undefined && agg !== null,
    };
}

/** A RoleBinding or ClusterRoleBinding model; undefined for any other type. */
export function bindingModelOf(type: string, props: unknown, resourceName: string): KubernetesRoleBindingModel | undefined {
    const k = RBAC_GROUP.test(type) ? kindOrPatchIn(type, BINDING_KINDS) : undefined;
    if (k === undefined) return undefined;
    const { kind, patch } = k;
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
        patch,
        name,
        namespace: kind === "RoleBinding" ? namespace : undefined,
        roleRefKind: str(field(ref, "kind")),
        roleRefName: str(field(ref, "name")),
        subjects,
        paths: { roleRefKind: "roleRef.kind", roleRefName: "roleRef.name", subjects: "subjects" },
    };
}
