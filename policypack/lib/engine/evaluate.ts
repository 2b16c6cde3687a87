/**
 * Runs controls over resources. The same code serves the policy pack (through @pulumi/policy),
 * the in-process `check` command and `scan`, so a finding reads the same everywhere.
 */
import { resourceScope, subjectsOf } from "../adapters/index";
import { Adapted, ResourceInput } from "../contract/subject";
import { AnyResourceControl, ControlMeta, Finding, StackControl, StackFinding } from "../contract/control";
import { StackModel, StackResourceInput } from "../contract/stack";
import { CommonSettings, hasExemptions, isExempt, Settings } from "./settings";
import { redact } from "../kernel/redact";

export type { Settings } from "./settings";

/** A violation, ready to report: the message names the subject, the field, and the benchmark ids. */
export interface Violation {
    readonly urn: string;
    readonly message: string;
    /** Set when the violation stands for an unknown preview value (only under `unknownValues: fail`). */
    readonly unknown?: boolean;
    /**
     * The source path of the field at fault in the resource's props (`spec.template.spec.containers[1].ports[0]`),
     * as the message names it: scans of files turn it into a line and column. Absent when the finding is about
     * the subject as a whole.
     */
    readonly path?: string;
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

function compose(label: string, path: string | undefined, message: string, refs: string): string {
    const where = path ? `${label}: ${path}` : label;
    return refs ? `${where}: ${message} [${refs}]` : `${where}: ${message}`;
}

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
        const message = redact(compose(p.label, p.path, `cannot be checked: ${p.problem}.`, refs), secrets);
        (violations ??= []).push(p.path ? { urn: res.urn, message, path: p.path } : { urn: res.urn, message });
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
            (violations ??= []).push({ urn: res.urn, message, ...(f.unknown ? { unknown: true } : {}), ...(path ? { path } : {}) });
        }
    }
    return violations === undefined && unknownPaths === undefined ? CLEAN : { violations: violations ?? [], unknownPaths: unknownPaths ?? [] };
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

type Scope = ReturnType<typeof resourceScope>;

const NO_SCOPE: Scope = { names: [], labels: {} };

/**
 * What every stack control of one call would recompute: the stack's resources by URN and their exemption
 * scopes. The caller that runs several stack controls over one stack model hands each the same memo.
 */
export interface StackMemo {
    /** The model it belongs to: a memo handed in with another model is not used. */
    readonly stack: StackModel;
    byUrn: Map<string, StackResourceInput> | undefined;
    readonly scopes: Map<string, Scope>;
}

export function stackMemo(stack: StackModel): StackMemo {
    return { stack, byUrn: undefined, scopes: new Map() };
}

function stackScopeOf(memo: StackMemo, urn: string): Scope {
    let scope = memo.scopes.get(urn);
    if (scope === undefined) {
        if (memo.byUrn === undefined) {
            memo.byUrn = new Map();
            for (const r of memo.stack.resources) if (!memo.byUrn.has(r.urn)) memo.byUrn.set(r.urn, r);
        }
        const res = memo.byUrn.get(urn);
        scope = res === undefined ? NO_SCOPE : resourceScope(res);
        memo.scopes.set(urn, scope);
    }
    return scope;
}

function urnExempt(settings: CommonSettings, memo: StackMemo, urn: string, names: readonly string[] | undefined): boolean {
    const scope = stackScopeOf(memo, urn);
    return isExempt(settings, names && names.length > 0 ? [...scope.names, ...names] : scope.names, scope);
}

/**
 * The findings the exemption settings leave: a finding goes when its resource (or one of its other names) is
 * exempt; a finding about a group (see StackFinding.covers) goes when its members all are.
 */
function unexempt(findings: readonly StackFinding[], settings: CommonSettings, memo: StackMemo): readonly StackFinding[] {
    const kept: StackFinding[] = [];
    for (const f of findings) {
        const exempt = urnExempt(settings, memo, f.urn, f.names);
        if (f.covers === undefined) {
            if (!exempt) kept.push(f);
            continue;
        }
        if (exempt && !f.covers.includes(f.urn)) continue;
        const other = f.covers.find((urn) => !urnExempt(settings, memo, urn, undefined));
        if (other !== undefined) kept.push(exempt ? { ...f, urn: other } : f);
    }
    return kept;
}

/**
 * Evaluates one stack control over the stack model. The engine, not the control, applies the exemption settings
 * to what the control found.
 */
export function evaluateStack<C>(
    control: StackControl<C>,
    stack: StackModel,
    settings: Settings<C>,
    secrets: readonly string[] = [],
    memo?: StackMemo,
): Outcome {
    let findings: readonly StackFinding[];
    try {
        findings = control.check(stack, settings);
    } catch (e) {
        return { violations: [{ urn: "", message: `${control.id} could not be checked (${e instanceof Error ? e.name : "error"}).` }], unknownPaths: [] };
    }
    if (findings.length > 0 && hasExemptions(settings))
        findings = unexempt(findings, settings, memo !== undefined && memo.stack === stack ? memo : stackMemo(stack));
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
        violations.push({ urn: f.urn, message, ...(f.unknown ? { unknown: true } : {}), ...(f.field ? { path: f.field } : {}) });
    }
    return { violations, unknownPaths, unknownUrns };
}
