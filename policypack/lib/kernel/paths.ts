/**
 * Copy-on-write updates of nested properties by a path such as `spec.template.spec.containers[0].securityContext`.
 * Untouched branches are shared, so secret wrappers in them survive a remediation unchanged.
 */
import { unproxy } from "./clean";

type Key = string | number;

export function parsePath(path: string): Key[] {
    const keys: Key[] = [];
    for (const part of path.split(".")) {
        const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
        if (!m) return [];
        if (m[1] !== "") keys.push(m[1]);
        for (const idx of m[2].matchAll(/\[(\d+)\]/g)) keys.push(Number(idx[1]));
    }
    return keys;
}

function copyOf(v: unknown, nextKey: Key): Record<string | number, unknown> | unknown[] {
    const raw = unproxy(v);
    if (typeof nextKey === "number") return Array.isArray(raw) ? raw.slice() : [];
    if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) return { ...(raw as object) } as Record<string, unknown>;
    return {};
}

/** Returns a copy of `root` with `value` at `path`; refuses (returns undefined) on paths with dangerous keys. */
export function setPath(root: unknown, path: string, value: unknown): Record<string, unknown> | undefined {
    const keys = parsePath(path);
    if (keys.length === 0 || keys.some((k) => k === "__proto__" || k === "constructor" || k === "prototype")) return undefined;
    const top = copyOf(root, keys[0]) as Record<string, unknown>;
    let cur: Record<string | number, unknown> | unknown[] = top;
    for (let i = 0; i < keys.length - 1; i++) {
        const k = keys[i];
        const next = copyOf((cur as Record<string | number, unknown>)[k], keys[i + 1]);
        (cur as Record<string | number, unknown>)[k] = next;
        cur = next;
    }
    (cur as Record<string | number, unknown>)[keys[keys.length - 1]] = value;
    return top;
}
