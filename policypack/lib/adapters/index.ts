import { SubjectKind, SubjectModels } from "../core/control";
import { setPath } from "../core/paths";
import { field, isObj, str, unproxy } from "../core/values";
import { describeContainer } from "../model/container";
import { describePod, PodModel } from "../model/pod";
import { dockerContainerModel, writeDockerContainer } from "./docker-container";
import { kubernetesPodModel, podKindOfType } from "./kubernetes-workload";

/** A resource as every source presents it: Pulumi type token, name, URN and cleaned properties. */
export interface ResourceInput {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** Cleaned properties (see `clean`). */
    readonly props: unknown;
}

/** One thing a control checks inside a resource, with the words that name it in a message. */
export interface Subject<K extends SubjectKind> {
    readonly model: SubjectModels[K];
    readonly label: string;
    /** Writes a fix for a model field into (a copy of) the raw props; undefined when it cannot. */
    readonly write?: (raw: unknown, fieldName: string, value: unknown) => Record<string, unknown> | undefined;
}

export const DOCKER_CONTAINER = "docker:index/container:Container";

/** Input that could not be read well enough to check: reported, never skipped. */
export interface Problem {
    readonly label: string;
    readonly path: string;
    readonly problem: string;
}

export interface Adapted<K extends SubjectKind> {
    readonly subjects: readonly Subject<K>[];
    readonly problems: readonly Problem[];
}

const NOTHING: Adapted<never> = { subjects: [], problems: [] };

/** The subjects of a kind that a resource holds (none when the resource is of another type). */
export function subjectsOf<K extends SubjectKind>(kind: K, res: ResourceInput): Adapted<K> {
    const k = kind as SubjectKind;
    switch (k) {
        case "dockerContainer":
            return dockerContainerSubjects(res) as unknown as Adapted<K>;
        case "kubernetesContainer":
            return kubernetesContainerSubjects(res) as unknown as Adapted<K>;
        case "pod":
            return podSubjects(res) as unknown as Adapted<K>;
        default: {
            const never: never = k;
            throw new Error(`no adapter for subject kind ${String(never)}`);
        }
    }
}

function dockerContainerSubjects(res: ResourceInput): Adapted<"dockerContainer"> {
    if (res.type === DOCKER_CONTAINER) {
        const model = dockerContainerModel(res.props, res.name);
        const subjects: Subject<"dockerContainer">[] = [
            {
                model,
                label: `Docker ${describeContainer(model)}`,
                write: (raw, f, v) => {
                    const copy = { ...(unproxy(raw) as object) } as Record<string, unknown>;
                    return writeDockerContainer(copy, f, v) ? copy : undefined;
                },
            },
        ];
        return { subjects, problems: [] };
    }
    return NOTHING;
}

function kubernetesContainerSubjects(res: ResourceInput): Adapted<"kubernetesContainer"> {
    const kind = podKindOfType(res.type);
    if (kind === undefined) return NOTHING;
    const pod = kubernetesPodModel(kind, res.props, res.name);
    const subjects = pod.containers.map((model): Subject<"kubernetesContainer"> => ({
        model,
        label: `${describePod(pod)} ${describeContainer(model)}`,
        write: (raw, f, v) => {
            const path = model.paths[f as keyof typeof model.paths];
            if (path === undefined) return undefined;
            const value = f === "memoryBytes" && typeof v === "number" ? `${Math.ceil(v / 2 ** 20)}Mi` : v;
            return setPath(raw, path, value);
        },
    }));
    return { subjects, problems: podProblems(pod) };
}

function podProblems(pod: PodModel): Problem[] {
    return pod.malformed.map((m) => ({ label: describePod(pod), path: m.path, problem: m.problem }));
}

function podSubjects(res: ResourceInput): Adapted<"pod"> {
    const kind = podKindOfType(res.type);
    if (kind === undefined) return NOTHING;
    const model = kubernetesPodModel(kind, res.props, res.name);
    return { subjects: [{ model, label: describePod(model) }], problems: podProblems(model) };
}

/** Namespace and labels used by exemptions: Kubernetes metadata, Docker `labels` inputs. */
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
