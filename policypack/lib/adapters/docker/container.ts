import { DockerContainerModel } from "../../model/docker-container";
import { bool, field, Invalid, num, obj, str, strList, UNKNOWN, V } from "../../core/values";

const MIB = 1024 * 1024;

/** `docker:index/container:Container` inputs (@pulumi/docker 4.x/5.x). `memory` is in MB. */
export function dockerContainerModel(props: unknown, resourceName: string): DockerContainerModel {
    const memoryMb = num(field(props, "memory"));
    const caps = obj(field(props, "capabilities"));
    const name = str(field(props, "name"));
    return {
        runtime: "docker",
        role: "container",
        name: typeof name === "string" && name !== "" ? name : resourceName,
        image: str(field(props, "image")),
        privileged: bool(field(props, "privileged")),
        memoryBytes: typeof memoryMb === "number" ? memoryMb * MIB : memoryMb,
        restartPolicy: str(field(props, "restart")),
        restartMaxRetries: num(field(props, "maxRetryCount")),
        user: str(field(props, "user")),
        readOnlyRootFilesystem: bool(field(props, "readOnly")),
        capabilitiesAdd: sub(caps, "adds"),
        capabilitiesDrop: sub(caps, "drops"),
        paths: DOCKER_CONTAINER_PATHS,
    };
}

function sub(caps: V<Record<string, unknown>>, key: string): V<readonly string[]> {
    if (caps === UNKNOWN || caps instanceof Invalid) return caps;
    return caps === undefined ? undefined : strList(caps[key]);
}

const DOCKER_CONTAINER_PATHS = {
    image: "image",
    privileged: "privileged",
    memoryBytes: "memory",
    restartPolicy: "restart",
    restartMaxRetries: "maxRetryCount",
    user: "user",
    readOnlyRootFilesystem: "readOnly",
    capabilitiesAdd: "capabilities.adds",
    capabilitiesDrop: "capabilities.drops",
} as const;

/** Writes remediation fixes back into `docker:index/container:Container` inputs. */
export function writeDockerContainer(props: Record<string, unknown>, fieldName: string, value: unknown): boolean {
    switch (fieldName) {
        case "memoryBytes":
            props["memory"] = Math.ceil((value as number) / MIB);
            return true;
        case "restartPolicy":
            props["restart"] = value;
            return true;
        case "restartMaxRetries":
            props["maxRetryCount"] = value;
            return true;
        case "privileged":
            props["privileged"] = value;
            return true;
        case "readOnlyRootFilesystem":
            props["readOnly"] = value;
            return true;
        case "capabilitiesDrop":
        case "capabilitiesAdd": {
            const current = props["capabilities"];
            const caps: Record<string, unknown> =
                current !== null && typeof current === "object" && !Array.isArray(current) ? { ...(current as object) } : {};
            caps[fieldName === "capabilitiesDrop" ? "drops" : "adds"] = value;
            props["capabilities"] = caps;
            return true;
        }
        default:
            return false;
    }
}
