import { V } from "../core/values";
import { KubernetesContainerModel } from "./kubernetes-container";

/** The pod template of any pod-bearing Kubernetes object, normalized. */
export interface PodModel {
    /** Owning object, e.g. `Deployment`; `Pod` for bare pods. */
    readonly kind: string;
    readonly name: string;
    readonly namespace: string | undefined;
    /** Path of the pod spec in the source, e.g. `spec.template.spec` or `spec.jobTemplate.spec.template.spec`. */
    readonly specPath: string;
    readonly hostNetwork: V<boolean>;
    readonly hostPID: V<boolean>;
    readonly hostIPC: V<boolean>;
    readonly serviceAccountName: V<string>;
    readonly automountServiceAccountToken: V<boolean>;
    /** Every container: containers, initContainers and ephemeralContainers. */
    readonly containers: readonly KubernetesContainerModel[];
    /** Malformed container entries, reported rather than skipped. */
    readonly malformed: readonly { readonly path: string; readonly problem: string }[];
}

export function describePod(p: PodModel): string {
    return p.namespace ? `${p.kind} "${p.namespace}/${p.name}"` : `${p.kind} "${p.name}"`;
}

declare module "../core/subject" {
    interface SubjectModels {
        /** The pod template of every pod-bearing Kubernetes object. */
        readonly pod: PodModel;
    }
}
