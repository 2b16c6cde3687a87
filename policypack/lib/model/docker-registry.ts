import { unsettled } from "../contract/check";
import type { Finding } from "../contract/control";
import { V } from "../kernel/values";

/** Registry addresses a resource pushes to or pulls from, and whether it verifies their TLS certificates. */
export interface DockerRegistryModel {
    readonly addresses: readonly { readonly address: V<string>; readonly path: string }[];
    /** `insecureSkipVerify` (RegistryImage). */
    readonly skipVerify: V<boolean>;
    readonly paths: { readonly skipVerify: string };
}

/** The finding for a registry address given as plain http:// (or unknown/malformed), else undefined. */
export function registryAddressFinding(path: string, address: V<string>): Finding | undefined {
    const u = unsettled(path, address);
    if (u) return u;
    return typeof address === "string" && /^http:\/\//i.test(address.trim())
        ? { field: path, message: "is a plain http:// registry: credentials and images cross the network unprotected. Use https:// or the bare host name." }
        : undefined;
}

declare module "../contract/subject" {
    interface SubjectModels {
        /** Registry access of image resources (RegistryImage, Image, RemoteImage builds). */
        readonly dockerRegistry: DockerRegistryModel;
    }
}
