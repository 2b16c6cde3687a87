import { Adapted, AdapterTable, NOTHING, ResourceInput, Subject } from "../../contract/subject";
import { isObj, UNKNOWN } from "../../kernel/values";
import { describeContainer } from "../../model/container";
import { DockerContainerModel } from "../../model/docker-container";
import { dockerContainerModel, writeDockerContainer } from "./container";
import { dockerServiceModel, serviceProblem, writeDockerService } from "./service";
import { composeServiceAdapter } from "./compose";
import { engineContainerAdapter } from "./inspect";

export const DOCKER_CONTAINER = "docker:index/container:Container";
export const DOCKER_SERVICE = "docker:index/service:Service";

type Writer = (raw: unknown, fieldName: string, value: unknown) => Record<string, unknown> | undefined;

function adapted(model: DockerContainerModel, write: Writer): Adapted<"dockerContainer"> {
    const subject: Subject<"dockerContainer"> = { model, label: `Docker ${describeContainer(model)}`, write };
    return { subjects: [subject], problems: [] };
}

function unreadable(res: ResourceInput, what: string, path: string, problem: string): Adapted<"dockerContainer"> {
    return { subjects: [], problems: [{ label: `Docker ${what} "${res.name}"`, path, problem }] };
}

/** docker.Container and docker.Service inputs (Pulumi). */
function adaptPulumi(res: ResourceInput): Adapted<"dockerContainer"> {
    if (res.type === DOCKER_CONTAINER) {
        if (res.props !== UNKNOWN && !isObj(res.props)) return unreadable(res, "container", "(properties)", "the properties are not an object");
        return adapted(dockerContainerModel(res.props, res.name), writeDockerContainer);
    }
    if (res.props !== UNKNOWN && !isObj(res.props)) return unreadable(res, "service task", "(properties)", "the properties are not an object");
    const p = serviceProblem(res.props);
    if (p) return unreadable(res, "service task", p.path, p.problem);
    return adapted(dockerServiceModel(res.props, res.name), writeDockerService);
}

/**
 * Every container control adapts the same resource, and so does the image control; where they share the
 * input (the in-process analysis and the pack hand every control the same one), the model is built once.
 * Models are read-only, so sharing is safe. Keyed by the input, not its props (which the stack keeps to the
 * end), so that a model lives no longer than the input it was read from.
 */
const MEMO = new WeakMap<
    ResourceInput,
    { readonly props: unknown; readonly type: string; readonly name: string; readonly adapted: Adapted<"dockerContainer"> }
>();

function memoized(res: ResourceInput): Adapted<"dockerContainer"> {
    const hit = MEMO.get(res);
    if (hit !== undefined && hit.props === res.props && hit.type === res.type && hit.name === res.name) return hit.adapted;
    const out = adaptPulumi(res);
    MEMO.set(res, { props: res.props, type: res.type, name: res.name, adapted: out });
    return out;
}

/** Docker subjects: containers and Swarm service tasks (images, providers and networks live in platform.ts). */
export const DOCKER_ADAPTERS: AdapterTable<"dockerContainer"> = {
    dockerContainer(res) {
        if (res.type === DOCKER_CONTAINER || res.type === DOCKER_SERVICE) return memoized(res);
        return composeServiceAdapter(res) ?? engineContainerAdapter(res) ?? NOTHING;
    },
};
