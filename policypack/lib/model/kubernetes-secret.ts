import { V } from "../kernel/values";

/** One of a Secret's payload fields and whether its values arrived as Pulumi secrets. */
export interface SecretPayload {
    readonly field: "data" | "stringData";
    /**
     * Keys whose value arrived in plaintext (not a Pulumi secret). UNKNOWN when the field is unknown at
     * preview; `"undecidable"` when the source does not keep secret markers (see KubernetesSecretModel).
     */
    readonly plaintextKeys: V<readonly string[]> | "undecidable";
}

/**
 * A Secret (or SecretPatch). Whether its values are Pulumi secrets can only be told where the source keeps
 * Pulumi's secret markers: the in-process runner and test runner (wire form), Remediate, and the pack's Analyze
 * where it recorded them before @pulumi/policy unwrapped them; elsewhere the answer is "undecidable".
 */
export interface KubernetesSecretModel {
    readonly kind: string;
    readonly name: string;
    readonly namespace: V<string>;
    readonly payloads: readonly SecretPayload[];
}

declare module "../contract/subject" {
    interface SubjectModels {
        /** Secrets and SecretPatches (core/v1). */
        readonly kubernetesSecret: KubernetesSecretModel;
    }
}
