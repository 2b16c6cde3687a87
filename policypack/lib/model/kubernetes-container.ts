import { V } from "../core/values";
import { ContainerBase } from "./container";

/** A value found at a source path, for list entries that each need their own message (host ports, secret env). */
export interface Located<T> {
    readonly value: T;
    readonly path: string;
}

/** What a container needs to know of its pod: which object it belongs to, where, and on which OS. */
export interface PodContext {
    /** Owning object, e.g. `Deployment`; `Pod` for bare pods. */
    readonly kind: string;
    readonly name: string;
    readonly namespace: string | undefined;
    /** True when metadata.namespace is an output not known until the deployment runs. */
    readonly namespaceUnknown: boolean;
    /** `spec.os.name` ("linux" | "windows"); undefined when unset. */
    readonly os: V<string>;
}

/**
 * A container of a pod-bearing Kubernetes object. Security context fields are effective values: the
 * container's own setting wins over the pod's (whole objects for seccompProfile, seLinuxOptions and
 * appArmorProfile, field by field for windowsOptions), and `paths` says which one applied.
 */
export interface KubernetesContainerModel extends ContainerBase<KubernetesContainerField> {
    readonly runtime: "kubernetes";
    readonly pod: PodContext;
    /** Source path of the container entry, e.g. `spec.template.spec.initContainers[0]`. */
    readonly path: string;
    readonly command: V<readonly string[]>;
    readonly args: V<readonly string[]>;
    /** resources.limits.memory in bytes. */
    readonly memoryLimitBytes: V<number>;
    /** resources.requests.memory in bytes. */
    readonly memoryRequestBytes: V<number>;
    /** resources.requests.cpu in cores (250m = 0.25). */
    readonly cpuRequestCores: V<number>;
    readonly runAsUser: V<number>;
    readonly runAsGroup: V<number>;
    readonly runAsNonRoot: V<boolean>;
    readonly allowPrivilegeEscalation: V<boolean>;
    readonly readOnlyRootFilesystem: V<boolean>;
    readonly capabilitiesAdd: V<readonly string[]>;
    readonly capabilitiesDrop: V<readonly string[]>;
    /** Effective seccompProfile.type: "RuntimeDefault" | "Localhost" | "Unconfined". */
    readonly seccompProfileType: V<string>;
    readonly seLinuxType: V<string>;
    readonly seLinuxUser: V<string>;
    readonly seLinuxRole: V<string>;
    /** Effective appArmorProfile.type: "RuntimeDefault" | "Localhost" | "Unconfined". */
    readonly appArmorProfileType: V<string>;
    /** The legacy `container.apparmor.security.beta.kubernetes.io/<name>` annotation of the pod template. */
    readonly appArmorAnnotation: V<string>;
    readonly windowsHostProcess: V<boolean>;
    readonly procMount: V<string>;
    /** Non-zero `ports[].hostPort` values, each with its path. */
    readonly hostPorts: V<readonly Located<number>[]>;
    /** Environment taken from Secrets: `env[].valueFrom.secretKeyRef` (value: the variable name) and `envFrom[].secretRef` (value: "envFrom"). */
    readonly secretEnv: V<readonly Located<string>[]>;
    /** Environment written in the manifest: `env[]` entries with a literal `value` (value V: unknown at preview, a secret, malformed). */
    readonly plainEnv: V<readonly PlainEnvVar[]>;
}

/** `env[i]` with a literal value; `path` is the entry's (`….env[2]`). */
export interface PlainEnvVar {
    readonly path: string;
    readonly name: V<string>;
    readonly value: V<string>;
}

export type KubernetesContainerField =
    | "image"
    | "privileged"
    | "command"
    | "args"
    | "memoryLimitBytes"
    | "memoryRequestBytes"
    | "cpuRequestCores"
    | "runAsUser"
    | "runAsGroup"
    | "runAsNonRoot"
    | "allowPrivilegeEscalation"
    | "readOnlyRootFilesystem"
    | "capabilitiesAdd"
    | "capabilitiesDrop"
    | "seccompProfileType"
    | "seLinuxType"
    | "seLinuxUser"
    | "seLinuxRole"
    | "appArmorProfileType"
    | "appArmorAnnotation"
    | "windowsHostProcess"
    | "procMount"
    | "hostPorts"
    | "secretEnv"
    | "plainEnv";

declare module "../core/subject" {
    interface SubjectModels {
        /** Every container (containers, initContainers, ephemeralContainers) of every pod-bearing object. */
        readonly kubernetesContainer: KubernetesContainerModel;
    }
}
