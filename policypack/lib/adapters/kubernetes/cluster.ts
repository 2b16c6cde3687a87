import { setPath } from "../../core/paths";
import { AdapterTable, NOTHING, ResourceInput } from "../../core/subject";
import { field, SIG_KEY, unproxy } from "../../core/values";
import { PSS_ENFORCE_LABEL } from "../../model/kubernetes-namespace";
import { describeRbacObject } from "../../model/kubernetes-rbac";
import { describeObject } from "./cluster-meta";
import { configMapModelOf, ingressModelOf, namespaceModelOf, secretModelOf, serviceModelOf } from "./cluster-objects";
import { providerModelOf } from "./cluster-provider";
import { bindingModelOf, roleModelOf } from "./cluster-rbac";

type Kind =
    | "kubernetesRole"
    | "kubernetesRoleBinding"
    | "kubernetesNamespace"
    | "kubernetesService"
    | "kubernetesIngress"
    | "kubernetesSecret"
    | "kubernetesConfigMap"
    | "kubernetesProvider";

/** One subject per resource, or nothing when the resource is of another type. */
function one<M>(
    model: M | undefined,
    label: (m: M) => string,
    write?: (raw: unknown, fieldName: string, value: unknown) => Record<string, unknown> | undefined,
) {
    return model === undefined ? NOTHING : { subjects: [{ model, label: label(model), ...(write ? { write } : {}) }], problems: [] };
}

/** Writes a label into metadata.labels, keeping the other labels; refuses when the labels are not a plain map. */
function writeLabel(raw: unknown, key: string, value: unknown): Record<string, unknown> | undefined {
    const labels = unproxy(field(unproxy(field(unproxy(raw), "metadata")), "labels"));
    if (labels === undefined || labels === null) return setPath(raw, "metadata.labels", { [key]: value });
    const proto = typeof labels === "object" ? Object.getPrototypeOf(labels) : undefined;
    // A secret or unknown label map (wire secret, @pulumi/policy Secret, sentinel) is left alone.
    if ((proto !== Object.prototype && proto !== null) || Object.prototype.hasOwnProperty.call(labels, SIG_KEY)) return undefined;
    return setPath(raw, "metadata.labels", { ...(labels as object), [key]: value });
}

/** Subjects of cluster objects (RBAC, namespaces, services, ingresses, secrets, providers). */
export const KUBERNETES_CLUSTER_ADAPTERS: AdapterTable<Kind> = {
    kubernetesRole: (res: ResourceInput) => one(roleModelOf(res.type, res.props, res.name), describeRbacObject),
    kubernetesRoleBinding: (res) => one(bindingModelOf(res.type, res.props, res.name), describeRbacObject),
    kubernetesNamespace: (res) =>
        one(
            namespaceModelOf(res.type, res.props, res.name),
            (m) => `${m.patch ? "NamespacePatch" : "Namespace"} "${m.name}"`,
            (raw, f, v) => (f === "enforce" ? writeLabel(raw, PSS_ENFORCE_LABEL, v) : undefined),
        ),
    kubernetesService: (res) =>
        one(serviceModelOf(res.type, res.props, res.name), (m) => describeObject(m.patch ? "ServicePatch" : "Service", m.name, m.namespace)),
    kubernetesIngress: (res) => one(ingressModelOf(res.type, res.props, res.name), (m) => describeObject("Ingress", m.name, m.namespace)),
    kubernetesSecret: (res) => one(secretModelOf(res.type, res.props, res.name, res.secretValues), (m) => describeObject(m.kind, m.name, m.namespace)),
    kubernetesConfigMap: (res) => one(configMapModelOf(res.type, res.props, res.name), (m) => describeObject(m.kind, m.name, m.namespace)),
    kubernetesProvider: (res) => one(providerModelOf(res), (m) => `Kubernetes provider "${m.name}"`),
};
