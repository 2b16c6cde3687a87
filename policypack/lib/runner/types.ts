/**
 * Shapes of what the runner captures: every resource as the Pulumi engine sees it on the wire.
 */

/** Key of the signature field in wire-form special values. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** Signature of a secret on the wire: `{[SIG_KEY]: SECRET_SIG, value}`. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** Signature of a resource reference on the wire: `{[SIG_KEY]: RESOURCE_SIG, urn, id?, packageVersion?}`. */
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
/** Signatures of assets and archives on the wire. */
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
/** Pulumi's unknown sentinel (any unknown computed value during preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The engine's typed unknown sentinels (values as in @pulumi/policy proxy.js). */
export const UNKNOWN_SENTINELS = {
    any: UNKNOWN,
    bool: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    asset: "030794c1-ac77-496b-92df-f27374a8bd58",
    archive: "e48ece36-62e2-4504-bad9-02848725956a",
    object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
} as const;

export function isUnknownSentinel(v: unknown): boolean {
    return typeof v === "string" && (Object.values(UNKNOWN_SENTINELS) as string[]).includes(v);
}

export function isWireSecret(v: unknown): v is { [SIG_KEY]: typeof SECRET_SIG; value: unknown } {
    return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

export function wireSecret(value: unknown): Record<string, unknown> {
    return { [SIG_KEY]: SECRET_SIG, value };
}

export interface CapturedResourceOptions {
    protect: boolean;
    ignoreChanges: string[];
    /** Present only when the program set `deleteBeforeReplace` explicitly. */
    deleteBeforeReplace?: boolean;
    /** Alias URNs (alias specs are resolved to URNs as the engine does). */
    aliases: string[];
    additionalSecretOutputs: string[];
    customTimeouts?: { create?: string; update?: string; delete?: string };
}

export interface CapturedProvider {
    type: string;
    name: string;
    urn: string;
    /** Provider inputs in wire form. */
    props: Record<string, unknown>;
}

export interface CapturedResource {
    /** Type token, e.g. `docker:index/container:Container` or `pulumi:providers:docker`. */
    type: string;
    name: string;
    urn: string;
    /**
     * Inputs in engine wire form: secrets as `{[SIG_KEY]: SECRET_SIG, value}`, unknown preview values as
     * Pulumi's unknown sentinel strings, resource references as `{[SIG_KEY]: RESOURCE_SIG, urn, ...}`.
     */
    props: Record<string, unknown>;
    custom: boolean;
    /** The provider of a custom resource: explicit (`provider:` option) or the engine's default provider. */
    provider?: CapturedProvider;
    /** Parent URN (`pulumi:pulumi:Stack` for top-level resources; absent for the stack itself). */
    parent?: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    options: CapturedResourceOptions;
    /** How the resource entered the engine: `register` (new/CRUD), `read` (`.get`), or `default-provider`. */
    kind: "register" | "read" | "default-provider";
    /** For `read`: the ID that was read. For `register` with `import`: the import ID. */
    id?: string;
    /** Outputs registered via registerResourceOutputs (components and the stack), wire form. */
    outputs?: Record<string, unknown>;
}

export interface RunResult {
    resources: CapturedResource[];
    /** The stack outputs (wire form, i.e. secrets still marked, unknowns as sentinels). */
    outputs: Record<string, unknown>;
}
