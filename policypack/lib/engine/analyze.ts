/**
 * In-process analysis with the engine's semantics, without a gRPC server: per resource, the
 * remediations of controls at `remediate` run first and their output is what gets analyzed;
 * then every resource control, then every stack control once over the whole stack.
 */
import { Control } from "../contract/control";
import { evaluateResource, evaluateStack, remediateResource, resourceMemo, stackMemo } from "./evaluate";
import { configSchemaOf, prepare, Prepared } from "./settings";
import { StackResourceInput } from "../contract/stack";
import { buildStackModel } from "./stack-model";
import { PACK_NAME } from "../kernel/types";
import { clean } from "../kernel/clean";
import { PackLike, PolicyConfigEntry } from "../config/reconcile";
import { findingOf, Report, ReportFinding, ReportLevel } from "../check/report";

/**
 * What the engine sends for a resource: wire-form props (secrets wrapped, unknowns as sentinels),
 * with its provider as the runner captures it (or just its URN).
 */
export interface AnalyzedResource extends Omit<StackResourceInput, "provider"> {
    readonly provider?: string | { readonly urn: string };
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
    const stackInputs: StackResourceInput[] = [];
    const secrets: string[] = [];
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
            const fixed = remediateResource(p.control, res, raw, p.settings, resourceMemo(res));
            if (fixed !== undefined) raw = fixed;
        }
        const cleaned = clean(raw);
        for (const s of cleaned.secrets) secrets.push(s);
        // Wire-form props keep Pulumi's secret markers: controls may ask which values were secrets.
        const input = { type: r.type, name: r.name, urn: r.urn, props: cleaned.value, secretValues: cleaned.secretValues };
        // Every control adapts the resource through one memo, dropped with the resource.
        const memo = resourceMemo(input);
        for (const p of resourceControls) {
            if (p.control.scope !== "resource") continue;
            const out = evaluateResource(p.control, input, p.settings, cleaned.secrets, memo);
            if (out.violations.length === 0 && out.unknownPaths.length === 0) continue;
            for (const v of out.violations) findings.push(findingOf(p.control, levelOf(p, v.unknown), named(r, v.urn), v.message, v.unknown, at(r, v.path)));
            for (const path of out.unknownPaths) findings.push(findingOf(p.control, "advisory", named(r, ""), unknownMessage(path), true, at(r, path)));
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
            };
        }
        const byUrn = new Map(resources.map((r) => [r.urn, r]));
        const memo = stackMemo(model);
        for (const p of stackControls) {
            if (p.control.scope !== "stack") continue;
            const out = evaluateStack(p.control, model, p.settings, secrets, memo);
            for (const v of out.violations) {
                const r = byUrn.get(v.urn);
                findings.push(findingOf(p.control, levelOf(p, v.unknown), named(r, v.urn), v.message, v.unknown, at(r, v.path)));
            }
            for (let i = 0; i < out.unknownPaths.length; i++) {
                const r = byUrn.get(out.unknownUrns?.[i] ?? "");
                findings.push(findingOf(p.control, "advisory", named(r, ""), unknownMessage(out.unknownPaths[i]), true, at(r, out.unknownPaths[i])));
            }
        }
    }
    return { target, controls: prepared.length, resources: resources.length, findings, errors: [] };
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
