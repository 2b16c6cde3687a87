/**
 * A small JSON-Schema validator for the subset of keywords that policy config schemas use.
 *
 * Error wording follows gojsonschema (the validator the Pulumi engine uses for `--policy-pack-config`),
 * so that `formatSchemaError` yields exactly what the CLI prints, e.g.
 * `maxMemoryMb: Invalid type. Expected: integer, given: string`.
 *
 * Guarantees: no eval/Function, never throws (hostile schemas or documents are tolerated; recursion is
 * depth-guarded), only own enumerable keys are looked at (so `__proto__`/`constructor` keys are plain data),
 * and error messages never contain a value taken from the validated document (only schema constants such
 * as enum members, bounds and patterns, plus property names).
 */

export type JSONSchemaTypeName = "string" | "number" | "integer" | "boolean" | "array" | "object" | "null";

export interface JSONSchema {
    type?: JSONSchemaTypeName | JSONSchemaTypeName[];
    enum?: unknown[];
    const?: unknown;
    minimum?: number;
    maximum?: number;
    exclusiveMinimum?: number;
    exclusiveMaximum?: number;
    minLength?: number;
    maxLength?: number;
    pattern?: string;
    minItems?: number;
    maxItems?: number;
    items?: JSONSchema | JSONSchema[];
    uniqueItems?: boolean;
    properties?: Record<string, JSONSchema>;
    required?: string[];
    additionalProperties?: boolean | JSONSchema;
    default?: unknown;
    description?: string;
    [key: string]: unknown;
}

export interface SchemaError {
    /** gojsonschema "field": `(root)` for the document itself, else dotted path, e.g. `ports.0.host`. */
    field: string;
    /** The same location as a JSON pointer, e.g. `/ports/0/host` (`""` for the root). */
    pointer: string;
    /** gojsonschema description, e.g. `Invalid type. Expected: integer, given: string`. */
    message: string;
}

export interface ValidateOptions {
    /** Maximum nesting depth of schema/document walked (default 64). Deeper content yields an error. */
    maxDepth?: number;
}

const ROOT = "(root)";
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The JSON type name gojsonschema reports as "given" for a value. */
export function jsonTypeOf(v: unknown): JSONSchemaTypeName | "undefined" {
    if (v === null) return "null";
    if (Array.isArray(v)) return "array";
    switch (typeof v) {
        case "string":
            return "string";
        case "boolean":
            return "boolean";
        case "number":
        case "bigint":
            return typeof v === "number" && !Number.isInteger(v) ? "number" : "integer";
        case "object":
            return "object";
        default:
            return "undefined";
    }
}

function typeMatches(expected: string, given: string): boolean {
    if (expected === given) return true;
    return expected === "number" && given === "integer";
}

/** Deep JSON equality (used for enum, const and uniqueItems). */
export function jsonEqual(a: unknown, b: unknown, depth = 0): boolean {
    if (depth > 128) return false;
    if (a === b) return true;
    if (typeof a === "number" && typeof b === "number") return a === b;
    if (Array.isArray(a)) {
        if (!Array.isArray(b) || a.length !== b.length) return false;
        for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i], depth + 1)) return false;
        return true;
    }
    if (isPlainObject(a) && isPlainObject(b)) {
        const ka = Object.keys(a);
        const kb = Object.keys(b);
        if (ka.length !== kb.length) return false;
        for (const k of ka) {
            if (!hasOwn(b, k) || !jsonEqual(a[k], b[k], depth + 1)) return false;
        }
        return true;
    }
    return false;
}

function jsonForMessage(v: unknown): string {
    try {
        const s = JSON.stringify(v);
        return s === undefined ? "null" : s;
    } catch {
        return "null";
    }
}

const regexCache = new Map<string, RegExp | null>();
function compilePattern(p: string): RegExp | null {
    let re = regexCache.get(p);
    if (re === undefined) {
        try {
            re = new RegExp(p, "u");
        } catch {
            try {
                re = new RegExp(p);
            } catch {
                re = null;
            }
        }
        if (regexCache.size > 1000) regexCache.clear();
        regexCache.set(p, re);
    }
    return re;
}

function finite(n: unknown): n is number {
    return typeof n === "number" && Number.isFinite(n);
}

/** Counts code points, as Go's utf8.RuneCountInString does. */
function runeLength(s: string): number {
    let n = 0;
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
            const d = s.charCodeAt(i + 1);
            if (d >= 0xdc00 && d <= 0xdfff) i++;
        }
        n++;
    }
    return n;
}

class Walker {
    readonly errors: SchemaError[] = [];
    constructor(private readonly maxDepth: number) {}

    private add(path: string[], message: string): void {
        this.errors.push({
            field: path.length === 0 ? ROOT : path.join("."),
            pointer: path.map((p) => "/" + p.replace(/~/g, "~0").replace(/\//g, "~1")).join(""),
            message,
        });
    }

    walk(schema: unknown, value: unknown, path: string[]): void {
        if (!isPlainObject(schema)) return; // `true`, `{}` or garbage: no constraints
        if (path.length > this.maxDepth) {
            this.add(path, `Maximum nesting depth of ${this.maxDepth} exceeded`);
            return;
        }
        const s = schema as JSONSchema;
        const given = jsonTypeOf(value);
        const field = path.length === 0 ? ROOT : path.join(".");

        // type
        if (s.type !== undefined) {
            const types = (Array.isArray(s.type) ? s.type : [s.type]).filter((t): t is JSONSchemaTypeName => typeof t === "string");
            if (types.length > 0 && !types.some((t) => typeMatches(t, given))) {
                const expected = types.length === 1 ? types[0] : `[${types.join(",")}]`;
                this.add(path, `Invalid type. Expected: ${expected}, given: ${given}`);
                return;
            }
        }

        // const / enum
        if (hasOwn(s, "const") && !jsonEqual(s.const, value)) {
            this.add(path, `${field} does not match: ${jsonForMessage(s.const)}`);
        }
        if (Array.isArray(s.enum) && !s.enum.some((e) => jsonEqual(e, value))) {
            this.add(path, `${field} must be one of the following: ${s.enum.map(jsonForMessage).join(", ")}`);
        }

        switch (given) {
            case "string":
                this.checkString(s, value as string, path);
                break;
            case "integer":
            case "number":
                this.checkNumber(s, value as number, path);
                break;
            case "array":
                this.checkArray(s, value as unknown[], path);
                break;
            case "object":
                this.checkObject(s, value as Record<string, unknown>, path);
                break;
            default:
                break;
        }
    }

    private checkString(s: JSONSchema, v: string, path: string[]): void {
        if (finite(s.minLength) || finite(s.maxLength)) {
            const len = runeLength(v);
            if (finite(s.minLength) && len < s.minLength) {
                this.add(path, `String length must be greater than or equal to ${s.minLength}`);
            }
            if (finite(s.maxLength) && len > s.maxLength) {
                this.add(path, `String length must be less than or equal to ${s.maxLength}`);
            }
        }
        if (typeof s.pattern === "string") {
            const re = compilePattern(s.pattern);
            if (re !== null && !re.test(v)) this.add(path, `Does not match pattern '${s.pattern}'`);
        }
    }

    private checkNumber(s: JSONSchema, v: number, path: string[]): void {
        if (finite(s.minimum) && v < s.minimum) this.add(path, `Must be greater than or equal to ${s.minimum}`);
        if (finite(s.exclusiveMinimum) && v <= s.exclusiveMinimum) this.add(path, `Must be greater than ${s.exclusiveMinimum}`);
        if (finite(s.maximum) && v > s.maximum) this.add(path, `Must be less than or equal to ${s.maximum}`);
        if (finite(s.exclusiveMaximum) && v >= s.exclusiveMaximum) this.add(path, `Must be less than ${s.exclusiveMaximum}`);
    }

    private checkArray(s: JSONSchema, v: unknown[], path: string[]): void {
        if (finite(s.minItems) && v.length < s.minItems) this.add(path, `Array must have at least ${s.minItems} items`);
        if (finite(s.maxItems) && v.length > s.maxItems) this.add(path, `Array must have at most ${s.maxItems} items`);
        if (s.uniqueItems === true) {
            outer: for (let i = 0; i < v.length; i++) {
                for (let j = i + 1; j < v.length; j++) {
                    if (jsonEqual(v[i], v[j])) {
                        this.add(path, `array items[${i},${j}] must be unique`);
                        break outer;
                    }
                }
            }
        }
        if (Array.isArray(s.items)) {
            const n = Math.min(s.items.length, v.length);
            for (let i = 0; i < n; i++) this.walk(s.items[i], v[i], [...path, String(i)]);
        } else if (s.items !== undefined) {
            for (let i = 0; i < v.length; i++) this.walk(s.items, v[i], [...path, String(i)]);
        }
    }

    private checkObject(s: JSONSchema, v: Record<string, unknown>, path: string[]): void {
        const props = isPlainObject(s.properties) ? (s.properties as Record<string, unknown>) : undefined;
        if (Array.isArray(s.required)) {
            for (const r of s.required) {
                if (typeof r === "string" && !hasOwn(v, r)) this.add(path, `${r} is required`);
            }
        }
        const keys = Object.keys(v).sort();
        const ap = s.additionalProperties;
        if (ap !== undefined && ap !== true) {
            for (const k of keys) {
                if (props !== undefined && hasOwn(props, k)) continue;
                if (ap === false) this.add(path, `Additional property ${k} is not allowed`);
                else this.walk(ap, v[k], [...path, k]);
            }
        }
        if (props !== undefined) {
            for (const k of Object.keys(props).sort()) {
                if (hasOwn(v, k)) this.walk(props[k], v[k], [...path, k]);
            }
        }
    }
}

/** Validates `value` against `schema`; returns all errors found (empty when valid). Never throws. */
export function validateSchema(schema: unknown, value: unknown, opts: ValidateOptions = {}): SchemaError[] {
    const w = new Walker(opts.maxDepth ?? 64);
    try {
        w.walk(schema, value, []);
    } catch (e) {
        // Defensive only (e.g. a stack overflow on a pathological input): report instead of throwing.
        w.errors.push({ field: ROOT, pointer: "", message: "Schema validation failed: " + (e instanceof RangeError ? "input too deep" : "internal error") });
    }
    return w.errors;
}

/** Formats an error as the Pulumi CLI does: `field: message`, with the `(root): ` prefix trimmed. */
export function formatSchemaError(e: SchemaError): string {
    const s = `${e.field}: ${e.message}`;
    return s.startsWith(ROOT + ": ") ? s.slice(ROOT.length + 2) : s;
}
