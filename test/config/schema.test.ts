import * as assert from "assert";
import * as fc from "fast-check";
import { formatSchemaError, validateSchema, JSONSchema } from "stride-guard/lib/config/schema";

const msgs = (schema: unknown, value: unknown) => validateSchema(schema, value).map(formatSchemaError);

describe("config/schema: gojsonschema-compatible validator", () => {
    it("reports type mismatches with gojsonschema wording (integer vs number vs string)", () => {
        const s: JSONSchema = { type: "object", properties: { foo: { type: "string" }, bar: { type: "integer" }, n: { type: "number" } } };
        assert.deepStrictEqual(msgs(s, { foo: 1 }), ["foo: Invalid type. Expected: string, given: integer"]);
        assert.deepStrictEqual(msgs(s, { bar: 3.14 }), ["bar: Invalid type. Expected: integer, given: number"]);
        assert.deepStrictEqual(msgs(s, { bar: "12" }), ["bar: Invalid type. Expected: integer, given: string"]);
        assert.deepStrictEqual(msgs(s, { n: 3, bar: 3.0 }), [], "integers are numbers; 3.0 is an integer");
        assert.deepStrictEqual(msgs({ type: ["string", "null"] }, 1), ["Invalid type. Expected: [string,null], given: integer"]);
        assert.deepStrictEqual(msgs({ type: "object" }, []), ["Invalid type. Expected: object, given: array"]);
        assert.deepStrictEqual(msgs({ type: "boolean" }, null), ["Invalid type. Expected: boolean, given: null"]);
    });

    it("matches the Pulumi CLI's messages for required, length, enum and const", () => {
        const s = (foo: JSONSchema, required?: string[]): JSONSchema => ({ type: "object", properties: { foo }, ...(required ? { required } : {}) });
        assert.deepStrictEqual(msgs(s({ type: "string" }, ["foo"]), {}), ["foo is required"]);
        assert.deepStrictEqual(msgs(s({ type: "string", maxLength: 3 }), { foo: "this is too long" }), ["foo: String length must be less than or equal to 3"]);
        assert.deepStrictEqual(msgs(s({ type: "string", minLength: 50 }), { foo: "short" }), ["foo: String length must be greater than or equal to 50"]);
        assert.deepStrictEqual(msgs(s({ type: "string", enum: ["bar", "baz"] }), { foo: "blah" }), ['foo: foo must be one of the following: "bar", "baz"']);
        assert.deepStrictEqual(msgs(s({ type: "string", const: "bar" }), { foo: "blah" }), ['foo: foo does not match: "bar"']);
    });

    it("checks numbers, patterns, arrays and objects with JSON paths", () => {
        const s: JSONSchema = {
            type: "object",
            properties: {
                port: { type: "integer", minimum: 1, maximum: 65535 },
                ratio: { type: "number", exclusiveMinimum: 0 },
                name: { type: "string", pattern: "^[a-z]+$" },
                tags: { type: "array", items: { type: "string", minLength: 2 }, minItems: 1, maxItems: 3, uniqueItems: true },
                nested: { type: "object", properties: { a: { type: "boolean" } }, required: ["a"], additionalProperties: false },
                loose: { type: "object", additionalProperties: { type: "integer" } },
            },
            additionalProperties: false,
        };
        assert.deepStrictEqual(msgs(s, { port: 0 }), ["port: Must be greater than or equal to 1"]);
        assert.deepStrictEqual(msgs(s, { port: 70000 }), ["port: Must be less than or equal to 65535"]);
        assert.deepStrictEqual(msgs(s, { ratio: 0 }), ["ratio: Must be greater than 0"]);
        assert.deepStrictEqual(msgs(s, { name: "Abc" }), ["name: Does not match pattern '^[a-z]+$'"]);
        assert.deepStrictEqual(msgs(s, { tags: [] }), ["tags: Array must have at least 1 items"]);
        assert.deepStrictEqual(msgs(s, { tags: ["ab", "cd", "ef", "gh"] }), ["tags: Array must have at most 3 items"]);
        assert.deepStrictEqual(msgs(s, { tags: ["ab", "ab"] }), ["tags: array items[0,1] must be unique"]);
        assert.deepStrictEqual(msgs(s, { tags: ["ab", "x"] }), ["tags.1: String length must be greater than or equal to 2"]);
        assert.deepStrictEqual(msgs(s, { nested: { b: 1 } }), ["nested: a is required", "nested: Additional property b is not allowed"]);
        assert.deepStrictEqual(msgs(s, { loose: { x: "y" } }), ["loose.x: Invalid type. Expected: integer, given: string"]);
        assert.deepStrictEqual(msgs(s, { zzz: 1 }), ["Additional property zzz is not allowed"]);
        const [e] = validateSchema(s, { tags: ["ab", "x"] });
        assert.strictEqual(e.pointer, "/tags/1");
        assert.strictEqual(e.field, "tags.1");
    });

    it("never echoes a document value in a message", () => {
        const secret = "hunter2-very-secret";
        const s: JSONSchema = {
            type: "object",
            properties: { a: { type: "integer" }, b: { type: "string", maxLength: 2, pattern: "^x$", enum: ["x"] }, c: { const: "k" } },
            additionalProperties: false,
        };
        const out = msgs(s, { a: secret, b: secret, c: secret, [secret]: 1 }).join("\n");
        // the additional-property message names the key (as gojsonschema does) but no value is ever shown
        assert.ok(!out.replace(`Additional property ${secret} is not allowed`, "").includes(secret), out);
    });

    it("treats __proto__/constructor as plain keys and does not pollute prototypes", () => {
        const doc = JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}');
        const s: JSONSchema = { type: "object", properties: { ["constructor"]: { type: "string" } as JSONSchema }, required: ["toString"] };
        assert.deepStrictEqual(msgs(s, doc), ["toString is required", "constructor: Invalid type. Expected: string, given: integer"]);
        assert.strictEqual(({} as Record<string, unknown>).polluted, undefined);
        assert.deepStrictEqual(msgs({ type: "object", additionalProperties: false }, doc), [
            "Additional property __proto__ is not allowed",
            "Additional property constructor is not allowed",
        ]);
    });

    it("guards depth and never throws on hostile schemas or documents", () => {
        let deep: unknown = 1;
        let deepSchema: JSONSchema = { type: "integer" };
        for (let i = 0; i < 200; i++) {
            deep = { a: deep };
            deepSchema = { type: "object", properties: { a: deepSchema } };
        }
        const errs = validateSchema(deepSchema, deep);
        assert.strictEqual(errs.length, 1);
        assert.match(errs[0].message, /Maximum nesting depth/);
        fc.assert(
            fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), fc.jsonValue(), (schema, value) => {
                const out = validateSchema(schema, value);
                assert.ok(Array.isArray(out));
            }),
            { numRuns: 300 },
        );
        // invalid regex in a schema is ignored rather than thrown
        assert.deepStrictEqual(msgs({ type: "string", pattern: "([" }, "x"), []);
    });

    it("is fast enough for per-preview use", () => {
        const s: JSONSchema = { type: "object", properties: { a: { type: "array", items: { type: "integer", minimum: 0 } } } };
        const doc = { a: Array.from({ length: 10000 }, (_, i) => i) };
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < 20; i++) assert.deepStrictEqual(validateSchema(s, doc), []);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        assert.ok(ms < 1000, `200k item checks took ${ms} ms`);
    });
});
