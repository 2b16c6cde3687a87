import { setPath } from "../../core/paths";
import { bool, field, Invalid, num, show, str, strList, UNKNOWN, V } from "../../core/values";
import { DockerContainerField, DockerContainerModel, DockerPort, TmpfsFix } from "../../model/docker-container";
import { MIB } from "../../core/check";
import { appendAt, envMap, items, reader, readMount, tmpfsOf } from "./container";

const CS = "taskSpec.containerSpec";

/** Swarm restart conditions → the container vocabulary of the model. */
const CONDITIONS: Readonly<Record<string, string>> = { none: "no", "on-failure": "on-failure", any: "always" };
const CONDITION_OF: Readonly<Record<string, string>> = { no: "none", "on-failure": "on-failure", always: "any", "unless-stopped": "any" };

function restartPolicyOf(v: unknown): V<string> {
    const s = str(v);
    if (typeof s !== "string") return s;
    return Object.prototype.hasOwnProperty.call(CONDITIONS, s) ? CONDITIONS[s] : new Invalid('"none", "on-failure" or "any"', show(s));
}

/**
 * `docker:index/service:Service` inputs: the task's container spec, resources and restart policy.
 * Swarm tasks cannot be privileged, join host namespaces, take devices or security options, so those
 * fields have no path. Published ports go through the routing mesh on every interface of every node.
 */
export function dockerServiceModel(props: unknown, resourceName: string): DockerContainerModel {
    const task = field(props, "taskSpec");
    const get = reader(field(task, "containerSpec"));
    const limits = reader(field(field(task, "resources"), "limits"));
    const restart = reader(field(task, "restartPolicy"));
    const name = str(field(props, "name"));
    const mounts = items(get("mounts"), `${CS}.mounts`, readMount);
    return {
        runtime: "docker",
        role: "serviceTask",
        name: typeof name === "string" && name !== "" ? name : resourceName,
        image: str(get("image")),
        privileged: undefined,
        memoryBytes: num(limits("memoryBytes")),
        restartPolicy: restartPolicyOf(restart("condition")),
        restartPolicyDefault: "always",
        restartMaxRetries: num(restart("maxAttempts")),
        user: str(get("user")),
        readOnlyRootFilesystem: bool(get("readOnly")),
        capabilitiesAdd: strList(get("capAdds")),
        capabilitiesDrop: strList(get("capDrops")),
        cpuShares: undefined,
        nanoCpus: num(limits("nanoCpus")),
        cpuQuota: undefined,
        pidsLimit: undefined,
        ulimits: undefined,
        healthcheckTest: strList(field(get("healthcheck"), "tests")),
        securityOpts: undefined,
        networkMode: undefined,
        pidMode: undefined,
        ipcMode: undefined,
        utsMode: undefined,
        usernsMode: undefined,
        devices: undefined,
        cgroupParent: undefined,
        deviceCgroupRules: undefined,
        cgroupnsMode: undefined,
        // Swarm tasks run on overlay networks, never on docker0.
        defaultBridge: undefined,
        mounts,
        tmpfsTargets: tmpfsOf(mounts),
        ports: items(field(field(props, "endpointSpec"), "ports"), "endpointSpec.ports", readServicePort),
        publishAllPorts: undefined,
        builtImage: undefined,
        env: envMap(get("env"), `${CS}.env`),
        paths: DOCKER_SERVICE_PATHS,
    };
}

function readServicePort(e: unknown, path: string): DockerPort {
    const get = reader(e);
    return {
        path,
        hostIp: undefined,
        interfaceBindable: false,
        hostPort: num(get("publishedPort")),
        containerPort: num(get("targetPort")),
    };
}

const DOCKER_SERVICE_PATHS: Readonly<Partial<Record<DockerContainerField, string>>> = {
    image: `${CS}.image`,
    memoryBytes: "taskSpec.resources.limits.memoryBytes",
    restartPolicy: "taskSpec.restartPolicy.condition",
    restartMaxRetries: "taskSpec.restartPolicy.maxAttempts",
    user: `${CS}.user`,
    readOnlyRootFilesystem: `${CS}.readOnly`,
    capabilitiesAdd: `${CS}.capAdds`,
    capabilitiesDrop: `${CS}.capDrops`,
    nanoCpus: "taskSpec.resources.limits.nanoCpus",
    healthcheckTest: `${CS}.healthcheck.tests`,
    mounts: `${CS}.mounts`,
    tmpfsTargets: `${CS}.mounts`,
    ports: "endpointSpec.ports",
    env: `${CS}.env`,
};

/** The problem that keeps a service from being checked at all, if any. */
export function serviceProblem(props: unknown): { path: string; problem: string } | undefined {
    const task = field(props, "taskSpec");
    if (task === UNKNOWN) return undefined;
    if (task === undefined || task === null) return { path: "taskSpec", problem: "the service has no task spec" };
    if (task instanceof Invalid || typeof task !== "object" || Array.isArray(task)) return { path: "taskSpec", problem: "the task spec is not an object" };
    const spec = field(task, "containerSpec");
    if (spec === UNKNOWN) return undefined;
    if (spec === undefined || spec === null) return { path: CS, problem: "the task has no container spec" };
    if (spec instanceof Invalid || typeof spec !== "object" || Array.isArray(spec)) return { path: CS, problem: "the container spec is not an object" };
    return undefined;
}

/** Writes remediation fixes back into `docker:index/service:Service` inputs; undefined when it cannot. */
export function writeDockerService(raw: unknown, fieldName: string, value: unknown): Record<string, unknown> | undefined {
    switch (fieldName) {
        case "memoryBytes":
            return setPath(raw, "taskSpec.resources.limits.memoryBytes", Math.ceil((value as number) / MIB) * MIB);
        case "restartPolicy": {
            const condition = CONDITION_OF[value as string];
            return condition === undefined ? undefined : setPath(raw, "taskSpec.restartPolicy.condition", condition);
        }
        case "tmpfsTargets":
            return appendAt(
                raw,
                `${CS}.mounts`,
                (value as readonly TmpfsFix[]).map((t) => ({ type: "tmpfs", target: t.target, tmpfsOptions: { sizeBytes: t.sizeMb * MIB } })),
            );
        case "restartMaxRetries":
        case "readOnlyRootFilesystem":
        case "capabilitiesDrop":
        case "capabilitiesAdd":
            return setPath(raw, DOCKER_SERVICE_PATHS[fieldName] as string, value);
        default:
            return undefined;
    }
}
