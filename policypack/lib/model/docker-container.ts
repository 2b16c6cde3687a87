import { V } from "../core/values";
import { ContainerBase } from "./container";

/** A Docker container or Swarm service task, from Pulumi inputs, Compose files or `docker inspect`. */
export interface DockerContainerModel extends ContainerBase<DockerContainerField> {
    readonly runtime: "docker";
    /** Memory limit in bytes; 0 or undefined means unbounded. */
    readonly memoryBytes: V<number>;
    /** Restart policy: "no" | "on-failure" | "always" | "unless-stopped" (service tasks map "none"→"no", "any"→"always"). */
    readonly restartPolicy: V<string>;
    readonly restartMaxRetries: V<number>;
    /** `user` ("uid[:gid]" or "name[:group]"). */
    readonly user: V<string>;
    readonly readOnlyRootFilesystem: V<boolean>;
    readonly capabilitiesAdd: V<readonly string[]>;
    readonly capabilitiesDrop: V<readonly string[]>;
}

export type DockerContainerField =
    | "image"
    | "privileged"
    | "memoryBytes"
    | "restartPolicy"
    | "restartMaxRetries"
    | "user"
    | "readOnlyRootFilesystem"
    | "capabilitiesAdd"
    | "capabilitiesDrop";

declare module "../core/subject" {
    interface SubjectModels {
        /** Docker containers and Swarm service tasks. */
        readonly dockerContainer: DockerContainerModel;
    }
}
