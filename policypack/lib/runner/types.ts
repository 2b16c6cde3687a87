/**
 * Shapes of what the runner captures: every resource as the Pulumi engine sees it on the wire.
 */

import { SECRET_SIG, SIG_KEY, UNKNOWN_SENTINEL } from "../kernel/wire";

export { ASSET_SIG, isUnknownSentinel, RESOURCE_SIG, SECRET_SIG, SIG_KEY, UNKNOWN_SENTINELS } from "../kernel/wire";
/** Pulumi's unknown sentinel (any unknown computed value during preview). */
export const UNKNOWN = UNKNOWN_SENTINEL;

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
