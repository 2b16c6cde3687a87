// `node tools/mutation/survivors.mjs <scope> [--markdown]`: per-file score and the surviving / uncovered mutants of
// reports/mutation/<scope>/mutation.json, grouped by line, with mutants judged equivalent (equivalent.json) set apart.
// Equivalent mutants are matched by file, text of the source line, mutator, original code and replacement (not by line
// number, which moves).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const scope = process.argv[2] ?? "all";
const report = JSON.parse(readFileSync(join(root, "reports", "mutation", scope, "mutation.json"), "utf8"));
const equivalent = existsSync(join(here, "equivalent.json")) ? JSON.parse(readFileSync(join(here, "equivalent.json"), "utf8")) : [];

const original = (source, loc) => {
    const lines = source.split("\n");
    const { start, end } = loc;
    if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
    return [lines[start.line - 1].slice(start.column - 1), ...lines.slice(start.line, end.line - 1), lines[end.line - 1].slice(0, end.column - 1)].join("\n");
};
const oneLine = (s, n = 70) => {
    const t = s.replace(/\s+/g, " ").trim();
    return t.length > n ? `${t.slice(0, n - 1)}…` : t;
};
const isEquivalent = (file, source, m, orig) =>
    equivalent.find((e) => file.endsWith(e.file) && e.line === source.split("\n")[m.location.start.line - 1].trim() && e.mutator === m.mutatorName && oneLine(e.original, 1e9) === oneLine(orig, 1e9) && oneLine(e.replacement, 1e9) === oneLine(m.replacement ?? "", 1e9));

const total = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, CompileError: 0, RuntimeError: 0, Ignored: 0, equivalent: 0 };
const out = [];
for (const [file, f] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    const c = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, CompileError: 0, RuntimeError: 0, Ignored: 0, equivalent: 0 };
    const byLine = new Map();
    const eq = [];
    for (const m of [...f.mutants].sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column)) {
        c[m.status] = (c[m.status] ?? 0) + 1;
        if (m.status !== "Survived" && m.status !== "NoCoverage") continue;
        const orig = original(f.source, m.location);
        const e = isEquivalent(file, f.source, m, orig);
        const text = `${m.status === "NoCoverage" ? "[no cov] " : ""}${m.mutatorName} \`${oneLine(orig, 50)}\` → \`${oneLine(m.replacement ?? "", 50)}\``;
        if (e) {
            c.equivalent++;
            eq.push(`L${m.location.start.line} ${text} (${e.reason})`);
            continue;
        }
        const l = m.location.start.line;
        byLine.set(l, [...(byLine.get(l) ?? []), text]);
    }
    for (const k of Object.keys(total)) total[k] += c[k];
    const detected = c.Killed + c.Timeout;
    const valid = detected + c.Survived + c.NoCoverage - c.equivalent;
    out.push(`### ${file}: ${valid ? ((100 * detected) / valid).toFixed(1) : "n/a"}% (killed ${c.Killed}, timeout ${c.Timeout}, survived ${c.Survived}, no coverage ${c.NoCoverage}, equivalent ${c.equivalent}, compile errors ${c.CompileError}, static ignored ${c.Ignored})`);
    for (const [l, ms] of byLine) out.push(`- L${l}: ${ms.join("; ")}`);
    if (eq.length) out.push(`- equivalent: ${eq.join("; ")}`);
}
const detected = total.Killed + total.Timeout;
const all = detected + total.Survived + total.NoCoverage;
console.log(`## ${scope}: score ${((100 * detected) / all).toFixed(2)}% (${((100 * detected) / (all - total.equivalent)).toFixed(2)}% without the ${total.equivalent} equivalent) — ${JSON.stringify(total)}`);
console.log(out.join("\n"));
