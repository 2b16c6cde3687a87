/**
 * Runs controls over resources. The same code serves the policy pack (through @pulumi/policy),
 * the in-process `check` command and `scan`, so a finding reads the same everywhere.
 */
import { resourceScope, subjectsOf } from "../adapters/index";
import { Adapted, ResourceInput } from "./subject";
import { AnyResourceControl, ControlMeta, Finding, StackControl } from "./control";
import { StackModel } from "./stack";
import { CommonSettings, isExempt } from "./settings";
import { BENCHMARKS } from "./types";
import { redact } from "./values";

/** A violation, ready to report: the message names the subject, the field, and the benchmark ids. */
export interface Violation {
    readonly urn: string;
    readonly message: string;
    /** Set when the violation stands for an unknown preview value (only under `unknownValues: fail`). */
    readonly unknown?: boolean;
}

export interface Outcome {
    readonly violations: readonly Violation[];
    /** Unknown preview values met under `unknownValues: advisory`: the field paths. */
    readonly unknownPaths: readonly string[];
    /** For stack controls: the URN each unknown path belongs to (same order as `unknownPaths`). */
    readonly unknownUrns?: readonly string[];
}

export const CLEAN: Outcome = { violations: [], unknownPaths: [] };

/** "CIS Docker 5.11 (legacy 5.10)", "CIS Kubernetes 5.2.2; PSS baseline". Computed once per control (metadata is immutable). */
export function refsText(meta: Pick<ControlMeta<unknown>, "refs" | "pss">): string {
    let text = refsTexts.get(meta);
    if (text === undefined) refsTexts.set(meta, (text = composeRefs(meta)));
    return text;
}

const refsTexts = new WeakMap<object, string>();

function composeRefs(meta: Pick<ControlMeta<unknown>, "refs" | "pss">): string {
    const parts: string[] = [];
    const { docker, dockerLegacy, kubernetes } = meta.refs;
    if (docker?.length) {
        const legacy = dockerLegacy?.length ? ` (legacy ${dockerLegacy.join(", ")})` : "";
        parts.push(`CIS Docker ${docker.join(", ")}${legacy}`);
    }
    if (kubernetes?.length) parts.push(`CIS Kubernetes ${kubernetes.join(", ")}`);
    if (meta.pss) parts.push(`PSS ${meta.pss}`);
    return parts.join("; ");
}

export function benchmarkName(key: keyof typeof BENCHMARKS): string {
    return `${BENCHMARKS[key].name} ${BENCHMARKS[key].version}`;
}

function compose(label: string, path: string | undefined, message: string, refs: string): string {
    const where = path ? `${label}: ${path}` : label;
    return refs ? `${where}: ${message} [${refs}]` : `${where}: ${message}`;
}

export type Settings<C> = C & CommonSettings;

/**
 * What every control of a subject kind would recompute for the same resource: its subjects and its exemption
 * scope. A caller that runs several controls over one resource (the pack within one Analyze call, `analyze`)
 * hands each of them the same memo, so each resource is adapted once per kind; it is garbage as soon as the
 * caller drops it. Without one, an evaluation works on its own.
 */
export interface ResourceMemo {
    /** The input it belongs to: a memo handed in with another input is not used. */
    readonly res: ResourceInput;
    readonly adapted: Map<string, Adapted<AnyResourceControl["subject"]>>;
    scope: ReturnType<typeof resourceScope> | undefined;
}

export function resourceMemo(res: ResourceInput): ResourceMemo {
    return { res, adapted: new Map(), scope: undefined };
}

function memoOf(res: ResourceInput, memo: ResourceMemo | undefined): ResourceMemo {
    return memo !== undefined && memo.res === res ? memo : resourceMemo(res);
}

function scopeOf(memo: ResourceMemo): ReturnType<typeof resourceScope> {
    return (memo.scope ??= resourceScope(memo.res));
}

/** The control's subjects in a resource (once per resource and kind). */
function adapt(control: AnyResourceControl, memo: ResourceMemo): Adapted<typeof control.subject> {
    let a = memo.adapted.get(control.subject);
    if (a === undefined) {
        a = adaptNow(control, memo.res);
        memo.adapted.set(control.subject, a);
    }
    return a as Adapted<typeof control.subject>;
}

/** An adapter that fails reports a problem instead of throwing. */
function adaptNow(control: AnyResourceControl, res: ResourceInput): Adapted<typeof control.subject> {
    try {
        return subjectsOf(control.subject, res) as Adapted<typeof control.subject>;
    } catch (e) {
        const problem = `the ${res.type} input could not be read (${e instanceof Error ? e.name : "error"})`;
        return { subjects: [], problems: [{ label: `${res.type} "${res.name}"`, path: "", problem }] };
    }
}

/**
 * Whether a resource gives the control anything to judge: subjects of its kind, or input that could not be read.
 * A caller may skip reading a control's settings when it does not (the pack does, for most controls on most
 * resources); evaluateResource answers CLEAN for such a resource whatever the settings.
 */
export function appliesTo(control: AnyResourceControl, res: ResourceInput, memo?: ResourceMemo): boolean {
    const adapted = adapt(control, memoOf(res, memo));
    return adapted.subjects.length > 0 || adapted.problems.length > 0;
}

/** Evaluates one resource control against one resource. Never throws on malformed input. */
export function evaluateResource<C>(
    control: AnyResourceControl,
    res: ResourceInput,
    settings: Settings<C>,
    secrets: readonly string[] = [],
    memo?: ResourceMemo,
): Outcome {
    const m = memoOf(res, memo);
    const adapted = adapt(control, m);
    if (adapted.subjects.length === 0 && adapted.problems.length === 0) return CLEAN;
    const scope = scopeOf(m);
    if (isExempt(settings, scope.names, scope)) return CLEAN;
    const refs = refsText(control);
    // Allocated at the first violation or unknown: most evaluations find nothing.
    let violations: Violation[] | undefined;
    let unknownPaths: string[] | undefined;
    for (const p of adapted.problems) {
        (violations ??= []).push({ urn: res.urn, message: redact(compose(p.label, p.path, `cannot be checked: ${p.problem}.`, refs), secrets) });
    }
    for (const subject of adapted.subjects) {
        let findings: readonly Finding[];
        try {
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            findings = control.check(subject.model as any, settings);
        } catch (e) {
            findings = [{ message: `could not be checked (${e instanceof Error ? e.name : "error"}); treat as failing and report this input.` }];
        }
        if (findings.length === 0) continue;
        const paths = (subject.model as { paths?: Readonly<Record<string, string>> }).paths ?? {};
        for (const f of findings) {
            const path = f.field ? (paths[f.field] ?? f.field) : undefined;
            if (f.unknown) {
                if (settings.unknownValues === "pass") continue;
                if (settings.unknownValues === "advisory") {
                    (unknownPaths ??= []).push(path ?? subject.label);
                    continue;
                }
            }
            const message = redact(compose(subject.label, path, f.message, refs), secrets);
            (violations ??= []).push(f.unknown ? { urn: res.urn, message, unknown: true } : { urn: res.urn, message });
        }
    }
    if (violations !== undefined && violations.length > MAX_VIOLATIONS) violations = summarized(violations, res, refs, secrets);
    return violations === undefined && unknownPaths === undefined ? CLEAN : { violations: violations ?? [], unknownPaths: unknownPaths ?? [] };
}

/**
 * At most this many violations of one control on one resource. A resource with thousands of containers would
 * otherwise make thousands of messages per control (the bulk of what a Pod of 4,000 containers cost the pack);
 * the first ones say what is wrong, one more says how many were not listed.
 */
export const MAX_VIOLATIONS = 100;

function summarized(violations: Violation[], res: ResourceInput, refs: string, secrets: readonly string[]): Violation[] {
    const kept = violations.slice(0, MAX_VIOLATIONS - 1);
    const rest = violations.slice(MAX_VIOLATIONS - 1);
    const message = redact(compose(`${res.type} "${res.name}"`, undefined, `${rest.length} more violations of this control are not listed.`, refs), secrets);
    kept.push(rest.every((v) => v.unknown) ? { urn: res.urn, message, unknown: true } : { urn: res.urn, message });
    return kept;
}

/**
 * Remediation: applies the control's fixes to each failing subject and returns the new raw props,
 * or undefined when nothing changed. Untouched branches keep their secret wrappers.
 */
export function remediateResource<C>(
    control: AnyResourceControl,
    res: ResourceInput,
    raw: unknown,
    settings: Settings<C>,
    memo?: ResourceMemo,
): Record<string, unknown> | undefined {
    if (!control.remediate) return undefined;
    const m = memoOf(res, memo);
    const adapted = adapt(control, m);
    if (adapted.subjects.length === 0) return undefined;
    const scope = scopeOf(m);
    if (isExempt(settings, scope.names, scope)) return undefined;
    let current: unknown = raw;
    let changed = false;
    try {
        for (const subject of adapted.subjects) {
            if (!subject.write) continue;
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            const model = subject.model as any;
            if (control.check(model, settings).every((f) => f.unknown)) continue;
            for (const fix of control.remediate(model, settings)) {
                const next = subject.write(current, fix.field, fix.value);
                if (next !== undefined) {
                    current = next;
                    changed = true;
                }
            }
        }
    } catch {
        // A fix that cannot be applied leaves the resource as it was; Analyze then reports the violation.
        return undefined;
    }
    return changed ? (current as Record<string, unknown>) : undefined;
}

/** Evaluates one stack control over the stack model. */
export function evaluateStack<C>(control: StackControl<C>, stack: StackModel, settings: Settings<C>, secrets: readonly string[] = []): Outcome {
    let findings: readonly (Finding & { urn: string; subject: string })[];
    try {
        findings = control.check(stack, settings);
    } catch (e) {
        return { violations: [{ urn: "", message: `${control.id} could not be checked (${e instanceof Error ? e.name : "error"}).` }], unknownPaths: [] };
    }
    const refs = refsText(control);
    const violations: Violation[] = [];
    const unknownPaths: string[] = [];
    const unknownUrns: string[] = [];
    for (const f of findings) {
        if (f.unknown && settings.unknownValues !== "fail") {
            if (settings.unknownValues === "advisory") {
                unknownPaths.push(f.field ?? f.subject);
                unknownUrns.push(f.urn);
            }
            continue;
        }
        const message = redact(compose(f.subject, f.field, f.message, refs), secrets);
        violations.push(f.unknown ? { urn: f.urn, message, unknown: true } : { urn: f.urn, message });
    }
    return { violations, unknownPaths, unknownUrns };
}
