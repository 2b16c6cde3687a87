import { Control, ControlMeta, JSONSchema } from "../contract/control";
import { Exemption } from "../contract/suppression";
import { globMatch } from "../kernel/glob";
import { hasOwn } from "../kernel/own";
import { EnforcementLevel, UnknownValuesMode } from "../kernel/types";

export { globMatch } from "../kernel/glob";

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
    /** Resources whose findings of this control are suppressed, each with a reason and an optional expiry. */
    readonly exemptions: readonly Exemption[];
}

export const COMMON_DEFAULTS: CommonSettings = {
    excludeNames: [],
    excludeNamespaces: [],
    excludeLabels: {},
    unknownValues: "advisory",
    exemptions: [],
};

/** One config exemption: `required` and `additionalProperties` reject a missing reason and misspelt keys at load. */
export const EXEMPTION_SCHEMA: JSONSchema = {
    type: "object",
    properties: {
        resource: { type: "string", minLength: 1, maxLength: 1000 },
        reason: { type: "string", minLength: 1, maxLength: 1000, pattern: "\\S" },
        expires: { type: "string", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" },
    },
    required: ["resource", "reason"],
    additionalProperties: false,
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
    exemptions: {
        type: "array",
        items: EXEMPTION_SCHEMA,
        default: [],
        description:
            "Suppressions of this control's findings: {resource: name or URN pattern (`*` wildcard), reason, expires: YYYY-MM-DD}. Suppressed findings are reported as suppressed and never fail; an expired one no longer suppresses and is reported.",
    },
};

/** A control's settings: its own keys and the common ones. */
export type Settings<C> = C & CommonSettings;

/** Config schema of a control: its own keys plus the common ones, every key with its default. */
export function configSchemaOf(c: ControlMeta<unknown>, defaults?: Readonly<Record<string, unknown>>): { properties: Record<string, JSONSchema> } {
    const properties: Record<string, JSONSchema> = { ...(c.config as Record<string, JSONSchema>), ...COMMON_SCHEMA };
    if (defaults) for (const k of Object.keys(properties)) properties[k] = { ...properties[k], default: defaults[k] };
    return { properties };
}

export function defaultsOf(c: ControlMeta<unknown>): Settings<Record<string, unknown>> {
    const own: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(c.config as Record<string, JSONSchema>)) own[k] = s.default;
    return { ...own, ...COMMON_DEFAULTS };
}

/** Settings for one evaluation: defaults overlaid with what was configured (own keys the control knows). */
export function settingsFrom(defaults: Settings<Record<string, unknown>>, given: object | undefined): Settings<Record<string, unknown>> {
    if (!given) return defaults;
    const keys = Object.keys(given);
    if (keys.length === 0) return defaults;
    const out: Record<string, unknown> = { ...defaults };
    for (const k of keys) {
        const v = (given as Record<string, unknown>)[k];
        if (v !== undefined && k !== "enforcementLevel" && Object.prototype.hasOwnProperty.call(defaults, k)) out[k] = v;
    }
    return out as Settings<Record<string, unknown>>;
}

/** A control with the level and settings one run uses. */
export interface Prepared {
    readonly control: Control;
    readonly level: Exclude<EnforcementLevel, "disabled">;
    readonly settings: Settings<CommonSettings>;
}

/**
 * Resolves every control's level and settings once for a run, from a reconciled config (undefined: every
 * default); disabled controls are left out. `override` replaces common settings whatever the config says.
 */
export function prepare(
    controls: readonly Control[],
    config: Readonly<Record<string, { readonly enforcementLevel?: EnforcementLevel; readonly properties?: object }>> | undefined,
    override?: Partial<CommonSettings>,
): Prepared[] {
    const out: Prepared[] = [];
    for (const c of controls) {
        const entry = config !== undefined && Object.prototype.hasOwnProperty.call(config, c.id) ? config[c.id] : undefined;
        const level = entry?.enforcementLevel ?? c.enforcementLevel;
        if (level === "disabled") continue;
        const settings = settingsFrom(defaultsOf(c), entry?.properties) as Settings<CommonSettings>;
        out.push({ control: c, level, settings: override ? { ...settings, ...override } : settings });
    }
    return out;
}

/** Whether any exemption is set: most runs set none, and then nothing needs a resource's scope. */
export function hasExemptions(s: CommonSettings): boolean {
    if (s.excludeNames.length > 0 || s.excludeNamespaces.length > 0) return true;
    for (const k in s.excludeLabels) if (Object.prototype.hasOwnProperty.call(s.excludeLabels, k)) return true;
    return false;
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
