/**
 * Everything stride-guard relies on inside @pulumi/policy that is not its public API, each with its fallback
 * (test/pack/policy-internals.test.ts fails when an upgrade changes one of them):
 *
 * - its proxies' marker keys (`PROXY_FLAG`, `PROXY_TARGET`), which `clean` uses to unwrap properties without
 *   tripping the unknown checks (fallback: a value without the marker is read as plain data);
 * - `UnknownValueError`, which the server turns into an advisory note (fallback: a plain Error naming the paths);
 * - the request's `ignoreChanges` array as a per-request key (`requestKey`; fallback: no sharing);
 * - `deserializeProperties` as a replaceable export, and the object it returns being the target of the proxy a
 *   policy gets (`shareDeserialization`, `recordWireSecrets`; fallback: nothing changes, nothing is recorded).
 */

/** @pulumi/policy/proxy's `isSpecialProxy`: a proxy answers true for this key. */
export const PROXY_FLAG = "__isSpecialProxy";
/** @pulumi/policy/proxy's `getSpecialProxyTarget`: a proxy answers its target for this key. */
export const PROXY_TARGET = "__getSpecialProxyTarget";

/**
 * A key for the request a resource came in. @pulumi/policy deserializes the properties afresh for every policy
 * (and, in AnalyzeStack, the whole stack for every stack policy), but `opts.ignoreChanges` is the request
 * message's own repeated field: the same array for every policy that sees that resource in that request, and
 * another array in any other request. Work keyed on it is therefore shared by the policies of one request only.
 */
export function requestKey(r: { opts?: unknown }): object | undefined {
    const key = (r.opts as { ignoreChanges?: unknown } | undefined)?.ignoreChanges;
    return Array.isArray(key) ? key : undefined;
}

type UnknownValueErrorClass = new (sentinel: string, props: string[]) => Error;
let unknownValueErrorClass: UnknownValueErrorClass | null | undefined;

/** The error @pulumi/policy turns into an advisory "unknown at preview" note, for these field paths. */
export function unknownValueError(sentinel: string, paths: readonly string[]): Error {
    if (unknownValueErrorClass === undefined) {
        try {
            const c = (require("@pulumi/policy/proxy") as { UnknownValueError?: unknown }).UnknownValueError;
            unknownValueErrorClass = typeof c === "function" ? (c as UnknownValueErrorClass) : null;
        } catch {
            unknownValueErrorClass = null;
        }
    }
    const props = [paths.join(", .")];
    return unknownValueErrorClass ? new unknownValueErrorClass(sentinel, props) : new Error(`unknown at preview: .${props[0]}`);
}

/*
 * One deserialization of a request's properties per request, instead of one per policy.
 *
 * @pulumi/policy (1.21) answers Analyze by running every resource policy in turn, and for each one it calls
 * `deserializeProperties(req.getProperties(), false)`: the request's protobuf Struct is converted to
 * JavaScript (`Struct.toJavaScript()`) and then copied into plain data, again for every policy. AnalyzeStack
 * does the same for every resource, for every stack policy, and the provider's properties are converted for
 * every policy as well. With tens of policies that is most of a pack's CPU time: a pack of 54 no-op policies
 * costs about 14 µs per policy per resource in those two steps alone.
 *
 * The server calls the function through its module's exports object, so replacing that export is seen by
 * every later call. The memo is keyed by the Struct message object of the request (google-protobuf caches a
 * message's wrapper fields, so one request hands every policy the same Struct); it lives as long as the
 * request does.
 *
 * - `"wire"` shares only the Struct → JavaScript conversion. That output is never handed to a policy:
 *   `deserializeProperties` copies every node of it into fresh objects, so each policy still gets its own
 *   copy. Transparent for any policy; about three quarters of the saving.
 * - `"parsed"` also shares the deserialized properties: every policy of one request gets the same object
 *   (behind its own unknown-checking proxy). Only for packs whose policies never write to `args.props` —
 *   all of stride-guard's (they read the properties through `clean`, which copies). A pack that mixes in
 *   policies that may modify their arguments must use `"wire"`.
 *
 * Remediate's secrets-preserving deserialization (`proxySecrets`) is never shared: it runs once per request
 * anyway, and remediations do modify what they get.
 */

type Deserialize = (struct: StructLike, proxySecrets: boolean) => Record<string, unknown>;

interface StructLike {
    toJavaScript(): Record<string, unknown>;
}

interface Memo {
    wire?: Record<string, unknown>;
    parsed?: Record<string, unknown>;
    /** What arrived secret in the Struct (recorded only when a recorder is installed). */
    secrets?: unknown;
}

export type Sharing = "wire" | "parsed";

/** Reads which values of wire-form properties arrived as secrets (`wireSecrets` in kernel/clean.ts). */
export type SecretsOf = (wire: Record<string, unknown>) => unknown;

interface Installed {
    readonly module: { deserializeProperties: Deserialize };
    readonly original: Deserialize;
    /** Sharing, or none (the wrapper is there only to record secrets). */
    mode: Sharing | undefined;
    secretsOf: SecretsOf | undefined;
    /** What `shareDeserialization` returns: one function per install. */
    readonly restore: () => void;
}

/** The wrapper installed on each @pulumi/policy deserialize module (one in a normal install). */
const installs = new Map<object, Installed>();
let defaultModule: object | undefined;

/**
 * Deserialized properties → what arrived secret in their Struct. Keyed by the object @pulumi/policy hands a
 * policy (behind its unknown-checking proxy, whose target it is), so a policy finds the record of exactly the
 * properties it was given; gone with them.
 */
const recorded = new WeakMap<object, unknown>();

/** What arrived secret in the properties a policy was given (their proxy's target), when recorded; else undefined. */
export function recordedSecretsOf(props: unknown): unknown {
    return props !== null && typeof props === "object" ? recorded.get(props) : undefined;
}

/** What is installed, if anything (for diagnostics and tests). */
export function deserializationSharing(): Sharing | undefined {
    return defaultModule === undefined ? undefined : installs.get(defaultModule)?.mode;
}

function loadModule(policyModule: string): { deserializeProperties?: unknown } | undefined {
    try {
        // Resolved like @pulumi/policy's server resolves it, so both see one module instance.
        return require(policyModule) as { deserializeProperties?: unknown };
    } catch {
        return undefined;
    }
}

/** The wrapper on `policyModule`'s deserializer, installed on first use; undefined when it cannot be replaced. */
function install(policyModule: string): Installed | undefined {
    const module = loadModule(policyModule);
    if (module === undefined) return undefined;
    const existing = installs.get(module);
    if (existing) return existing;
    const original = module.deserializeProperties;
    const descriptor = Object.getOwnPropertyDescriptor(module, "deserializeProperties");
    if (typeof original !== "function" || original.length !== 2 || !descriptor?.writable) return undefined;
    const state: Installed = {
        module: module as Installed["module"],
        original: original as Deserialize,
        mode: undefined,
        secretsOf: undefined,
        restore: () => restore(state),
    };
    const memos = new WeakMap<object, Memo>();
    state.module.deserializeProperties = function deserializePropertiesOnce(struct: StructLike, proxySecrets: boolean) {
        if (struct === null || typeof struct !== "object" || typeof struct.toJavaScript !== "function") return state.original(struct, proxySecrets);
        let memo = memos.get(struct);
        if (memo === undefined) memos.set(struct, (memo = {}));
        // Remediate's secret-preserving copy keeps the secrets itself: nothing to record.
        const record = !proxySecrets && state.secretsOf !== undefined;
        if (!proxySecrets && state.mode === "parsed") {
            if (memo.parsed === undefined) {
                // One conversion serves the secrets and the parsed copy; it is not kept beside it (memory, at 50k resources).
                const wire = memo.wire ?? struct.toJavaScript();
                if (record) memo.secrets ??= state.secretsOf!(wire);
                memo.parsed = state.original({ toJavaScript: () => wire }, false);
                memo.wire = undefined;
            } else if (record && memo.secrets === undefined) {
                memo.secrets = state.secretsOf!(struct.toJavaScript());
            }
            if (record) recorded.set(memo.parsed, memo.secrets);
            return memo.parsed;
        }
        const out = state.original(state.mode === undefined ? struct : wireOf(struct, memo), proxySecrets);
        if (record) {
            // Without sharing, the Struct is converted once more, once per request (not per policy).
            memo.secrets ??= state.secretsOf!(memo.wire ?? struct.toJavaScript());
            recorded.set(out, memo.secrets);
        }
        return out;
    };
    installs.set(module, state);
    return state;
}

/**
 * Makes @pulumi/policy deserialize each request's properties once, shared as `mode` says. Returns a function
 * that restores the original behaviour, or undefined when this @pulumi/policy cannot be patched (its
 * deserializer is not a replaceable export), in which case nothing changes. Installing again changes the mode.
 */
export function shareDeserialization(mode: Sharing, policyModule: string = "@pulumi/policy/deserialize"): (() => void) | undefined {
    const state = install(policyModule);
    if (state === undefined) return undefined;
    state.mode = mode;
    defaultModule ??= state.module;
    return state.restore;
}

/**
 * Records, for every deserialization of Analyze and AnalyzeStack properties (and providers'), which values
 * arrived as Pulumi secrets: the engine sends them wrapped (`KeepSecrets: true`), and @pulumi/policy unwraps
 * them before any policy runs. `recordedSecretsOf(args.props)` then answers for the properties a policy got.
 * Works with and without sharing. False when this @pulumi/policy cannot be patched (nothing is recorded).
 */
export function recordWireSecrets(secretsOf: SecretsOf, policyModule: string = "@pulumi/policy/deserialize"): boolean {
    const state = install(policyModule);
    if (state === undefined) return false;
    state.secretsOf = secretsOf;
    defaultModule ??= state.module;
    return true;
}

/** Whether the wire's secrets are being recorded (the pack's policies install the recorder). */
export function recordsWireSecrets(): boolean {
    return defaultModule !== undefined && installs.get(defaultModule)?.secretsOf !== undefined;
}

/** The Struct's JavaScript conversion, once; handed to the original deserializer as a stand-in Struct. */
function wireOf(struct: StructLike, memo: Memo): StructLike {
    const wire = (memo.wire ??= struct.toJavaScript());
    return { toJavaScript: () => wire };
}

/** Sharing ends; the wrapper goes too unless it records secrets. */
function restore(state: Installed): void {
    state.mode = undefined;
    if (state.secretsOf !== undefined || installs.get(state.module) !== state) return;
    state.module.deserializeProperties = state.original;
    installs.delete(state.module);
    if (defaultModule === state.module) defaultModule = undefined;
}
