import assert from "assert/strict";
import { parseDocument } from "yaml";
import { clean } from "stride-guard/lib/kernel/clean";
import { expandedSize, MAX_DOCUMENT_VALUES, parseYamlFile } from "stride-guard/lib/scan/yaml";
import { readKubernetes } from "stride-guard/lib/scan/kubernetes";

const k8s = { version: "1.1" } as const;

/** A ConfigMap whose `data.b` names the `n`-element list `aliases` times. */
function amplified(n: number, aliases: number): string {
    return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  a: &a [${Array(n).fill("0").join(",")}]\ndata:\n  b: [${Array(aliases).fill("*a").join(",")}]\n`;
}

describe("scan/yaml: hostile shapes", () => {
    it("counts a document's values with every alias expanded, each anchored node once", () => {
        const doc = parseDocument(amplified(2000, 999));
        // 1 root map + keys and values: what matters is that the 999 aliases count 2,001 values each.
        const size = expandedSize(doc, Number.MAX_SAFE_INTEGER);
        assert.ok(typeof size === "number" && size > 999 * 2001 && size < 1000 * 2001 + 100, String(size));
        // Nested aliases (a billion laughs: 10^9 values) are counted without expanding them, and stop at the limit.
        const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
        for (let i = 0; i < 8; i++)
            lines.push(
                `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
                    .fill(`*${String.fromCharCode(97 + i)}`)
                    .join(", ")}]`,
            );
        assert.ok((expandedSize(parseDocument(lines.join("\n")), 1e12) as number) > 1e9);
        assert.equal(expandedSize(parseDocument("a: &a [1, *a]\n"), 100), "cycle");
    });

    it("refuses alias amplification (999 aliases of a long list) by file and line, and reads the other documents", () => {
        const text = `apiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n---\n${amplified(2000, 999)}`;
        const read = readKubernetes([{ name: "amp.yaml", text }]);
        assert.deepEqual(
            read.resources.map((r) => r.name),
            ["ok"],
        );
        assert.equal(read.errors.length, 1);
        assert.match(read.errors[0], /^amp\.yaml:5: cannot read the document: it stands for more than 1,000,000 values with its aliases expanded/);
        // Under the bound, aliases are read as usual.
        assert.equal(parseYamlFile("f.yaml", amplified(2000, 400), k8s).errors.length, 0);
        assert.ok(MAX_DOCUMENT_VALUES >= 1_000_000);
    });

    it("shares what aliases name instead of copying it once per alias when cleaning", () => {
        const [doc] = parseYamlFile("f.yaml", amplified(2000, 400), k8s).documents;
        const value = clean(doc.value, Infinity).value as { data: { b: unknown[] }; metadata: { a: unknown[] } };
        assert.equal(value.data.b.length, 400);
        for (const b of value.data.b) assert.equal(b, value.metadata.a);
        assert.equal(value.metadata.a.length, 2000);
    });

    it("finds repeated keys of a large mapping, and accepts 50,000 distinct ones", () => {
        const keys = Array.from({ length: 50_000 }, (_, i) => `  k${i}: v\n`).join("");
        const ok = parseYamlFile("f.yaml", `data:\n${keys}`, k8s);
        assert.deepEqual(ok.errors, []);
        assert.equal(Object.keys((ok.documents[0].value as { data: object }).data).length, 50_000);
        const dup = parseYamlFile("f.yaml", `data:\n${keys}  k17: w\n`, k8s);
        assert.deepEqual(dup.errors, ["f.yaml:50002:3: invalid YAML: a key appears twice in one mapping (the document starting at line 1 is skipped)"]);
        // Merge keys may repeat, as the parser allows.
        const merged = parseYamlFile("f.yaml", "a: &a {x: 1}\nb: &b {z: 2}\nm:\n  <<: *a\n  <<: *b\n", k8s);
        assert.deepEqual(merged.errors, []);
        assert.deepEqual((merged.documents[0].value as { m: unknown }).m, { x: 1, z: 2 });
    });

    it("stops at the document, token and value limits with a reason, never holding what is past them", () => {
        const dashes = parseYamlFile("d.yaml", "---\n".repeat(50), { ...k8s, limits: { documents: 10 } });
        assert.equal(dashes.documents.length, 10);
        assert.deepEqual(dashes.errors, ["d.yaml: more than 10 documents; the rest of the file is not read"]);
        const tokens = parseYamlFile("t.yaml", `a: [${Array(1000).fill("1").join(",")}]\n`, { ...k8s, limits: { tokens: 500 } });
        assert.deepEqual(tokens.documents, []);
        assert.deepEqual(tokens.errors, ["t.yaml: more than 500 YAML tokens; the file is not read (split it)"]);
        const values = parseYamlFile("v.yaml", `a: [${Array(1000).fill("1").join(",")}]\n`, { ...k8s, limits: { values: 999 } });
        assert.match(values.errors[0], /^v\.yaml:1: cannot read the document: it stands for more than 999 values/);
    });

    it("never quotes the input in a parse error: alias names, tags and broken lines stay out", () => {
        const cases = [
            "password: *hunter2secret\n",
            "a: b: hunter2secret\n",
            'a: "hunter2secret\\q"\n',
            "a: [hunter2secret\n",
            "a:\n  - x\n hunter2secret: y\n",
        ];
        for (const text of cases) {
            const r = parseYamlFile("s.yaml", text, k8s);
            assert.equal(r.errors.length, 1, text);
            assert.match(r.errors[0], /^s\.yaml:\d+(:\d+)?: /, text);
            assert.ok(!r.errors[0].includes("hunter2"), r.errors[0]);
        }
    });
});
