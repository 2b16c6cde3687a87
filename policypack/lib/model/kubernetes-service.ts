import { V } from "../kernel/values";

/** A Service: how it is exposed. */
export interface KubernetesServiceModel {
    /** A `ServicePatch` (server-side apply to an existing Service). */
    readonly patch: boolean;
    readonly name: string;
    readonly namespace: V<string>;
    /** spec.type; undefined means ClusterIP. */
    readonly type: V<string>;
    readonly externalIPs: V<readonly string[]>;
    readonly paths: { readonly type: string; readonly externalIPs: string };
}

declare module "../contract/subject" {
    interface SubjectModels {
        /** Services (core/v1). */
        readonly kubernetesService: KubernetesServiceModel;
    }
}
