import { V } from "../kernel/values";

/** A registry credential of a Docker provider (the password is never read into the model). */
export interface RegistryAuthModel {
    readonly address: V<string>;
}

/** A `pulumi:providers:docker` resource, explicit or the engine's default provider (from stack config `docker:*`). */
export interface DockerProviderModel {
    readonly name: string;
    /** The engine's default provider, configured by stack config (`docker:host`, …), not by program code. */
    readonly isDefault: boolean;
    readonly host: V<string>;
    readonly context: V<string>;
    /** Whether client TLS material is set; the values are secrets and never enter the model. */
    readonly caMaterial: V<boolean>;
    readonly certMaterial: V<boolean>;
    readonly keyMaterial: V<boolean>;
    readonly certPath: V<string>;
    readonly sshOpts: V<readonly string[]>;
    readonly registryAuth: V<readonly RegistryAuthModel[]>;
    readonly paths: Readonly<Record<DockerProviderField, string>>;
}

export type DockerProviderField = "host" | "context" | "caMaterial" | "certMaterial" | "keyMaterial" | "certPath" | "sshOpts" | "registryAuth";

export function describeProvider(p: Pick<DockerProviderModel, "name" | "isDefault">): string {
    return p.isDefault ? `Docker default provider "${p.name}" (stack config docker:*)` : `Docker provider "${p.name}"`;
}

declare module "../contract/subject" {
    interface SubjectModels {
        /** Docker providers: where Pulumi talks to dockerd, and with which credentials. */
        readonly dockerProvider: DockerProviderModel;
    }
}
