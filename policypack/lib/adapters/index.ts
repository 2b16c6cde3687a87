import { Adapted, AdapterTable, ResourceInput, SubjectKind } from "../core/subject";
import { field, isObj, str } from "../core/values";
import { DOCKER_ADAPTERS } from "./docker/index";
import { DOCKER_PLATFORM_ADAPTERS } from "./docker/platform";
import { KUBERNETES_CLUSTER_ADAPTERS } from "./kubernetes/cluster";
import { KUBERNETES_CONTROL_PLANE_ADAPTERS } from "./kubernetes/control-plane";
import { KUBERNETES_ADAPTERS } from "./kubernetes/index";

/** One adapter per subject kind; a kind without an adapter does not compile. */
const ADAPTERS: AdapterTable<SubjectKind> = {
    ...DOCKER_ADAPTERS,
    ...DOCKER_PLATFORM_ADAPTERS,
    ...KUBERNETES_ADAPTERS,
    ...KUBERNETES_CONTROL_PLANE_ADAPTERS,
    ...KUBERNETES_CLUSTER_ADAPTERS,
};

/** The subjects of a kind that a resource holds (none when the resource is of another type). */
export function subjectsOf<K extends SubjectKind>(kind: K, res: ResourceInput): Adapted<K> {
    return (ADAPTERS[kind] as (r: ResourceInput) => Adapted<K>)(res);
}

/** Names, namespace and labels used by exemptions: Kubernetes metadata, Docker `labels` inputs. */
export function resourceScope(res: ResourceInput): { names: string[]; namespace?: string; labels: Record<string, string> } {
    const labels: Record<string, string> = {};
    const meta = field(res.props, "metadata");
    const ns = str(field(meta, "namespace"));
    const metaName = str(field(meta, "name"));
    const names = typeof metaName === "string" && metaName !== res.name ? [res.name, metaName] : [res.name];
    const k8sLabels = field(meta, "labels");
    if (isObj(k8sLabels)) {
        for (const [k, v] of Object.entries(k8sLabels)) if (typeof v === "string") labels[k] = v;
    }
    const dockerLabels = field(res.props, "labels");
    if (Array.isArray(dockerLabels)) {
        for (const l of dockerLabels) {
            const k = str(field(l, "label"));
            const v = str(field(l, "value"));
            if (typeof k === "string" && typeof v === "string") labels[k] = v;
        }
    }
    return { names, namespace: typeof ns === "string" ? ns : undefined, labels };
}
