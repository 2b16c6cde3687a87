/**
 * A JSON Schema (draft-04) validator for exactly the keywords the SARIF 2.1.0 schema uses, so the SARIF
 * output can be validated offline without a dependency. An unsupported keyword throws: a schema it cannot
 * fully check is never reported as passed.
 */
type Schema = Record<string, unknown>;

const IGNORED = new Set(["$schema", "id", "title", "description", "default"]);
const SUPPORTED = new Set([
    "$ref",
    "type",
    "properties",
    "additionalProperties",
    "required",
    "items",
    "minItems",
    "uniqueItems",
    "enum",
    "minimum",
    "maximum",
    "pattern",
    "format",
    "anyOf",
    "oneOf",
    "definitions",
]);

function typeOf(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "array";
    if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
    return typeof v;
}

function typeMatches(v: unknown, t: string): boolean {
    const actual = typeOf(v);
    return actual === t || (t === "number" && actual === "integer");
}

function formatOk(v: string, format: string): boolean {
    switch (format) {
        case "uri":
            return /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(v);
        case "uri-reference":
            return !/\s/.test(v);
        case "date-time":
            return !Number.isNaN(Date.parse(v)) && /^\d{4}-\d{2}-\d{2}T/.test(v);
        default:
            throw new Error(`unsupported format ${format}`);
    }
}

export function validate(root: Schema, value: unknown): string[] {
    const errors: string[] = [];
    const resolve = (ref: string): Schema => {
        const m = /^#\/definitions\/(.+)$/.exec(ref);
        const defs = root["definitions"] as Record<string, Schema> | undefined;
        if (!m || !defs || !defs[m[1]]) throw new Error(`unresolvable $ref ${ref}`);
        return defs[m[1]];
    };
    const check = (schema: Schema, v: unknown, at: string, out: string[]): void => {
        for (const k of Object.keys(schema)) if (!IGNORED.has(k) && !SUPPORTED.has(k)) throw new Error(`unsupported keyword ${k} at ${at}`);
        if (typeof schema["$ref"] === "string") {
            check(resolve(schema["$ref"]), v, at, out);
            return;
        }
        const t = schema["type"];
        if (t !== undefined) {
            const types = Array.isArray(t) ? (t as string[]) : [t as string];
            if (!types.some((x) => typeMatches(v, x))) {
                out.push(`${at}: expected ${types.join("|")}, got ${typeOf(v)}`);
                return;
            }
        }
        if (Array.isArray(schema["enum"]) && !(schema["enum"] as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(v)))
            out.push(`${at}: ${JSON.stringify(v)} is not one of ${JSON.stringify(schema["enum"])}`);
        if (typeof v === "number") {
            if (typeof schema["minimum"] === "number" && v < schema["minimum"]) out.push(`${at}: ${v} < minimum ${schema["minimum"]}`);
            if (typeof schema["maximum"] === "number" && v > schema["maximum"]) out.push(`${at}: ${v} > maximum ${schema["maximum"]}`);
        }
        if (typeof v === "string") {
            if (typeof schema["pattern"] === "string" && !new RegExp(schema["pattern"], "u").test(v)) out.push(`${at}: does not match ${schema["pattern"]}`);
            if (typeof schema["format"] === "string" && !formatOk(v, schema["format"])) out.push(`${at}: not a valid ${schema["format"]}`);
        }
        if (Array.isArray(v)) {
            if (typeof schema["minItems"] === "number" && v.length < schema["minItems"]) out.push(`${at}: fewer than ${schema["minItems"]} items`);
            if (schema["uniqueItems"] === true && new Set(v.map((x) => JSON.stringify(x))).size !== v.length) out.push(`${at}: items are not unique`);
            if (schema["items"] && typeof schema["items"] === "object") v.forEach((x, i) => check(schema["items"] as Schema, x, `${at}[${i}]`, out));
        }
        if (typeOf(v) === "object") {
            const o = v as Record<string, unknown>;
            const props = (schema["properties"] ?? {}) as Record<string, Schema>;
            for (const r of (schema["required"] ?? []) as string[]) if (!(r in o)) out.push(`${at}: missing required property ${r}`);
            for (const [k, x] of Object.entries(o)) {
                if (props[k]) check(props[k], x, `${at}.${k}`, out);
                else if (schema["additionalProperties"] === false) out.push(`${at}: property ${k} is not allowed`);
                else if (schema["additionalProperties"] && typeof schema["additionalProperties"] === "object")
                    check(schema["additionalProperties"] as Schema, x, `${at}.${k}`, out);
            }
        }
        for (const key of ["anyOf", "oneOf"] as const) {
            const alts = schema[key] as Schema[] | undefined;
            if (!alts) continue;
            const passing = alts.filter((s) => {
                const sub: string[] = [];
                check(s, v, at, sub);
                return sub.length === 0;
            }).length;
            if (key === "anyOf" ? passing === 0 : passing !== 1) out.push(`${at}: ${passing} of the ${key} alternatives match`);
        }
    };
    check(root, value, "$", errors);
    return errors;
}
