/**
 * `field` and `at` (core/values) for the adapters' hot paths, with the same results. Cleaned props are
 * objects without a prototype (dictionary objects in V8), on which `field`'s own-key test and read are two
 * hash lookups; these read such an object's key once, and any other object by its own keys only.
 */
import { Invalid, Obj, UNKNOWN } from "../core/values";

/** `field(parent, key)`: the key's value; the parent itself when it is unknown or malformed; undefined otherwise. */
export function get(parent: unknown, key: string): unknown {
    if (typeof parent !== "object" || parent === null) return parent === UNKNOWN ? UNKNOWN : undefined;
    if (Array.isArray(parent)) return undefined;
    if (Object.getPrototypeOf(parent) === null) return (parent as Obj)[key];
    if (parent instanceof Invalid) return parent;
    return Object.prototype.hasOwnProperty.call(parent, key) ? (parent as Obj)[key] : undefined;
}

/** `at(root, keys.join("."))` over a path split once: stops at the first undefined, unknown or malformed value. */
export function getPath(root: unknown, keys: readonly string[]): unknown {
    let cur = root;
    for (const key of keys) {
        cur = get(cur, key);
        if (cur === undefined || cur === UNKNOWN || cur instanceof Invalid) return cur;
    }
    return cur;
}
