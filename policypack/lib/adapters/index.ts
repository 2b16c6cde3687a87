import { Adapted, AdapterTable, ResourceInput, SubjectKind } from "../contract/subject";
import { IGNORE_KEY, IgnoreMark } from "../contract/suppression";
import { field, isObj, str } from "../kernel/values";
import { setOwn } from "../kernel/own";
import { DOCKER_ADAPTERS } from "./docker/index";
import { DOCKER_PLATFORM_ADAPTERS } from "./docker/platform";
import { KUBERNETES_CLUSTER_ADAPTERS } from "./kubernetes/cluster";
import { KUBERNETES_ADAPTERS } from "./kubernetes/index";
import { k8sKindOf } from "./kubernetes/cluster-meta";

/** One adapter per subject kind; a kind without an adapter does not compile. */
const ADAPTERS: AdapterTable<SubjectKind> = {
    ...DOCKER_ADAPTERS,
    ...DOCKER_PLATFORM_ADAPTERS,
    ...KUBERNETES_ADAPTERS,
    ...KUBERNETES_CLUSTER_ADAPTERS,
};

/** The subjects of a kind that a resource holds (none when the resource is of another type). */
export function subjectsOf<K extends SubjectKind>(kind: K, res: ResourceInput): Adapted<K> {
    return (ADAPTERS[kind] as (r: ResourceInput) => Adapted<K>)(res);
}

/**
 * Names, namespace and labels used by exemptions: Kubernetes metadata, Docker `labels` inputs; and the
 * `stride-guard.dev/ignore` suppression: a Kubernetes annotation, else a label (Docker, Compose, inspect).
 */
export function resourceScope(res: ResourceInput): { names: string[]; namespace?: string; labels: Record<string, string>; ignore?: IgnoreMark } {
    const labels: Record<string, string> = {};
    const meta = field(res.props, "metadata");
    const metaName = str(field(meta, "name"));
    // A Namespace is in the namespace it names, so `excludeNamespaces` exempts it with its objects.
    const kind = k8sKindOf(res.type);
    const ns = kind?.kind === "Namespace" && kind.group === "" ? metaName : str(field(meta, "namespace"));
    const names = typeof metaName === "string" && metaName !== res.name ? [res.name, metaName] : [res.name];
    // Kubernetes metadata.labels; Pulumi Docker `labels` ([{label, value}]); Compose `labels` (map or ["k=v"]);
    // `docker inspect` Config.Labels (map).
    addLabels(labels, field(meta, "labels"));
    addLabels(labels, field(res.props, "labels"));
    addLabels(labels, field(field(res.props, "Config"), "Labels"));
    const annotation = field(field(meta, "annotations"), IGNORE_KEY);
    const ignore: IgnoreMark | undefined =
        typeof annotation === "string"
            ? { value: annotation, source: "annotation" }
            : Object.prototype.hasOwnProperty.call(labels, IGNORE_KEY)
              ? { value: labels[IGNORE_KEY], source: "label" }
              : undefined;
    return { names, namespace: typeof ns === "string" ? ns : undefined, labels, ...(ignore ? { ignore } : {}) };
}

/**
 * Whether a resource carries a `stride-guard.dev/ignore` annotation or label, without building its scope: stack
 * controls ask it of every resource they report on, and almost none has one.
 */
export function hasIgnoreMark(res: ResourceInput): boolean {
    const meta = field(res.props, "metadata");
    if (field(field(meta, "annotations"), IGNORE_KEY) !== undefined) return true;
    return hasLabel(field(meta, "labels")) || hasLabel(field(res.props, "labels")) || hasLabel(field(field(res.props, "Config"), "Labels"));
}

function hasLabel(source: unknown): boolean {
    if (isObj(source)) return Object.prototype.hasOwnProperty.call(source, IGNORE_KEY);
    if (!Array.isArray(source)) return false;
    return source.some((l) => (typeof l === "string" ? l.startsWith(`${IGNORE_KEY}=`) : field(l, "label") === IGNORE_KEY));
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
