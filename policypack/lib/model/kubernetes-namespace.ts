import { V } from "../kernel/values";

export const PSS_ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";

/** A Namespace and its Pod Security admission labels. */
export interface KubernetesNamespaceModel {
    /** A `NamespacePatch`: it changes only the labels it sets, so a missing label says nothing. */
    readonly patch: boolean;
    /** metadata.name, or the Pulumi resource name when Pulumi auto-names it. */
    readonly name: string;
    /** `pod-security.kubernetes.io/enforce`: "privileged" | "baseline" | "restricted". */
    readonly enforce: V<string>;
    readonly paths: { readonly enforce: string };
}

declare module "../contract/subject" {
    interface SubjectModels {
        /** Namespaces (core/v1). */
        readonly kubernetesNamespace: KubernetesNamespaceModel;
    }
}
