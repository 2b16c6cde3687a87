import { V } from "../core/values";

/** Where a container runs; Docker containers and Kubernetes containers share one model. */
export type ContainerRuntime = "docker" | "kubernetes";
export type ContainerRole = "container" | "initContainer" | "ephemeralContainer" | "serviceTask";

/**
 * One container, normalized from any source (Pulumi inputs, Kubernetes manifests, Compose,
 * `docker inspect`). Every field is read through `V<T>`: a value, nothing, an unknown preview
 * value, or malformed input. `paths` names, for each field, where it lives in the source, so
 * that a message can point at the exact field to change.
 */
export interface ContainerModel {
    readonly runtime: ContainerRuntime;
    readonly role: ContainerRole;
    /** Container name as the user knows it (Kubernetes container name, Docker container/service name). */
    readonly name: string;
    readonly image: V<string>;
    readonly privileged: V<boolean>;
    /** Memory limit in bytes; 0 or undefined means unbounded. */
    readonly memoryBytes: V<number>;
    /** Docker restart policy name: "no" | "on-failure" | "always" | "unless-stopped" (services: "none" | "on-failure" | "any"). */
    readonly restartPolicy: V<string>;
    readonly restartMaxRetries: V<number>;
    /** Docker `user` ("uid[:gid]" or "name[:group]"). */
    readonly user: V<string>;
    /** Kubernetes effective security context (container overrides pod). */
    readonly runAsUser: V<number>;
    readonly runAsNonRoot: V<boolean>;
    readonly allowPrivilegeEscalation: V<boolean>;
    readonly readOnlyRootFilesystem: V<boolean>;
    readonly capabilitiesAdd: V<readonly string[]>;
    readonly capabilitiesDrop: V<readonly string[]>;
    /** Source path of each field, e.g. `memory` or `spec.template.spec.containers[1].securityContext.privileged`. */
    readonly paths: Readonly<Partial<Record<ContainerField, string>>>;
}

export type ContainerField = Exclude<keyof ContainerModel, "runtime" | "role" | "name" | "paths">;

export function describeContainer(c: ContainerModel): string {
    const role = c.role === "container" ? "container" : c.role === "serviceTask" ? "service task" : c.role;
    return `${role} "${c.name}"`;
}
