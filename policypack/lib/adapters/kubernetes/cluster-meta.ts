import { field, Invalid, isObj, str, strList, UNKNOWN, V } from "../../kernel/values";

/** `kubernetes:rbac.authorization.k8s.io/v1:ClusterRole` → { group: "rbac.authorization.k8s.io", kind: "ClusterRole" }; core is "". */
export function k8sKindOf(type: string): { readonly group: string; readonly version: string; readonly kind: string } | undefined {
    const m = /^kubernetes:([\w.-]+)\/(v\w+):(\w+)$/.exec(type);
    return m ? { group: m[1] === "core" ? "" : m[1], version: m[2], kind: m[3] } : undefined;
}

/** The kind of a Pulumi Kubernetes type when it is one of `kinds` (any API version), else undefined. */
export function kindIn<K extends string>(type: string, kinds: readonly K[]): K | undefined {
    const k = k8sKindOf(type);
    return k && (kinds as readonly string[]).includes(k.kind) ? (k.kind as K) : undefined;
}

/** Like `kindIn`, also accepting the kind's server-side-apply patch type (`ServicePatch`, `ClusterRolePatch`). */
export function kindOrPatchIn<K extends string>(type: string, kinds: readonly K[]): { readonly kind: K; readonly patch: boolean } | undefined {
    const k = k8sKindOf(type);
    if (k === undefined) return undefined;
    const patch = k.kind.endsWith("Patch");
    const kind = patch ? k.kind.slice(0, -"Patch".length) : k.kind;
    return (kinds as readonly string[]).includes(kind) ? { kind: kind as K, patch } : undefined;
}

/** metadata.name (the Pulumi resource name when auto-named or unreadable) and metadata.namespace. */
export function objectMeta(props: unknown, resourceName: string): { name: string; namespace: V<string> } {
    const meta = field(props, "metadata");
    const name = str(field(meta, "name"));
    return { name: typeof name === "string" && name !== "" ? name : resourceName, namespace: str(field(meta, "namespace")) };
}

/** `Kind "ns/name"` or `Kind "name"`. */
export function describeObject(kind: string, name: string, namespace: V<string>): string {
    return typeof namespace === "string" ? `${kind} "${namespace}/${name}"` : `${kind} "${name}"`;
}

/**
 * Reads a list of objects; each entry is turned by `item` (unknown entries and non-objects are passed as
 * UNKNOWN / Invalid so the reader can represent them).
 */
export function objList<T>(v: unknown, path: string, item: (o: Record<string, unknown> | typeof UNKNOWN | Invalid, path: string) => T): V<readonly T[]> {
    if (v === undefined || v === null) return undefined;
    if (v === UNKNOWN || v instanceof Invalid) return v;
    if (!Array.isArray(v)) return new Invalid("a list", isObj(v) ? "an object" : typeof v);
    return v.map((e, i) => {
        const p = `${path}[${i}]`;
        if (e === UNKNOWN || e instanceof Invalid) return item(e, p);
        if (!isObj(e)) return item(new Invalid("an object", e === null ? "null" : Array.isArray(e) ? "an array" : typeof e), p);
        return item(e, p);
    });
}

/** A string-list field of an entry that may itself be unknown or malformed. */
export function entryList(e: Record<string, unknown> | typeof UNKNOWN | Invalid, key: string): V<readonly string[]> {
    if (e === UNKNOWN || e instanceof Invalid) return e;
    return strList(e[key]);
}

/** A string field of an entry that may itself be unknown or malformed. */
export function entryStr(e: Record<string, unknown> | typeof UNKNOWN | Invalid, key: string): V<string> {
    if (e === UNKNOWN || e instanceof Invalid) return e;
    return str(e[key]);
}
