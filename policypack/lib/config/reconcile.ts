/**
 * Engine-faithful policy pack config reconciliation.
 *
 * Reproduces what the Pulumi engine does with `--policy-pack-config FILE` before it calls the analyzer's
 * `Configure` RPC (pulumi/pulumi `sdk/go/pkg/resource/analyzer/config.go`, `pkg/engine/update.go`):
 *
 *  1. parse the file: `{ "<policy>|all": <level> | { "enforcementLevel"?: <level>, ...properties } }`
 *  2. start from every policy's defaults: level = policy level (else pack level), properties = schema `default`s
 *  3. apply `all` (enforcement level only) to every policy, then each policy's own entry (level + properties)
 *  4. validate each policy's properties against `{type: object, properties, required}` (gojsonschema wording)
 *  5. on errors: each is reported as `validating policy config: <pack> <version>  <policy>: <error>`, sorted
 *
 * Deliberate differences from the engine (all stricter, never looser):
 *  - a policy name that the pack does not define is an error (the engine silently passes it along);
 *  - settings under `all` are an error (the engine applies only its level and drops the rest without a word);
 *  - a JSON syntax error gives line and column only (V8's message quotes the text around it);
 *  - a config *value* is never echoed in a message (the engine prints e.g. `parsing "p": 42 is not a valid
 *    value`); we print the value's JSON type in angle brackets instead, because values can be secrets.
 */
import { parseJsonText } from "./json-text";
import { JSONSchema, formatSchemaError, jsonTypeOf, validateSchema } from "./schema";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export function isEnforcementLevel(v: unknown): v is EnforcementLevel {
    return typeof v === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(v);
}

export interface PolicyConfigSchemaLike {
    properties: Record<string, JSONSchema>;
    required?: string[];
    /**
     * `false` rejects keys the schema does not name. The engine never sees this (only `properties` and
     * `required` cross the Analyzer protocol); the stride-guard CLI sets it to catch misspelt keys.
     */
    additionalProperties?: false;
}

export interface PolicyLike {
    name: string;
    enforcementLevel?: EnforcementLevel;
    configSchema?: PolicyConfigSchemaLike;
}

export interface PackLike {
    name: string;
    version: string;
    enforcementLevel: EnforcementLevel;
    policies: PolicyLike[];
}

export interface PolicyConfigEntry {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

export type ReconcileResult = { ok: true; config: Record<string, PolicyConfigEntry> } | { ok: false; errors: string[]; message: string };

/** One parsed entry of the config file (level and/or properties). */
export interface ParsedPolicyConfig {
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A JSON-ish deep copy that keeps `__proto__` as an ordinary own key and never invokes getters twice. */
function cloneJson(v: unknown, depth = 0): unknown {
    if (depth > 256 || v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map((x) => cloneJson(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
        Object.defineProperty(out, k, {
            value: cloneJson((v as Record<string, unknown>)[k], depth + 1),
            enumerable: true,
            writable: true,
            configurable: true,
        });
    }
    return out;
}

function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function describe(v: unknown): string {
    return `<${jsonTypeOf(v)}>`;
}

/**
 * Parses the content of a `--policy-pack-config` file (the JSON text, or the already-parsed value).
 * Mirrors the engine's `parsePolicyPackConfig`; errors use its wording (minus echoed values).
 */
export function parsePolicyPackConfig(userConfig: unknown): { ok: true; config: Map<string, ParsedPolicyConfig> } | { ok: false; error: string } {
    const result = new Map<string, ParsedPolicyConfig>();
    let cfg = userConfig;
    if (typeof cfg === "string") {
        if (cfg.trim() === "") return { ok: true, config: result };
        const parsed = parseJsonText(cfg);
        // Line and column only: V8's message quotes the text around the error, which may be a credential.
        if (!parsed.ok) return { ok: false, error: `invalid policy pack config JSON at line ${parsed.line}, column ${parsed.column}: ${parsed.problem}` };
        cfg = parsed.value;
    }
    if (cfg === undefined || cfg === null) return { ok: true, config: result };
    if (!isPlainObject(cfg)) {
        return { ok: false, error: `json: cannot unmarshal ${jsonTypeOf(cfg)} into Go value of type map[string]interface {}` };
    }
    for (const k of Object.keys(cfg)) {
        const v = cfg[k];
        let enforcementLevel: EnforcementLevel | undefined;
        let properties: Record<string, unknown> | undefined;
        if (typeof v === "string") {
            if (!isEnforcementLevel(v)) {
                return { ok: false, error: `parsing enforcement level for ${JSON.stringify(k)}: ${describe(v)} is not a valid enforcement level` };
            }
            enforcementLevel = v;
        } else if (isPlainObject(v)) {
            const props = cloneJson(v) as Record<string, unknown>;
            if (hasOwn(props, "enforcementLevel")) {
                const el = props.enforcementLevel;
                if (typeof el !== "string") {
                    return {
                        ok: false,
                        error: `parsing enforcement level for ${JSON.stringify(k)}: ${describe(el)} is not a valid enforcement level; must be a string`,
                    };
                }
                if (!isEnforcementLevel(el)) {
                    return { ok: false, error: `parsing enforcement level for ${JSON.stringify(k)}: ${describe(el)} is not a valid enforcement level` };
                }
                enforcementLevel = el;
                delete props.enforcementLevel;
            }
            if (Object.keys(props).length > 0) properties = props;
        } else {
            return { ok: false, error: `parsing ${JSON.stringify(k)}: ${describe(v)} is not a valid value; must be a string or object` };
        }
        // Don't bother including empty configs (as the engine).
        if (enforcementLevel === undefined && properties === undefined) continue;
        result.set(k, { enforcementLevel, properties });
    }
    return { ok: true, config: result };
}

/** The config every policy gets when no file is given: its level and its schema defaults. */
export function defaultPolicyConfig(pack: PackLike): Record<string, PolicyConfigEntry> {
    const out: Record<string, PolicyConfigEntry> = {};
    for (const p of pack.policies) {
        const properties: Record<string, unknown> = {};
        const schemaProps = p.configSchema?.properties;
        if (isPlainObject(schemaProps)) {
            for (const k of Object.keys(schemaProps)) {
                const s = schemaProps[k];
                if (isPlainObject(s) && hasOwn(s, "default")) setOwn(properties, k, cloneJson(s.default));
            }
        }
        setOwn(out as Record<string, unknown>, p.name, {
            enforcementLevel: p.enforcementLevel ?? pack.enforcementLevel,
            properties,
        });
    }
    return out;
}

function preamble(pack: PackLike): string {
    return `validating policy config: ${pack.name} ${pack.version}  `;
}

export interface ReconcileOptions {
    /**
     * Config the pack supplies programmatically (`new PolicyPack(name, args, initialConfig)`, reported by
     * GetAnalyzerInfo). Applied between the schema defaults and the user's file, as the engine does.
     */
    initialConfig?: Record<string, ParsedPolicyConfig>;
}

function applyConfig(pack: PackLike, config: Record<string, PolicyConfigEntry>, toApply: Map<string, ParsedPolicyConfig>, errors: string[] | undefined): void {
    const known = new Set(pack.policies.map((p) => p.name));
    const all = toApply.get("all");
    if (all?.enforcementLevel !== undefined) {
        for (const name of Object.keys(config)) config[name].enforcementLevel = all.enforcementLevel;
    }
    for (const [name, given] of toApply) {
        if (name === "all") continue;
        if (!known.has(name) || !hasOwn(config, name)) {
            errors?.push(`${preamble(pack)}${name}: no policy named ${JSON.stringify(name)} in the policy pack`);
            continue;
        }
        const entry = config[name];
        if (given.enforcementLevel !== undefined) entry.enforcementLevel = given.enforcementLevel;
        if (given.properties !== undefined) {
            for (const k of Object.keys(given.properties)) setOwn(entry.properties, k, cloneJson(given.properties[k]));
        }
    }
}

export function reconcilePolicyConfig(pack: PackLike, userConfig: unknown, opts: ReconcileOptions = {}): ReconcileResult {
    const parsed = parsePolicyPackConfig(userConfig);
    if (!parsed.ok) return { ok: false, errors: [parsed.error], message: parsed.error };

    const config = defaultPolicyConfig(pack);
    const errors: string[] = [];
    // The engine applies only the level of `all`; its other settings reach no policy (it hands them to Configure
    // under the name "all", which no policy reads). Accepting them would exempt in `check` what a preview fails.
    const all = parsed.config.get("all");
    if (all?.properties !== undefined) {
        errors.push(
            `${preamble(pack)}all: only an enforcement level applies to every policy ("all": "advisory"); ` +
                'the Pulumi engine passes no other setting of "all" to any policy, so put its settings under each control they are meant for',
        );
    }
    if (opts.initialConfig) applyConfig(pack, config, new Map(Object.entries(opts.initialConfig)), undefined);
    applyConfig(pack, config, parsed.config, errors);

    for (const p of pack.policies) {
        if (!p.configSchema) continue;
        const schema: JSONSchema = { type: "object" };
        if (isPlainObject(p.configSchema.properties) && Object.keys(p.configSchema.properties).length > 0) {
            schema.properties = p.configSchema.properties;
        }
        if (Array.isArray(p.configSchema.required) && p.configSchema.required.length > 0) {
            schema.required = p.configSchema.required;
        }
        if (p.configSchema.additionalProperties === false) {
            // enforcementLevel sits beside the properties in the file and is not a property.
            schema.additionalProperties = false;
            schema.properties = { ...(schema.properties ?? {}), enforcementLevel: {} };
        }
        for (const e of validateSchema(schema, config[p.name].properties)) {
            errors.push(`${preamble(pack)}${p.name}: ${formatSchemaError(e)}`);
        }
    }

    if (errors.length > 0) {
        errors.sort();
        return { ok: false, errors, message: errors.join("\n") };
    }
    return { ok: true, config };
}
