import { V } from "../core/values";

/** One `data` entry of a ConfigMap; `path` is its source path (`data["DB_PASSWORD"]`). */
export interface ConfigMapEntry {
    readonly key: string;
    readonly value: V<string>;
    readonly path: string;
}

/** A ConfigMap (or ConfigMapPatch): its plain-text `data` (binaryData is not read). */
export interface KubernetesConfigMapModel {
    readonly kind: string;
    readonly name: string;
    readonly namespace: V<string>;
    readonly data: V<readonly ConfigMapEntry[]>;
}

declare module "../core/subject" {
    interface SubjectModels {
        /** ConfigMaps and ConfigMapPatches (core/v1). */
        readonly kubernetesConfigMap: KubernetesConfigMapModel;
    }
}
