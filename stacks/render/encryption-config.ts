/**
 * EncryptionConfiguration for secrets at rest in etcd (CIS Kubernetes 1.2.27, 1.2.28). Pure.
 */
import { stringify } from "yaml";

export type EncryptionProvider = "secretbox" | "aescbc" | "aesgcm" | "identity";

export interface EncryptionConfigOptions {
    /** Resources to encrypt. */
    resources: string[];
    /** Providers in order: the first one encrypts new writes; the others can still read. */
    providers: EncryptionProvider[];
    /** Base64 of a 32-byte key (for every keyed provider). */
    keyBase64: string;
    keyName: string;
}

export function hardenedEncryptionOptions(keyBase64: string): EncryptionConfigOptions {
    return { resources: ["secrets"], providers: ["secretbox", "identity"], keyBase64, keyName: "key1" };
}

export function encryptionConfigObject(o: EncryptionConfigOptions): Record<string, unknown> {
    const keyed = o.providers.some((p) => p !== "identity");
    if (keyed && Buffer.from(o.keyBase64, "base64").length !== 32) throw new Error("encryption key must be 32 bytes, base64-encoded");
    return {
        apiVersion: "apiserver.config.k8s.io/v1",
        kind: "EncryptionConfiguration",
        resources: [
            {
                resources: [...o.resources],
                providers: o.providers.map((p) => (p === "identity" ? { identity: {} } : { [p]: { keys: [{ name: o.keyName, secret: o.keyBase64 }] } })),
            },
        ],
    };
}

export function renderEncryptionConfig(o: EncryptionConfigOptions): string {
    return stringify(encryptionConfigObject(o));
}
