import { JSONSchema } from "./control";
import { compileGlob, Glob, globTest } from "./glob";
import { hasOwn } from "./own";
import { UnknownValuesMode } from "./types";

/** Settings every control accepts, beside its own. */
export interface CommonSettings {
    /** Resource-name patterns (`*` wildcard) that the control does not apply to. */
    readonly excludeNames: readonly string[];
    /** Kubernetes namespaces the control does not apply to. */
    readonly excludeNamespaces: readonly string[];
    /** Labels that exempt a resource: `{ "key": "value" }`, `"*"` matches any value. */
    readonly excludeLabels: Readonly<Record<string, string>>;
    /** What an unknown preview value in a field the control reads does. */
    readonly unknownValues: UnknownValuesMode;
}

export const COMMON_DEFAULTS: CommonSettings = {
    excludeNames: [],
    excludeNamespaces: [],
    excludeLabels: {},
    unknownValues: "advisory",
};

export const COMMON_SCHEMA: Readonly<Record<keyof CommonSettings, JSONSchema>> = {
    excludeNames: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: [],
        description: "Resource-name patterns (`*` matches any run of characters) exempt from this control.",
    },
    excludeNamespaces: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: [],
        description: "Kubernetes namespaces exempt from this control.",
    },
    excludeLabels: {
        type: "object",
        additionalProperties: { type: "string" },
        default: {},
        description: 'Labels that exempt a resource, e.g. {"stride-guard/exempt": "true"}; "*" matches any value.',
    },
    unknownValues: {
        type: "string",
        enum: ["advisory", "fail", "pass"],
        default: "advisory",
        description:
            "A value unknown at preview in a field this control reads: `advisory` reports a note (Pulumi's default), `fail` a violation at the control's level, `pass` nothing.",
    },
};

const patternCache = new Map<string, Glob>();
/** Patterns come from configs and control defaults: a few hundred at most; the cache is dropped past this. */
const MAX_CACHED_PATTERNS = 4096;

/** `*`-wildcard match, anchored, case-sensitive, in time linear in the name and the pattern. */
export function globMatch(pattern: string, name: string): boolean {
    let g = patternCache.get(pattern);
    if (g === undefined) {
        if (patternCache.size >= MAX_CACHED_PATTERNS) patternCache.clear();
        g = compileGlob(pattern);
        patternCache.set(pattern, g);
    }
    return globTest(g, name);
}

export function isExempt(s: CommonSettings, names: readonly string[], scope: { namespace?: string; labels: Readonly<Record<string, string>> }): boolean {
    if (s.excludeNames.length > 0 && names.some((n) => s.excludeNames.some((p) => globMatch(p, n)))) return true;
    if (scope.namespace !== undefined && s.excludeNamespaces.includes(scope.namespace)) return true;
    // Own enumerable keys, as Object.entries would list them, without building the list on every call.
    const labels = s.excludeLabels;
    for (const k in labels) {
        if (!hasOwn(labels, k)) continue;
        const v = labels[k];
        // The resource's own label only: `toString: "*"` must not match the method every object inherits.
        if (!hasOwn(scope.labels, k)) continue;
        const actual = scope.labels[k];
        if (actual !== undefined && (v === "*" || v === actual)) return true;
    }
    return false;
}
