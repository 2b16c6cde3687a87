/**
 * Pulumi's wire format for special values (see @pulumi/pulumi/runtime/rpc.js and @pulumi/policy/proxy.js):
 * the one place its constants are written down.
 */

/** Key of the signature field in wire-form special values. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** Signature of a secret on the wire: `{[SIG_KEY]: SECRET_SIG, value}`. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** Signature of a resource reference on the wire: `{[SIG_KEY]: RESOURCE_SIG, urn, id?, packageVersion?}`. */
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
/** Signature of an asset on the wire. */
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
/** Signature of an output value on the wire. */
export const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/** The engine's typed unknown sentinels; `any` (the generic unknown) is the string one. */
export const UNKNOWN_SENTINELS = {
    any: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    bool: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    asset: "030794c1-ac77-496b-92df-f27374a8bd58",
    archive: "e48ece36-62e2-4504-bad9-02848725956a",
    object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
} as const;

/** Pulumi's unknown sentinel (any unknown computed value during preview). */
export const UNKNOWN_SENTINEL = UNKNOWN_SENTINELS.any;

const SENTINELS: ReadonlySet<string> = new Set(Object.values(UNKNOWN_SENTINELS));

/** Every sentinel is a 36-character UUID. */
export const SENTINEL_LENGTH = 36;

export function isUnknownSentinel(v: unknown): boolean {
    return typeof v === "string" && SENTINELS.has(v);
}
