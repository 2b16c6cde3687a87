/**
 * Findings as the CLI and the library report them: one shape for `check` (Pulumi programs) and
 * `scan` (manifests, Compose, Docker engines), stable in JSON.
 */
import { Control } from "../core/control";
import { refsText } from "../core/evaluate";
import { Severity, Stride, STRIDE_NAMES } from "../core/types";
import { remediationFor } from "./remediation";

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
    readonly resource: { readonly urn: string; readonly type: string; readonly name: string; readonly file?: string; readonly line?: number };
    readonly message: string;
    readonly remediation: readonly string[];
    /** Present when the finding stands for a value unknown at preview. */
    readonly unknown?: boolean;
}

export interface Report {
    /** What was checked: a stack name, a file set, an engine. */
    readonly target: string;
    readonly controls: number;
    readonly resources: number;
    readonly findings: readonly ReportFinding[];
    /** Inputs that could not be read at all (not a finding of any control). */
    readonly errors: readonly string[];
}

export function findingOf(c: Control, level: ReportLevel, resource: ReportFinding["resource"], message: string, unknown?: boolean): ReportFinding {
    const finding = {
        control: c.id,
        title: c.title,
        stride: c.stride,
        severity: c.severity,
        level,
        benchmarks: benchmarksOf(c),
        resource,
        message,
        remediation: remediationFor(c.remediationSteps, resource.type),
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

export function hasMandatory(reports: readonly Report[]): boolean {
    return reports.some((r) => r.findings.some((f) => f.level === "mandatory"));
}

const STRIDE_ORDER: readonly Stride[] = ["S", "T", "R", "I", "D", "E"];

/** A readable report grouped by STRIDE letter. */
export function formatText(reports: readonly Report[], controlsById: ReadonlyMap<string, Control>): string {
    const out: string[] = [];
    for (const r of reports) {
        const mandatory = r.findings.filter((f) => f.level === "mandatory").length;
        const advisory = r.findings.length - mandatory;
        const summary = r.findings.length === 0 ? "no findings" : `${mandatory} mandatory, ${advisory} advisory`;
        out.push(`${r.target}: ${summary} (${r.controls} controls, ${r.resources} resources)`);
        for (const e of r.errors) out.push(`  error: ${e}`);
        for (const letter of STRIDE_ORDER) {
            const group = r.findings.filter((f) => f.stride === letter);
            if (group.length === 0) continue;
            out.push(`  ${letter} — ${STRIDE_NAMES[letter]}`);
            for (const f of group) {
                const c = controlsById.get(f.control);
                const refs = c ? refsText(c) : "";
                const where = f.resource.file ? `${f.resource.file}${f.resource.line ? `:${f.resource.line}` : ""}` : `${f.resource.type} "${f.resource.name}"`;
                out.push(`    ${f.level === "mandatory" ? "✗ mandatory" : "! advisory "}  ${f.control}${refs ? `  [${refs}]` : ""}`);
                out.push(`      ${where}`);
                out.push(`      ${f.message}`);
                if (f.remediation.length > 0) out.push(`      fix: ${f.remediation[0]}`);
            }
        }
    }
    return out.join("\n") + "\n";
}
