/**
 * Objects keyed by outside input (labels, config keys, flag names, manifest maps): a key such as `toString`,
 * `constructor` or `__proto__` must read and write the object's own data, never a member of Object.prototype.
 */

export function hasOwn(o: object, key: PropertyKey): boolean {
    return Object.prototype.hasOwnProperty.call(o, key);
}

/** `o[key]` when `key` is an own property of `o`, else undefined. */
export function own<T>(o: Readonly<Record<string, T>>, key: string): T | undefined {
    return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

/** `o[key] = value` as an own data property, also for `__proto__` (a plain assignment would set the prototype). */
export function setOwn<T>(o: Record<string, T>, key: string, value: T): void {
    if (key === "__proto__") Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
    else o[key] = value;
}
