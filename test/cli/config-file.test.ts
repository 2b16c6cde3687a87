import assert from "assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { loadPolicyConfig } from "stride-guard/lib/cli/config-file";
import { locateJsonError, parseJsonText } from "stride-guard/lib/config/json-text";
import { CONTROLS } from "stride-guard/lib/controls/index";

function tempFile(content: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sg-config-"));
    const f = path.join(dir, "policy.json");
    fs.writeFileSync(f, content);
    return f;
}

const SECRET = "AKIAIOSFODNN7EXAMPLE";

describe("cli/config-file: reading --config", () => {
    it("names file:line:column of a syntax error and never quotes the file", () => {
        const cases: [string, string][] = [
            [`{"all": "mandatory", "x": ['${SECRET}"]}`, ":1:28: the config file is not valid JSON: unexpected character"],
            [`{\n  "a": "${SECRET}\n}`, ":2:29: the config file is not valid JSON: invalid string"],
            [`{"a": "${SECRET}",}`, ":1:30: the config file is not valid JSON: expected a quoted property name"],
            [`{"a": "${SECRET}"`, ":1:29: the config file is not valid JSON: unexpected end of input"],
            [`{"a": "${SECRET}"} ${SECRET}`, ":1:31: the config file is not valid JSON: unexpected content after the end of the document"],
        ];
        for (const [text, where] of cases) {
            const f = tempFile(text);
            assert.throws(
                () => loadPolicyConfig(f, CONTROLS),
                (e: Error) => e.message === `${f}${where}` && !e.message.includes("AKIA"),
                text,
            );
        }
    });

    it("reads only a regular file, bounded: a device or a FIFO is refused at once", () => {
        if (fs.existsSync("/dev/zero")) {
            assert.throws(
                () => loadPolicyConfig("/dev/zero", CONTROLS),
                /^Error: cannot read config file \/dev\/zero: not a regular file \(a character device\)$/,
            );
        }
        assert.throws(
            () => loadPolicyConfig("/nonexistent/policy.json", CONTROLS),
            /cannot read config file \/nonexistent\/policy\.json: no such file or directory/,
        );
    });

    it("refuses a config that is null, a string, an array or a number, saying what it is", () => {
        for (const [text, what] of [
            ["null", "null"],
            ['"mandatory"', "a string"],
            ["[]", "an array"],
            ["42", "a number"],
        ]) {
            const f = tempFile(text);
            assert.throws(() => loadPolicyConfig(f, CONTROLS), new RegExp(`must hold a JSON object .*, not ${what}$`), text);
        }
        assert.deepEqual(Object.keys(loadPolicyConfig(tempFile("\uFEFF{}"), CONTROLS)).length, CONTROLS.length);
    });

    it("refuses settings under all, such as a __proto__ key, and top-level keys named like Object.prototype members", () => {
        for (const text of ['{"all": {"__proto__": {"excludeNames": ["*"]}}}', '{"all": {"excludeNames": ["*"]}}']) {
            assert.throws(() => loadPolicyConfig(tempFile(text), CONTROLS), /all: only an enforcement level applies to every policy/, text);
        }
        assert.doesNotThrow(() => loadPolicyConfig(tempFile('{"all": {"enforcementLevel": "advisory"}}'), CONTROLS));
        for (const key of ["__proto__", "toString", "constructor", "hasOwnProperty"]) {
            assert.throws(() => loadPolicyConfig(tempFile(`{${JSON.stringify(key)}: "disabled"}`), CONTROLS), /no policy named/, key);
        }
    });
});

describe("config/json-text: locating JSON syntax errors", () => {
    it("finds an error wherever JSON.parse does, and none where it parses", () => {
        const json = fc.oneof(
            fc.json(),
            fc
                .json()
                .chain((j) =>
                    fc
                        .tuple(fc.nat(j.length), fc.constantFrom("", ",", "}", "]", "{", "'", "\\", "\n", "x"))
                        .map(([at, c]) => j.slice(0, at) + c + j.slice(at + 1)),
                ),
        );
        fc.assert(
            fc.property(json, (text) => {
                const r = parseJsonText(text);
                let ok = true;
                try {
                    JSON.parse(text);
                } catch {
                    ok = false;
                }
                assert.equal(r.ok, ok, text);
                if (!r.ok) {
                    assert.ok(r.line >= 1 && r.column >= 1);
                    assert.notEqual(r.problem, "no error", text);
                }
            }),
            { seed: 20261202, numRuns: 2000 },
        );
    });

    it("copes with deep nesting without recursion", () => {
        assert.deepEqual(locateJsonError("[".repeat(200_000)), { line: 1, column: 200_001, problem: "unexpected end of input" });
    });
});
