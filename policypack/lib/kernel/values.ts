/**
 * Typed values and their readers: what an adapter reads from cleaned properties (`clean.ts`) is a `V<T>`,
 * a value, nothing, UNKNOWN (a preview-time output) or Invalid (malformed).
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

export { isUnknownSentinel, SECRET_SIG, SIG_KEY } from "./wire";

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
