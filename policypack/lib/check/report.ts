/**
 * Findings as the CLI and the library report them: one shape for `check` (Pulumi programs) and
 * `scan` (manifests, Compose, Docker engines), stable in JSON.
 */
import { Control } from "../contract/control";
import type { SourcePosition } from "../engine/analyze";
import { refsText } from "../engine/evaluate";
import { Severity, Stride, STRIDE_NAMES } from "../kernel/types";
import { printable } from "../kernel/text";
import { remediationFor } from "./remediation";
import { Suppression } from "../contract/suppression";

export type ReportLevel = "mandatory" | "advisory";

export interface ReportFinding {
    readonly control: string;
    readonly title: string;
    readonly stride: Stride;
    readonly severity: Severity;
    /** The level it was reported at (a `remediate` control whose fix did not stick reports as mandatory). */
    readonly level: ReportLevel;
    readonly benchmarks: {
        readonly cisDocker?: readonly string[];
        readonly cisDockerLegacy?: readonly string[];
        readonly cisKubernetes?: readonly string[];
        readonly pss?: string;
    };
    /** `line`: where the resource starts in `file` (a document, a List item, a Compose service's key). */
    readonly resource: { readonly urn: string; readonly type: string; readonly name: string; readonly file?: string; readonly line?: number };
    /**
     * Where the field at fault is written in `resource.file` (1-based): the key of the field, or of its nearest
     * written ancestor when the setting is absent, or the resource's start. Only for files that were parsed.
     */
    readonly line?: number;
    readonly column?: number;
    readonly message: string;
    readonly remediation: readonly string[];
    /** Present when the finding stands for a value unknown at preview. */
    readonly unknown?: boolean;
    /** The source path of the field at fault, when the control named one (what baselines fingerprint). */
    readonly path?: string;
    /** On the findings of `Report.suppressed`: who accepted it, and why. */
    readonly suppressed?: Suppression;
    /** On the findings of `Report.remediated`: the field a `remediate` control set, and the value (safe to show). */
    readonly remediated?: { readonly path: string; readonly value: string };
    /** Set on a finding that reports a refused suppression. */
    readonly refused?: true;
}

export interface Report {
    /** What was checked: a stack name, a file set, an engine. */
    readonly target: string;
    readonly controls: number;
    readonly resources: number;
    readonly findings: readonly ReportFinding[];
    /** Inputs that could not be read at all (not a finding of any control). */
    readonly errors: readonly string[];
    /** Findings a suppression (annotation, label, config exemption, baseline) accepted: shown, never failing. */
    readonly suppressed?: readonly ReportFinding[];
    /** Fixes `remediate` controls made before the resource was checked: shown, never failing. */
    readonly remediated?: readonly ReportFinding[];
    /** Set when a baseline was applied: its file, how many findings it matched, how many of its entries are gone. */
    readonly baseline?: { readonly file: string; readonly matched: number; readonly gone: number };
}

/** The finding of a control; `path` is set on the object itself (most findings have one: no second copy). */
export function findingOf(
    c: Control,
    level: ReportLevel,
    resource: ReportFinding["resource"],
    message: string,
    unknown?: boolean,
    path?: string,
    at?: SourcePosition,
): ReportFinding {
    const finding: ReportFinding = {
        control: c.id,
        title: c.title,
        stride: c.stride,
        severity: c.severity,
        level,
        benchmarks: benchmarksOf(c),
        resource,
        ...(at ? { line: at.line, column: at.column } : {}),
        message,
        remediation: remediationFor(c.remediationSteps, resource.type),
        ...(path !== undefined ? { path } : {}),
    };
    return unknown ? { ...finding, unknown: true } : finding;
}

/** The benchmark ids of a control as findings show them: one (read-only) object per control, shared by its findings. */
function benchmarksOf(c: Control): ReportFinding["benchmarks"] {
    let b = benchmarks.get(c);
    if (b === undefined) {
        b = {
            ...(c.refs.docker ? { cisDocker: c.refs.docker } : {}),
            ...(c.refs.dockerLegacy ? { cisDockerLegacy: c.refs.dockerLegacy } : {}),
            ...(c.refs.kubernetes ? { cisKubernetes: c.refs.kubernetes } : {}),
            ...(c.pss ? { pss: c.pss } : {}),
        };
        benchmarks.set(c, b);
    }
    return b;
}

const benchmarks = new WeakMap<Control, ReportFinding["benchmarks"]>();

export const SEVERITIES: readonly Severity[] = ["low", "medium", "high", "critical"];

/**
 * Whether any mandatory finding fails the run: every one by default; with `failOn`, only those at or above that
 * severity. Suppressed and remediated findings are never in `findings`, so never count.
 */
export function hasMandatory(reports: readonly Report[], failOn?: Severity): boolean {
    const floor = failOn === undefined ? 0 : SEVERITIES.indexOf(failOn);
    return reports.some((r) => r.findings.some((f) => f.level === "mandatory" && SEVERITIES.indexOf(f.severity) >= floor));
}

/** ":18:13" for a finding placed at its field, ":3" for one placed at its resource only. */
function lineText(f: ReportFinding): string {
    if (f.line !== undefined) return `:${f.line}${f.column !== undefined ? `:${f.column}` : ""}`;
    return f.resource.line ? `:${f.resource.line}` : "";
}

const STRIDE_ORDER: readonly Stride[] = ["S", "T", "R", "I", "D", "E"];

/**
 * A readable report grouped by STRIDE letter. Targets, errors, file and resource names and messages carry text
 * from the inputs: each goes through `printable` (one line, no control characters) on its way to a terminal.
 */
export function formatText(reports: readonly Report[], controlsById: ReadonlyMap<string, Control>): string {
    const out: string[] = [];
    for (const r of reports) {
        const mandatory = r.findings.filter((f) => f.level === "mandatory").length;
        const advisory = r.findings.length - mandatory;
        const summary =
            r.errors.length > 0 && r.resources === 0 && r.findings.length === 0
                ? "not checked"
                : r.findings.length === 0
                  ? "no findings"
                  : `${mandatory} mandatory, ${advisory} advisory`;
        const extra = [
            r.suppressed?.length ? `${r.suppressed.length} suppressed` : "",
            r.remediated?.length ? `${r.remediated.length} fixed by remediation` : "",
        ].filter((x) => x !== "");
        out.push(`${printable(r.target)}: ${summary}${extra.length ? `, ${extra.join(", ")}` : ""} (${r.controls} controls, ${r.resources} resources)`);
        if (r.baseline)
            out.push(
                `  baseline ${r.baseline.file}: ${r.baseline.matched} known finding(s) suppressed, ${r.baseline.gone} baseline entr${r.baseline.gone === 1 ? "y is" : "ies are"} gone`,
            );
        for (const e of r.errors) out.push(`  error: ${printable(e)}`);
        for (const letter of STRIDE_ORDER) {
            const group = r.findings.filter((f) => f.stride === letter);
            if (group.length === 0) continue;
            out.push(`  ${letter} — ${STRIDE_NAMES[letter]}`);
            for (const f of group) {
                const c = controlsById.get(f.control);
                const refs = c ? refsText(c) : "";
                const where = whereOf(f);
                out.push(`    ${f.level === "mandatory" ? "✗ mandatory" : "! advisory "}  ${f.control}${refs ? `  [${refs}]` : ""}`);
                out.push(`      ${printable(where)}`);
                out.push(`      ${printable(f.message, { max: 4000 })}`);
                if (f.remediation.length > 0) out.push(`      fix: ${f.remediation[0]}`);
            }
        }
        if (r.remediated?.length) {
            out.push("  fixed by remediation");
            for (const f of r.remediated) {
                out.push(`    ✓ remediated  ${f.control}`);
                out.push(`      ${whereOf(f)}`);
                out.push(`      ${f.message}`);
            }
        }
        if (r.suppressed?.length) {
            out.push("  suppressed");
            for (const f of r.suppressed) {
                out.push(`    - suppressed  ${f.control}  (${f.suppressed?.source ?? "?"}: ${f.suppressed?.reason ?? ""})`);
                out.push(`      ${whereOf(f)}`);
                out.push(`      ${f.message}`);
            }
        }
    }
    const closing = closingSummary(reports);
    if (closing !== undefined) out.push(closing);
    return out.join("\n") + "\n";
}

/**
 * The last lines of a text report with findings, so that a long one (500 findings) ends with what it amounts to:
 * counts by severity, STRIDE letter and control, resources checked, suppressed. Undefined when nothing was found.
 */
export function closingSummary(reports: readonly Report[]): string | undefined {
    const findings = reports.flatMap((r) => r.findings);
    const suppressed = reports.reduce((n, r) => n + (r.suppressed?.length ?? 0), 0);
    if (findings.length === 0 && suppressed === 0) return undefined;
    const count = (key: (f: ReportFinding) => string, order?: readonly string[]): string => {
        const m = new Map<string, number>();
        for (const f of findings) m.set(key(f), (m.get(key(f)) ?? 0) + 1);
        const keys = order ? order.filter((k) => m.has(k)) : [...m.keys()].sort((a, b) => m.get(b)! - m.get(a)! || a.localeCompare(b));
        return keys.map((k) => `${k} ${m.get(k)}`).join(", ");
    };
    const mandatory = findings.filter((f) => f.level === "mandatory").length;
    const resources = reports.reduce((n, r) => n + r.resources, 0);
    const lines = [
        `summary: ${findings.length} finding(s), ${mandatory} mandatory, ${findings.length - mandatory} advisory, in ${resources} resource(s) checked${suppressed ? `; ${suppressed} suppressed` : ""}`,
    ];
    if (findings.length > 0) {
        lines.push(`  by severity: ${count((f) => f.severity, [...SEVERITIES].reverse())}`);
        lines.push(`  by STRIDE: ${count((f) => f.stride, STRIDE_ORDER)}`);
        const byControl = count((f) => f.control).split(", ");
        lines.push(`  by control: ${byControl.slice(0, 10).join(", ")}${byControl.length > 10 ? `, and ${byControl.length - 10} more` : ""}`);
    }
    return lines.join("\n");
}

function whereOf(f: ReportFinding): string {
    return f.resource.file ? `${f.resource.file}${lineText(f)}` : `${f.resource.type} "${f.resource.name}"`;
}
