import { setPath } from "../../kernel/paths";
import { AdapterTable, NOTHING, Problem, ResourceInput, Subject } from "../../contract/subject";
import { describeContainer } from "../../model/container";
import { KubernetesContainerField, KubernetesContainerModel } from "../../model/kubernetes-container";
import { describePod, PodModel } from "../../model/pod";
import { kubernetesPodModel, podKindOfType } from "./workload";

function podProblems(pod: PodModel): Problem[] {
    return pod.malformed.map((m) => ({ label: describePod(pod), path: m.path, problem: m.problem }));
}

const MIB = 2 ** 20;

/** Where a fix of a container field is written: always the container's own entry (creating securityContext as needed). */
const CONTAINER_WRITES: Partial<Record<KubernetesContainerField, (c: KubernetesContainerModel, v: unknown) => [string, unknown]>> = {
    privileged: (c, v) => [`${c.path}.securityContext.privileged`, v],
    allowPrivilegeEscalation: (c, v) => [`${c.path}.securityContext.allowPrivilegeEscalation`, v],
    readOnlyRootFilesystem: (c, v) => [`${c.path}.securityContext.readOnlyRootFilesystem`, v],
    runAsNonRoot: (c, v) => [`${c.path}.securityContext.runAsNonRoot`, v],
    procMount: (c, v) => [`${c.path}.securityContext.procMount`, v],
    capabilitiesDrop: (c, v) => [`${c.path}.securityContext.capabilities.drop`, v],
    capabilitiesAdd: (c, v) => [`${c.path}.securityContext.capabilities.add`, v],
    // The whole profile: a leftover localhostProfile with another type would not validate.
    seccompProfileType: (c, v) => [`${c.path}.securityContext.seccompProfile`, { type: v }],
    memoryLimitBytes: (c, v) => [`${c.path}.resources.limits.memory`, typeof v === "number" ? `${Math.ceil(v / MIB)}Mi` : v],
    memoryRequestBytes: (c, v) => [`${c.path}.resources.requests.memory`, typeof v === "number" ? `${Math.ceil(v / MIB)}Mi` : v],
    cpuRequestCores: (c, v) => [`${c.path}.resources.requests.cpu`, typeof v === "number" ? `${Math.ceil(v * 1000)}m` : v],
};

/**
 * Pod models by resource input: the pod controls and the container controls of a resource share one model,
 * whether their calls follow each other (the in-process analysis) or interleave with other resources' (the
 * pack's concurrent Analyze calls run a policy at a time; the bench runs one control over every resource).
 * Keyed by the input, not its props, so that a model lives no longer than the input it was read from.
 */
const PODS = new WeakMap<ResourceInput, { readonly props: unknown; readonly kind: string; readonly name: string; readonly model: PodModel }>();

function podOf(res: ResourceInput, kind: string): PodModel {
    const hit = PODS.get(res);
    if (hit !== undefined && hit.props === res.props && hit.kind === kind && hit.name === res.name) return hit.model;
    const model = kubernetesPodModel(kind, res.props, res.name);
    PODS.set(res, { props: res.props, kind, name: res.name, model });
    return model;
}

/** Kubernetes subjects: pod templates of every pod-bearing kind, and each of their containers. */
export const KUBERNETES_ADAPTERS: AdapterTable<"kubernetesContainer" | "pod"> = {
    kubernetesContainer(res) {
        const kind = podKindOfType(res.type);
        if (kind === undefined) return NOTHING;
        const pod = podOf(res, kind);
        const podLabel = describePod(pod);
        const subjects = pod.containers.map((model): Subject<"kubernetesContainer"> => ({
            model,
            label: `${podLabel} ${describeContainer(model)}`,
            write: (raw, f, v) => {
                const w = CONTAINER_WRITES[f as KubernetesContainerField];
                if (w === undefined) return undefined;
                const [path, value] = w(model, v);
                return setPath(raw, path, value);
            },
        }));
        return { subjects, problems: podProblems(pod) };
    },
    pod(res) {
        const kind = podKindOfType(res.type);
        if (kind === undefined) return NOTHING;
        const model = podOf(res, kind);
        const subject: Subject<"pod"> = {
            model,
            label: describePod(model),
            write: (raw, f, v) => (f === "automountServiceAccountToken" ? setPath(raw, model.paths.automountServiceAccountToken!, v) : undefined),
        };
        return { subjects: [subject], problems: podProblems(model) };
    },
};
