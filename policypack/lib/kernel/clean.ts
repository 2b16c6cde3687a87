/**
 * Wire decoding: properties reach a control in several shapes: behind @pulumi/policy's unknown-checking and
 * secret-preserving proxies (Analyze, Remediate), as engine wire values with secret signatures and unknown
 * sentinels (the in-process runner), or as plain JSON (manifests, `docker inspect`). `clean` turns any of them
 * into plain data where unknowns are the UNKNOWN marker and secrets are unwrapped but remembered, so that
 * messages can be redacted (`redact.ts`).
 */
import { PROXY_FLAG, PROXY_TARGET } from "./policy-internals";
import { Invalid, UNKNOWN } from "./values";
import { ASSET_SIG, isUnknownSentinel, OUTPUT_VALUE_SIG, SECRET_SIG, SENTINEL_LENGTH, SIG_KEY } from "./wire";

/** Strips @pulumi/policy's proxies (possibly nested) without tripping their unknown checks. */
export function unproxy(v: unknown): unknown {
    let cur = v;
    for (let i = 0; i < 4 && cur !== null && typeof cur === "object"; i++) {
        let flagged: unknown;
        try {
            flagged = (cur as Record<string, unknown>)[PROXY_FLAG];
        } catch {
            return cur;
        }
        if (flagged !== true || Object.prototype.hasOwnProperty.call(cur, PROXY_FLAG)) {
            return cur;
        }
        cur = (cur as Record<string, unknown>)[PROXY_TARGET];
    }
    return cur;
}

function isPolicySecret(v: object): v is { value: unknown } {
    // @pulumi/policy's `Secret` class (Remediate requests); duck-typed so that this module stays free of imports.
    const ctor = (v as { constructor?: { name?: unknown } }).constructor;
    return typeof ctor === "function" && ctor.name === "Secret" && Object.prototype.hasOwnProperty.call(v, "value");
}

export interface Cleaned {
    /** Plain data: objects have a null prototype, unknowns are UNKNOWN. */
    readonly value: unknown;
    /** Every scalar that was held as a secret, rendered as it could appear in a message. */
    readonly secrets: readonly string[];
    /**
     * Every non-empty string that arrived as (or inside) a Pulumi secret, whatever its key or length: for checks
     * that ask "was this value a secret?" (`secrets` keeps only what redaction needs).
     */
    readonly secretValues: readonly string[];
}

const MAX_DEPTH = 64;

/**
 * At most this many values (scalars, objects, lists) in one resource's properties. Past it the resource is not
 * checked but reported: every control that applies to it says it cannot be checked (fail closed). What a
 * resource costs grows with its values (models, findings, messages): a Pod with 100,000 containers took the
 * pack past 8 GB. The largest real resources hold a few thousand values; `npm run bench` measures the pack's
 * peak memory on a request at this limit.
 */
export const MAX_RESOURCE_VALUES = 20_000;

/** What a resource past MAX_RESOURCE_VALUES reads as: one malformed value, named in every message about it. */
export function tooLarge(max: number): Invalid {
    return new Invalid("data", `inputs too large to check (more than ${max.toLocaleString("en-US")} values)`);
}

/**
 * Converts properties of any supported shape into plain data. Never throws: exotic values
 * (functions, symbols, cycles, excessive depth) become an Invalid marker, and properties of more than
 * `maxValues` values become one (tooLarge).
 */
export function clean(input: unknown, maxValues: number = MAX_RESOURCE_VALUES): Cleaned {
    const state: CleanState = { secrets: [], secretValues: [], ancestors: [], done: undefined, used: 0, max: maxValues };
    const value = cleanValue(state, input, 0, NOT_SECRET, "");
    if (state.used > maxValues) return { value: tooLarge(maxValues), secrets: state.secrets, secretValues: state.secretValues };
    return { value, secrets: state.secrets, secretValues: state.secretValues };
}

interface CleanState {
    readonly secrets: string[];
    readonly secretValues: string[];
    /** The objects being read, outermost first: meeting one of them again is a cycle. */
    readonly ancestors: object[];
    /**
     * Large lists and maps already cleaned outside secrets, with their result: a subtree reached again (a YAML
     * alias, a list a program passes to several fields) is shared, not copied once per reference — 999 aliases
     * of a long list would otherwise be 999 copies. Under a secret the copy is made again, since what is
     * remembered for redaction depends on the key it is reached by.
     */
    done: Map<object, { readonly value: unknown; readonly size: number }> | undefined;
    /** Values met so far; past `max` the walk stops and the result is tooLarge. */
    used: number;
    readonly max: number;
}

/**
 * Lists and maps of at least this many entries are shared when met again. Smaller ones are copied (keeping
 * the common case free of a table lookup): what copies of small subtrees can add up to is bounded by whoever
 * produced the input (the YAML reader counts every alias as a copy and refuses past a million values).
 */
const SHARED_SIZE = 16;

/** An empty object with a null prototype that stays in V8's fast mode (`Object.create(null)` makes a hash table). */
function nullObject(): Record<string, unknown> {
    const out = {};
    Object.setPrototypeOf(out, null);
    return out as Record<string, unknown>;
}

function cleanValue(st: CleanState, raw: unknown, depth: number, secret: SecretMode, key: string): unknown {
    if (++st.used > st.max) return undefined;
    const v = typeof raw === "object" && raw !== null ? unproxy(raw) : raw;
    if (v === null || v === undefined) return v;
    switch (typeof v) {
        case "string":
            if (v.length === SENTINEL_LENGTH && isUnknownSentinel(v)) return UNKNOWN;
            if (secret !== NOT_SECRET && v.length > 0) {
                st.secretValues.push(v);
                if (remembers(secret, key, v.length)) st.secrets.push(v);
            }
            return v;
        case "number":
        case "bigint":
            if (secret !== NOT_SECRET && remembers(secret, key, 0)) st.secrets.push(String(v));
            return typeof v === "bigint" ? Number(v) : v;
        case "boolean":
            return v;
        case "object":
            return cleanObject(st, v, depth, secret, key);
        default:
            return new Invalid("data", typeof v);
    }
}

function cleanObject(st: CleanState, obj: object, depth: number, secret: SecretMode, key: string): unknown {
    if (obj instanceof Invalid) return obj;
    const ancestors = st.ancestors;
    if (depth > MAX_DEPTH || ancestors.includes(obj)) return new Invalid("data", "a structure nested too deeply");
    ancestors.push(obj);
    const inner: SecretMode = secret === NOT_SECRET ? NOT_SECRET : NESTED;
    try {
        if (Array.isArray(obj)) {
            const shared = secret === NOT_SECRET && obj.length >= SHARED_SIZE;
            if (shared) {
                const seen = st.done?.get(obj);
                if (seen !== undefined) return reuse(st, seen);
            }
            const before = st.used;
            const out: unknown[] = new Array(obj.length);
            for (let i = 0; i < obj.length && st.used <= st.max; i++) out[i] = cleanValue(st, obj[i], depth + 1, inner, key);
            if (shared) (st.done ??= new Map()).set(obj, { value: out, size: st.used - before });
            return out;
        }
        if (isPolicySecret(obj)) return cleanValue(st, obj.value, depth + 1, DIRECT, key);
        const rec = obj as Record<string, unknown>;
        const sig = rec[SIG_KEY];
        if (sig === SECRET_SIG) return cleanValue(st, rec["value"], depth + 1, DIRECT, key);
        if (sig === ASSET_SIG) return cleanAsset(rec, secret !== NOT_SECRET, st.secrets);
        if (sig === OUTPUT_VALUE_SIG) {
            if (!Object.prototype.hasOwnProperty.call(rec, "value")) return UNKNOWN;
            return cleanValue(st, rec["value"], depth + 1, rec["secret"] === true ? DIRECT : secret, key);
        }
        if (typeof (obj as { text?: unknown }).text === "string" && isAssetLike(obj)) {
            return cleanAsset(obj as Record<string, unknown>, secret !== NOT_SECRET, st.secrets);
        }
        const keys = Object.keys(rec);
        const shared = secret === NOT_SECRET && keys.length >= SHARED_SIZE;
        if (shared) {
            const seen = st.done?.get(obj);
            if (seen !== undefined) return reuse(st, seen);
        }
        const before = st.used;
        const out = nullObject();
        for (let i = 0; i < keys.length && st.used <= st.max; i++) {
            const k = keys[i];
            out[k] = cleanValue(st, rec[k], depth + 1, inner, k);
        }
        if (shared) (st.done ??= new Map()).set(obj, { value: out, size: st.used - before });
        return out;
    } catch {
        return new Invalid("data", "an unreadable value");
    } finally {
        ancestors.pop();
    }
}

/** A subtree met again is shared, but counts against the budget as a copy would: it is what the controls walk. */
function reuse(st: CleanState, seen: { readonly value: unknown; readonly size: number }): unknown {
    st.used += seen.size;
    return seen.value;
}

/** Whether a value is a secret: not at all, wrapped itself, or inside a wrapped object or list. */
type SecretMode = 0 | 1 | 2;
const NOT_SECRET = 0;
const DIRECT = 1;
const NESTED = 2;

const SENSITIVE_KEY = /pass|secret|token|key|cred|auth|cert|private|sign|session|cookie|salt|seed/i;

/**
 * Which secret scalars to remember for redaction. A value wrapped as a secret itself always is. Inside a
 * wrapped object (an SDK often wraps a whole block, e.g. @pulumi/command's `connection`, for the one
 * credential in it) only strings under credential-like keys, or long enough to be credentials, are —
 * otherwise every port number, user name and short host in that block would be blanked out of every
 * message that happens to contain the same characters ("CIS 1.2.10" with a connection timeout of 10).
 */
function remembers(mode: SecretMode, key: string, length: number): boolean {
    return mode === DIRECT || SENSITIVE_KEY.test(key) || length >= 12;
}

/** What arrived secret in wire-form properties: the two lists of `Cleaned`, without copying the data. */
export interface WireSecrets {
    readonly secrets: readonly string[];
    readonly secretValues: readonly string[];
}

/** Nothing arrived secret. */
export const NO_WIRE_SECRETS: WireSecrets = Object.freeze({ secrets: Object.freeze([]), secretValues: Object.freeze([]) });

/**
 * The secrets of wire-form properties (`Struct.toJavaScript()` of what the engine sends, secret signatures kept),
 * read as `clean` reads them but without building the plain copy: the pack records them before @pulumi/policy
 * unwraps the secrets (kernel/policy-internals.ts), so that its policies can still tell which values were secret.
 */
export function wireSecrets(wire: unknown): WireSecrets {
    const st = { secrets: [] as string[], secretValues: [] as string[] };
    walkWire(st, wire, 0, NOT_SECRET, "");
    return st.secretValues.length === 0 && st.secrets.length === 0 ? NO_WIRE_SECRETS : st;
}

function walkWire(st: { secrets: string[]; secretValues: string[] }, v: unknown, depth: number, secret: SecretMode, key: string): void {
    if (depth > MAX_DEPTH || v === null || v === undefined) return;
    if (typeof v === "string") {
        if (secret === NOT_SECRET || v.length === 0 || (v.length === SENTINEL_LENGTH && isUnknownSentinel(v))) return;
        st.secretValues.push(v);
        if (remembers(secret, key, v.length)) st.secrets.push(v);
        return;
    }
    if (typeof v === "number") {
        if (secret !== NOT_SECRET && remembers(secret, key, 0)) st.secrets.push(String(v));
        return;
    }
    if (typeof v !== "object") return;
    const inner: SecretMode = secret === NOT_SECRET ? NOT_SECRET : NESTED;
    if (Array.isArray(v)) {
        for (const e of v) walkWire(st, e, depth + 1, inner, key);
        return;
    }
    const rec = v as Record<string, unknown>;
    const sig = rec[SIG_KEY];
    if (sig === SECRET_SIG) return walkWire(st, rec["value"], depth + 1, DIRECT, key);
    if (sig === ASSET_SIG) {
        if (secret !== NOT_SECRET && typeof rec["text"] === "string") st.secrets.push(rec["text"]);
        return;
    }
    if (sig === OUTPUT_VALUE_SIG) return walkWire(st, rec["value"], depth + 1, rec["secret"] === true ? DIRECT : secret, key);
    for (const k of Object.keys(rec)) walkWire(st, rec[k], depth + 1, inner, k);
}

function isAssetLike(obj: object): boolean {
    const ctor = (obj as { constructor?: { name?: unknown } }).constructor;
    return typeof ctor === "function" && ctor.name === "StringAsset";
}

/** A string asset carries file content (the text); other assets are references we cannot read. */
function cleanAsset(rec: Record<string, unknown>, secret: boolean, secrets: string[]): unknown {
    const text = unproxy(rec["text"]);
    if (typeof text === "string") {
        if (isUnknownSentinel(text)) return UNKNOWN;
        if (secret) secrets.push(text);
        return text;
    }
    return new Invalid("string asset", "a file or remote asset");
}

// ---- typed readers over cleaned data -------------------------------------------------------
