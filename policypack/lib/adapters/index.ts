import { Adapted, AdapterTable, ResourceInput, SubjectKind } from "../core/subject";
import { setOwn } from "../core/own";
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
    // Kubernetes metadata.labels; Pulumi Docker `labels` ([{label, value}]); Compose `labels` (map or ["k=v"]);
    // `docker inspect` Config.Labels (map).
    addLabels(labels, field(meta, "labels"));
    addLabels(labels, field(res.props, "labels"));
    addLabels(labels, field(field(res.props, "Config"), "Labels"));
    return { names, namespace: typeof ns === "string" ? ns : undefined, labels };
}

function addLabels(into: Record<string, string>, source: unknown): void {
    if (source === undefined) return;
    if (isObj(source)) {
        for (const k of Object.keys(source)) {
            const v = source[k];
            if (typeof v === "string") setOwn(into, k, v);
        }
        return;
    }
    if (!Array.isArray(source)) return;
    for (const l of source) {
        if (typeof l === "string") {
            const eq = l.indexOf("=");
            if (eq > 0) setOwn(into, l.slice(0, eq), l.slice(eq + 1));
            continue;
        }
        const k = str(field(l, "label"));
        const v = str(field(l, "value"));
        if (typeof k === "string" && typeof v === "string") setOwn(into, k, v);
    }
}
