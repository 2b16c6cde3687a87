/**
 * Reading resource properties safely.
 *
 * Properties reach a control in several shapes: behind @pulumi/policy's unknown-checking and
 * secret-preserving proxies (Analyze, Remediate), as engine wire values with secret signatures and
 * unknown sentinels (the in-process runner), or as plain JSON (manifests, `docker inspect`).
 * `clean` turns any of them into plain data where unknowns are the UNKNOWN marker and secrets are
 * unwrapped but remembered, so that messages can be redacted.
 */

/** A value that is not known until the deployment runs (a preview-time output). */
export const UNKNOWN: unique symbol = Symbol.for("stride-guard.unknown");
export type Unknown = typeof UNKNOWN;

/** A field holding a value of the wrong type or shape. */
export class Invalid {
    constructor(
        readonly expected: string,
        readonly got: string,
    ) {}
}

/** What an adapter reads for a field: a value, nothing, an unknown, or something malformed. */
export type V<T> = T | undefined | Unknown | Invalid;

export function isUnknown(v: unknown): v is Unknown {
    return v === UNKNOWN;
}

/** True when `v` is neither unknown nor malformed (it may be undefined). */
export function isSettled<T>(v: V<T>): v is T | undefined {
    return v !== UNKNOWN && !(v instanceof Invalid);
}

/** Pulumi's unknown sentinels (the engine's wire protocol; see @pulumi/pulumi/runtime/rpc.js and @pulumi/policy/proxy.js). */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string (also the generic unknown)
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const PROXY_FLAG = "__isSpecialProxy";
const PROXY_TARGET = "__getSpecialProxyTarget";

const SENTINEL_LENGTH = 36;

export function isUnknownSentinel(v: unknown): boolean {
    return typeof v === "string" && UNKNOWN_SENTINELS.has(v);
}

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
            if (v.length === SENTINEL_LENGTH && UNKNOWN_SENTINELS.has(v)) return UNKNOWN;
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

export type Obj = Record<string, unknown>;

function describe(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "an array";
    if (v === UNKNOWN) return "unknown";
    if (v instanceof Invalid) return v.got;
    return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

export function isObj(v: unknown): v is Obj {
    return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Invalid);
}

/**
 * Reads `key` of an object-ish value, by its own keys only; propagates UNKNOWN/Invalid of the parent. Cleaned
 * props have no prototype (dictionary objects in V8): their key is read once, where an own-key test and a read
 * would be two hash lookups on the adapters' hottest path.
 */
export function field(parent: unknown, key: string): unknown {
    if (typeof parent !== "object" || parent === null) return parent === UNKNOWN ? UNKNOWN : undefined;
    if (Array.isArray(parent)) return undefined;
    if (Object.getPrototypeOf(parent) === null) return (parent as Obj)[key];
    if (parent instanceof Invalid) return parent;
    return Object.prototype.hasOwnProperty.call(parent, key) ? (parent as Obj)[key] : undefined;
}

/** Follows a path of object keys (split once by the caller): stops at the first undefined, unknown or malformed value. */
export function atPath(root: unknown, keys: readonly string[]): unknown {
    let cur = root;
    for (const key of keys) {
        cur = field(cur, key);
        if (cur === undefined || cur === UNKNOWN || cur instanceof Invalid) return cur;
    }
    return cur;
}

/** Follows a dotted path of object keys. */
export function at(root: unknown, path: string): unknown {
    return atPath(root, path.split("."));
}

function typed<T>(v: unknown, expected: string, ok: (x: unknown) => x is T): V<T> {
    if (v === undefined || v === null) return undefined;
    if (v === UNKNOWN || v instanceof Invalid) return v;
    return ok(v) ? v : new Invalid(expected, describe(v));
}

export const str = (v: unknown): V<string> => typed(v, "a string", (x): x is string => typeof x === "string");
export const bool = (v: unknown): V<boolean> => typed(v, "a boolean", (x): x is boolean => typeof x === "boolean");
export const num = (v: unknown): V<number> => typed(v, "a number", (x): x is number => typeof x === "number" && Number.isFinite(x));
export const obj = (v: unknown): V<Obj> => typed(v, "an object", isObj);

/** Booleans written as strings ("true") are accepted, as Kubernetes and Compose tools do. */
export function boolish(v: unknown): V<boolean> {
    if (v === "true") return true;
    if (v === "false") return false;
    return bool(v);
}

/** Numbers written as strings ("512") are accepted. */
export function numish(v: unknown): V<number> {
    if (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
    return num(v);
}

/** Reads an array; each element is passed through as is (elements may be UNKNOWN). */
export function arr(v: unknown): V<readonly unknown[]> {
    return typed(v, "an array", (x): x is unknown[] => Array.isArray(x));
}

/** Reads an array of strings; a non-string element makes the whole value Invalid, an unknown one UNKNOWN. */
export function strList(v: unknown): V<readonly string[]> {
    const a = arr(v);
    if (!Array.isArray(a)) return a as V<readonly string[]>;
    for (const e of a) {
        if (e === UNKNOWN) return UNKNOWN;
        if (typeof e !== "string") return new Invalid("a list of strings", `a list holding ${describe(e)}`);
    }
    return a as readonly string[];
}

/** Renders a value that is safe to show (numbers, booleans, short identifiers); anything else is elided. */
export function show(v: unknown): string {
    if (v === undefined) return "unset";
    if (v === UNKNOWN) return "unknown";
    if (v instanceof Invalid) return v.got;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    if (typeof v === "string") return /^[\w.:/@+-]{0,64}$/.test(v) ? `"${v}"` : "(a value)";
    return describe(v);
}

/**
 * Removes every secret from a message, in one left-to-right pass: at each position the longest secret
 * that starts there is replaced, and replaced text is never searched again (so a secret such as "sec"
 * cannot garble an earlier "[secret]"). Empty secrets are ignored.
 *
 * A short list (a resource's own secrets) is searched directly: one `indexOf` per secret finds whether
 * there is anything to replace at all, which is the common case. A long list (a whole stack's) is
 * compiled once into a trie (kept per list object while the list keeps its length): a candidate position
 * costs a table lookup and a walk down the trie as far as the text follows a secret; when the secrets begin
 * in few ways, a pattern of those beginnings skips the text in between.
 */
export function redact(message: string, secrets: readonly string[]): string {
    if (secrets.length === 0 || message.length === 0) return message;
    if (secrets.length <= SMALL_LIST) return redactShort(message, secrets);
    let trie = redactionTries.get(secrets);
    if (trie === undefined || trie.size !== secrets.length) {
        trie = compileSecrets(secrets);
        redactionTries.set(secrets, trie);
    }
    return redactWithTrie(message, trie);
}

const SECRET_TOKEN = "[secret]";
const SMALL_LIST = 16;

function redactShort(message: string, secrets: readonly string[]): string {
    // Where the first secret occurs, if any does.
    let from = -1;
    for (let k = 0; k < secrets.length; k++) {
        const s = secrets[k];
        if (s.length === 0) continue;
        const at = message.indexOf(s);
        if (at !== -1 && (from === -1 || at < from)) from = at;
    }
    if (from === -1) return message;
    let out = "";
    let last = 0;
    for (let i = from; i < message.length;) {
        const c = message.charCodeAt(i);
        let best = 0;
        for (let k = 0; k < secrets.length; k++) {
            const s = secrets[k];
            if (s.length > best && s.charCodeAt(0) === c && message.startsWith(s, i)) best = s.length;
        }
        if (best === 0) {
            i++;
            continue;
        }
        out += message.slice(last, i) + SECRET_TOKEN;
        i += best;
        last = i;
    }
    return out + message.slice(last);
}

/** A trie node: the one child most nodes have inline, a map when there are more; `end` when a secret ends here. */
interface TrieNode {
    char: number;
    child: TrieNode | undefined;
    more: Map<number, TrieNode> | undefined;
    end: boolean;
}

interface SecretTrie {
    /** The length of the list it was compiled from (a list that grew is compiled again). */
    readonly size: number;
    /**
     * By character code below 256: 1 + the index in `heads` of the node a secret starting with it leads to, 0 when
     * none does; `startHigh` the same for other codes (a full table would cost 128 KB per list).
     */
    readonly start: Uint32Array;
    readonly startHigh: Map<number, number> | undefined;
    readonly heads: readonly TrieNode[];
    /**
     * When the secrets start with few distinct pairs of characters (or, if one secret is a single character,
     * few distinct characters): a pattern of them, to skip to the next place where a secret can start.
     */
    readonly scan: RegExp | undefined;
    /** The length of what `scan` matches (2, or 1). */
    readonly scanLength: number;
}

/** Up to this many distinct two-character beginnings, candidates are found with a pattern (a short alternation). */
const FEW_BEGINNINGS = 16;

const redactionTries = new WeakMap<readonly string[], SecretTrie>();

function trieNode(): TrieNode {
    return { char: -1, child: undefined, more: undefined, end: false };
}

function childOf(node: TrieNode, c: number): TrieNode | undefined {
    return node.char === c ? node.child : node.more?.get(c);
}

function compileSecrets(secrets: readonly string[]): SecretTrie {
    const start = new Uint32Array(256);
    let startHigh: Map<number, number> | undefined;
    const heads: TrieNode[] = [];
    const pairs = new Set<string>();
    const singles = new Set<string>();
    let shortest = Infinity;
    for (const s of secrets) {
        if (s.length === 0) continue;
        shortest = Math.min(shortest, s.length);
        if (pairs.size <= FEW_BEGINNINGS) pairs.add(s.slice(0, 2));
        if (singles.size <= FEW_BEGINNINGS) singles.add(s[0]);
        const c0 = s.charCodeAt(0);
        let head = c0 < 256 ? start[c0] : (startHigh?.get(c0) ?? 0);
        if (head === 0) {
            heads.push(trieNode());
            head = heads.length;
            if (c0 < 256) start[c0] = head;
            else (startHigh ??= new Map()).set(c0, head);
        }
        let node = heads[head - 1];
        for (let j = 1; j < s.length; j++) {
            const c = s.charCodeAt(j);
            let next = childOf(node, c);
            if (next === undefined) {
                next = trieNode();
                if (node.child === undefined) {
                    node.char = c;
                    node.child = next;
                } else {
                    (node.more ??= new Map()).set(c, next);
                }
            }
            node = next;
        }
        node.end = true;
    }
    const beginnings = shortest >= 2 ? pairs : singles;
    const scan = beginnings.size > 0 && beginnings.size <= FEW_BEGINNINGS ? new RegExp([...beginnings].map(literally).join("|"), "g") : undefined;
    return { size: secrets.length, start, startHigh, heads, scan, scanLength: shortest >= 2 ? 2 : 1 };
}

/** A pattern matching exactly these code units (no `u` flag: lone surrogates stay themselves). */
function literally(text: string): string {
    let out = "";
    for (let i = 0; i < text.length; i++) out += "\\u" + text.charCodeAt(i).toString(16).padStart(4, "0");
    return out;
}

/** The length of the longest secret starting at `i` (0 when none does). */
function longestAt(message: string, i: number, trie: SecretTrie): number {
    const c = message.charCodeAt(i);
    const head = c < 256 ? trie.start[c] : (trie.startHigh?.get(c) ?? 0);
    if (head === 0) return 0;
    let node: TrieNode | undefined = trie.heads[head - 1];
    let best = node.end ? 1 : 0;
    for (let j = i + 1; j < message.length; j++) {
        node = childOf(node, message.charCodeAt(j));
        if (node === undefined) break;
        if (node.end) best = j - i + 1;
    }
    return best;
}

function redactWithTrie(message: string, trie: SecretTrie): string {
    const n = message.length;
    const scan = trie.scan;
    let out = "";
    let last = 0;
    let i = 0;
    while (i < n) {
        if (scan !== undefined) {
            // Positions before the next beginning of a secret cannot start one.
            scan.lastIndex = i;
            if (!scan.test(message)) break;
            i = scan.lastIndex - trie.scanLength;
        }
        const best = longestAt(message, i, trie);
        if (best === 0) {
            i++;
            continue;
        }
        out += message.slice(last, i) + SECRET_TOKEN;
        i += best;
        last = i;
    }
    return last === 0 ? message : out + message.slice(last);
}
