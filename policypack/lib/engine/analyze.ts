/**
 * In-process analysis with the engine's semantics, without a gRPC server: per resource, the
 * remediations of controls at `remediate` run first and their output is what gets analyzed;
 * then every resource control, then every stack control once over the whole stack.
 */
import { Control } from "../contract/control";
import { AppliedFix, evaluateResource, evaluateStack, Outcome, remediateResource, resourceMemo, stackMemo, Violation } from "./evaluate";
import { configSchemaOf, prepare, Prepared } from "./settings";
import { StackResourceInput } from "../contract/stack";
import { buildStackModel } from "./stack-model";
import { PACK_NAME } from "../kernel/types";
import { clean } from "../kernel/clean";
import { redact } from "../kernel/redact";
import { PackLike, PolicyConfigEntry } from "../config/reconcile";
import { findingOf, Report, ReportFinding, ReportLevel } from "../check/report";

/**
 * What the engine sends for a resource: wire-form props (secrets wrapped, unknowns as sentinels),
 * with its provider as the runner captures it (or just its URN).
 */
export interface AnalyzedResource extends Omit<StackResourceInput, "provider"> {
    readonly provider?: string | { readonly urn: string };
    /**
     * Values its source judges secret though no Pulumi marker says so (a scan's Secret data and credential env
     * values): redacted where the control's words show them, never in names (see `Redaction`).
     */
    readonly sensitive?: readonly string[];
    /** Where it came from, for scans of files. */
    readonly file?: string;
    readonly line?: number;
    /**
     * Where a source path of its props (a violation's `path`) is written in `file`; the nearest written ancestor
     * when the field is absent, the resource's own start for no path. Given by scans of files.
     */
    readonly locate?: (path: string | undefined) => SourcePosition | undefined;
}

/** A 1-based line and column in a file. */
export interface SourcePosition {
    readonly line: number;
    readonly column: number;
}

export const PACK_VERSION: string = (() => {
    try {
        // bin/lib/check/analyze.js → policypack/package.json
        return (require("../../../package.json") as { version: string }).version;
    } catch {
        return "0.0.0";
    }
})();

/** The pack as the config reconciler sees it. */
export function packOf(controls: readonly Control[]): PackLike {
    return {
        name: PACK_NAME,
        version: PACK_VERSION,
        enforcementLevel: "advisory",
        // Stricter than the engine, which cannot see `additionalProperties` (only `properties` and `required`
        // cross the Analyzer protocol): the CLI rejects misspelt keys instead of ignoring them.
        policies: controls.map((c) => ({
            name: c.id,
            enforcementLevel: c.enforcementLevel,
            configSchema: { ...configSchemaOf(c), additionalProperties: false as const } as PackLike["policies"][number]["configSchema"],
        })),
    };
}

function levelOf(p: Prepared, unknown: boolean | undefined): ReportLevel {
    if (unknown && p.settings.unknownValues === "advisory") return "advisory";
    return p.level === "advisory" ? "advisory" : "mandatory";
}

/** A violation as a report finding, with what the engine knows beside the message (path, suppression, refusal). */
function findingOfViolation(p: Prepared, v: Violation, resource: ReportFinding["resource"], at?: SourcePosition): ReportFinding {
    const f = findingOf(p.control, levelOf(p, v.unknown), resource, v.message, v.unknown, v.path, at);
    if (v.suppressed === undefined && v.refused === undefined) return f;
    return { ...f, ...(v.suppressed ? { suppressed: v.suppressed } : {}), ...(v.refused ? { refused: true } : {}) };
}

/** Adds an outcome's violations and suppressed violations to the report's lists. */
function collect(
    p: Prepared,
    out: Outcome,
    resourceOf: (urn: string) => ReportFinding["resource"],
    findings: ReportFinding[],
    suppressed: ReportFinding[],
    atOf: (urn: string, path: string | undefined) => SourcePosition | undefined,
): void {
    for (const v of out.violations) findings.push(findingOfViolation(p, v, resourceOf(v.urn), atOf(v.urn, v.path)));
    for (const v of out.suppressed ?? []) suppressed.push(findingOfViolation(p, v, resourceOf(v.urn), atOf(v.urn, v.path)));
}

/**
 * Analyzes a set of resources (a stack, a file set, an engine's containers) with the given controls
 * and reconciled config (`reconcilePolicyConfig(...).config`; undefined means every default).
 */
export function analyze(
    target: string,
    resources: readonly AnalyzedResource[],
    controls: readonly Control[],
    config?: Readonly<Record<string, PolicyConfigEntry>>,
): Report {
    const prepared = prepare(controls, config);
    const resourceControls = prepared.filter((p) => p.control.scope === "resource");
    const remediating = resourceControls.filter((p) => p.level === "remediate" && p.control.scope === "resource" && p.control.remediate);
    const findings: ReportFinding[] = [];
    const suppressed: ReportFinding[] = [];
    const remediated: ReportFinding[] = [];
    const stackInputs: StackResourceInput[] = [];
    const secrets: string[] = [];
    const sensitive: string[] = [];
    // Every finding of a resource names it with the same (read-only) object.
    const resourceNames = new Map<AnalyzedResource, ReportFinding["resource"]>();
    const named = (r: AnalyzedResource | undefined, urn: string): ReportFinding["resource"] => {
        if (!r) return resourceOf(r, urn);
        let n = resourceNames.get(r);
        if (n === undefined) resourceNames.set(r, (n = resourceOf(r, urn)));
        return n;
    };
    for (const r of resources) {
        let raw: unknown = r.props;
        for (const p of remediating) {
            if (p.control.scope !== "resource") continue;
            const c = clean(raw);
            const res = { type: r.type, name: r.name, urn: r.urn, props: c.value };
            const applied: AppliedFix[] = [];
            const fixed = remediateResource(p.control, res, raw, p.settings, resourceMemo(res), applied);
            if (fixed !== undefined) raw = fixed;
            for (const fix of applied) {
                const message = redact(`${fix.subject}: ${fix.path} set to ${fix.value} by remediation.`, c.secrets);
                remediated.push({
                    ...findingOf(p.control, "advisory", named(r, r.urn), message),
                    path: fix.path,
                    remediated: { path: fix.path, value: redact(fix.value, c.secrets) },
                });
            }
        }
        const cleaned = clean(raw);
        for (const s of cleaned.secrets) secrets.push(s);
        const redaction = r.sensitive !== undefined && r.sensitive.length > 0 ? { secrets: cleaned.secrets, sensitive: r.sensitive } : cleaned.secrets;
        if (r.sensitive !== undefined) for (const s of r.sensitive) sensitive.push(s);
        // Wire-form props keep Pulumi's secret markers: controls may ask which values were secrets.
        const input = { type: r.type, name: r.name, urn: r.urn, props: cleaned.value, secretValues: cleaned.secretValues };
        // Every control adapts the resource through one memo, dropped with the resource.
        const memo = resourceMemo(input);
        for (const p of resourceControls) {
            if (p.control.scope !== "resource") continue;
            const out = evaluateResource(p.control, input, p.settings, redaction, memo);
            if (out.violations.length === 0 && out.unknownPaths.length === 0 && out.suppressed === undefined) continue;
            collect(
                p,
                out,
                (urn) => named(r, urn),
                findings,
                suppressed,
                (_urn, path) => at(r, path),
            );
            for (const path of out.unknownPaths)
                findings.push(findingOf(p.control, "advisory", named(r, ""), unknownMessage(path), true, undefined, at(r, path)));
        }
        const provider = typeof r.provider === "string" ? r.provider : r.provider?.urn;
        stackInputs.push({
            type: input.type,
            name: input.name,
            urn: input.urn,
            props: input.props,
            secretValues: input.secretValues,
            parent: r.parent,
            dependencies: r.dependencies,
            provider,
        } as StackResourceInput);
    }
    const stackControls = prepared.filter((p) => p.control.scope === "stack");
    if (stackControls.length > 0) {
        let model: ReturnType<typeof buildStackModel> | undefined;
        try {
            model = buildStackModel(stackInputs);
        } catch (e) {
            return {
                target,
                controls: prepared.length,
                resources: resources.length,
                findings,
                errors: [`the stack could not be indexed (${e instanceof Error ? e.name : "error"})`],
                ...extras(suppressed, remediated),
            };
        }
        const byUrn = new Map(resources.map((r) => [r.urn, r]));
        const memo = stackMemo(model);
        for (const p of stackControls) {
            if (p.control.scope !== "stack") continue;
            const out = evaluateStack(p.control, model, p.settings, { secrets, sensitive }, memo);
            collect(
                p,
                out,
                (urn) => named(byUrn.get(urn), urn),
                findings,
                suppressed,
                (urn, path) => at(byUrn.get(urn), path),
            );
            for (let i = 0; i < out.unknownPaths.length; i++) {
                const r = byUrn.get(out.unknownUrns?.[i] ?? "");
                findings.push(findingOf(p.control, "advisory", named(r, ""), unknownMessage(out.unknownPaths[i]), true, undefined, at(r, out.unknownPaths[i])));
            }
        }
    }
    return { target, controls: prepared.length, resources: resources.length, findings, errors: [], ...extras(suppressed, remediated) };
}

/** The optional lists of a report, present only when not empty (reports without them read as before). */
function extras(suppressed: readonly ReportFinding[], remediated: readonly ReportFinding[]): Pick<Report, "suppressed" | "remediated"> {
    return { ...(suppressed.length > 0 ? { suppressed } : {}), ...(remediated.length > 0 ? { remediated } : {}) };
}

/** Where a finding's field is in the resource's file, when the resource came from one that was parsed. */
function at(r: AnalyzedResource | undefined, path: string | undefined): SourcePosition | undefined {
    if (r?.locate === undefined) return undefined;
    try {
        return r.locate(path);
    } catch {
        return undefined; // a position is a convenience: a finding is reported without one rather than lost
    }
}

function unknownMessage(path: string): string {
    return `can't be checked during preview: ${path} is unknown.`;
}

function resourceOf(r: AnalyzedResource | undefined, urn: string): ReportFinding["resource"] {
    if (!r) return { urn, type: "", name: "" };
    return { urn: r.urn, type: r.type, name: r.name, ...(r.file ? { file: r.file } : {}), ...(r.line ? { line: r.line } : {}) };
}
