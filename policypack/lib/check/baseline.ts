/**
 * Baselines: `--write-baseline FILE` records today's findings as stable fingerprints, `--baseline FILE` reports
 * only the findings that are not in it. A fingerprint is what stays when a file is moved, reformatted or a message
 * reworded: the control id, the resource's identity (a Pulumi URN; `type::namespace/name` for a manifest object;
 * `type::name` for a Compose service or a container) and the source path of the field at fault. Line numbers,
 * file names and message text are left out on purpose.
 *
 * The baseline file is input like any other: read bounded, parsed with errors that give file:line:column and never
 * quote it, every entry checked.
 */
import * as fs from "fs";
import { parseJsonText } from "../config/json-text";
import { printable } from "../kernel/text";
import { Report, ReportFinding } from "./report";

export const BASELINE_VERSION = 1;
/** Largest baseline read: 100,000 findings fit in a few MiB. */
export const MAX_BASELINE_BYTES = 16 * 1024 * 1024;

export interface BaselineEntry {
    readonly control: string;
    readonly resource: string;
    readonly path: string;
    /** How many findings share this fingerprint (a control reporting one field twice); 1 when absent. */
    readonly count?: number;
}

export interface BaselineFile {
    readonly version: typeof BASELINE_VERSION;
    readonly tool: "stride-guard";
    readonly findings: readonly BaselineEntry[];
}

export class BaselineError extends Error {}

/**
 * A resource's identity across runs. Pulumi URNs are already stable; the CLI's own URNs
 * (`urn:stride-guard:<source>::<file or endpoint>::<type>::<name>[::<extra>]`) lose the file or endpoint and the
 * extra part (a Helm source, a container id).
 */
export function identityOf(r: ReportFinding["resource"]): string {
    if (!r.urn.startsWith("urn:stride-guard:") || r.type === "") return r.urn;
    const at = r.urn.lastIndexOf(`::${r.type}::`);
    if (at < 0) return r.urn;
    const rest = r.urn.slice(at + r.type.length + 4);
    const end = rest.indexOf("::");
    return `${r.type}::${end < 0 ? rest : rest.slice(0, end)}`;
}

function entryOf(f: ReportFinding): BaselineEntry {
    // A refused suppression has no field: it is told apart from the control's field-less findings.
    return { control: f.control, resource: identityOf(f.resource), path: f.refused ? "#refused-suppression" : (f.path ?? "") };
}

const keyOf = (e: BaselineEntry): string => JSON.stringify([e.control, e.resource, e.path]);

/** The baseline of some reports: every active finding's fingerprint, sorted, counted when repeated. */
export function baselineOf(reports: readonly Report[]): BaselineFile {
    const counts = new Map<string, { entry: BaselineEntry; count: number }>();
    for (const r of reports) {
        for (const f of r.findings) {
            const entry = entryOf(f);
            const k = keyOf(entry);
            const seen = counts.get(k);
            if (seen) seen.count++;
            else counts.set(k, { entry, count: 1 });
        }
    }
    const findings = [...counts.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, { entry, count }]) => (count > 1 ? { ...entry, count } : entry));
    return { version: BASELINE_VERSION, tool: "stride-guard", findings };
}

export function writeBaseline(file: string, reports: readonly Report[]): void {
    const text = JSON.stringify(baselineOf(reports), null, 2) + "\n";
    try {
        fs.writeFileSync(file, text);
    } catch (e) {
        throw new BaselineError(`cannot write the baseline ${file}: ${(e as NodeJS.ErrnoException).code ?? "error"}`);
    }
}

/** Reads and checks a baseline file; throws BaselineError naming the file (and line:column, or the entry). */
export function readBaseline(file: string): BaselineFile {
    let text: string;
    try {
        const fd = fs.openSync(file, "r");
        try {
            const st = fs.fstatSync(fd);
            if (!st.isFile()) throw new BaselineError(`the baseline ${file} is not a regular file`);
            if (st.size > MAX_BASELINE_BYTES) throw new BaselineError(`the baseline ${file} is larger than ${MAX_BASELINE_BYTES / 1024 / 1024} MiB`);
            const buf = Buffer.alloc(st.size);
            let read = 0;
            while (read < st.size) {
                const n = fs.readSync(fd, buf, read, st.size - read, read);
                if (n === 0) break;
                read += n;
            }
            text = buf.subarray(0, read).toString("utf8");
        } finally {
            fs.closeSync(fd);
        }
    } catch (e) {
        if (e instanceof BaselineError) throw e;
        throw new BaselineError(`cannot read the baseline ${file}: ${(e as NodeJS.ErrnoException).code ?? "error"}`);
    }
    const parsed = parseJsonText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    if (!parsed.ok) throw new BaselineError(`${file}:${parsed.line}:${parsed.column}: the baseline is not valid JSON (rewrite it with --write-baseline)`);
    return checked(file, parsed.value);
}

const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function checked(file: string, doc: unknown): BaselineFile {
    const bad = (what: string) => new BaselineError(`${file}: ${what} (rewrite it with --write-baseline)`);
    if (!isRecord(doc)) throw bad("the baseline is not a JSON object");
    for (const k of Object.keys(doc)) if (!["version", "tool", "findings"].includes(k)) throw bad(`unknown key ${JSON.stringify(printable(k, { max: 60 }))}`);
    if (!own(doc, "version") || doc.version !== BASELINE_VERSION) throw bad(`version must be ${BASELINE_VERSION}`);
    if (own(doc, "tool") && doc.tool !== "stride-guard") throw bad('tool must be "stride-guard"');
    if (!own(doc, "findings") || !Array.isArray(doc.findings)) throw bad("findings must be a list");
    const findings: BaselineEntry[] = [];
    doc.findings.forEach((e: unknown, i: number) => {
        if (!isRecord(e)) throw bad(`findings[${i}] is not an object`);
        for (const k of Object.keys(e))
            if (!["control", "resource", "path", "count"].includes(k)) throw bad(`findings[${i}] has unknown key ${JSON.stringify(printable(k, { max: 60 }))}`);
        for (const k of ["control", "resource", "path"] as const) if (!own(e, k) || typeof e[k] !== "string") throw bad(`findings[${i}].${k} must be a string`);
        if (own(e, "count") && !(Number.isInteger(e.count) && (e.count as number) >= 1)) throw bad(`findings[${i}].count must be a whole number of at least 1`);
        findings.push({
            control: e.control as string,
            resource: e.resource as string,
            path: e.path as string,
            ...(own(e, "count") ? { count: e.count as number } : {}),
        });
    });
    return { version: BASELINE_VERSION, tool: "stride-guard", findings };
}

/**
 * Reports with the baseline applied: a finding whose fingerprint the baseline holds (as many times as it holds
 * it) moves to `suppressed` with source `baseline`; `baseline.gone` counts the entries no finding matched.
 */
export function applyBaseline(reports: readonly Report[], baseline: BaselineFile, file: string): Report[] {
    const left = new Map<string, number>();
    for (const e of baseline.findings) left.set(keyOf(e), (left.get(keyOf(e)) ?? 0) + (e.count ?? 1));
    const out = reports.map((r) => {
        const findings: ReportFinding[] = [];
        const known: ReportFinding[] = [];
        for (const f of r.findings) {
            const k = keyOf(entryOf(f));
            const n = left.get(k) ?? 0;
            if (n > 0) {
                left.set(k, n - 1);
                known.push({ ...f, suppressed: { reason: `in the baseline ${file}`, source: "baseline" } });
            } else findings.push(f);
        }
        return { r, findings, known };
    });
    let gone = 0;
    for (const n of left.values()) gone += n;
    // The totals are the run's, shown on every report (a run of several stacks shares one baseline).
    const matched = out.reduce((s, x) => s + x.known.length, 0);
    return out.map(({ r, findings, known }) => ({
        ...r,
        findings,
        ...(known.length > 0 || r.suppressed ? { suppressed: [...(r.suppressed ?? []), ...known] } : {}),
        baseline: { file, matched, gone },
    }));
}
