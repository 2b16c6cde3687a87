import { V } from "../core/values";
import { ContainerBase } from "./container";

/** A container of a pod-bearing Kubernetes object; security context fields are effective values (container overrides pod). */
export interface KubernetesContainerModel extends ContainerBase<KubernetesContainerField> {
    readonly runtime: "kubernetes";
    readonly memoryLimitBytes: V<number>;
    readonly runAsUser: V<number>;
    readonly runAsNonRoot: V<boolean>;
    readonly allowPrivilegeEscalation: V<boolean>;
    readonly readOnlyRootFilesystem: V<boolean>;
    readonly capabilitiesAdd: V<readonly string[]>;
    readonly capabilitiesDrop: V<readonly string[]>;
}

export type KubernetesContainerField =
    | "image"
    | "privileged"
    | "memoryLimitBytes"
    | "runAsUser"
    | "runAsNonRoot"
    | "allowPrivilegeEscalation"
    | "readOnlyRootFilesystem"
    | "capabilitiesAdd"
    | "capabilitiesDrop";

declare module "../core/subject" {
    interface SubjectModels {
        /** Every container (containers, initContainers, ephemeralContainers) of every pod-bearing object. */
        readonly kubernetesContainer: KubernetesContainerModel;
    }
}
