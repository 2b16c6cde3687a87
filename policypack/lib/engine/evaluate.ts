/**
 * Runs controls over resources. The same code serves the policy pack (through @pulumi/policy),
 * the in-process `check` command and `scan`, so a finding reads the same everywhere.
 */
import { hasIgnoreMark, resourceScope, subjectsOf } from "../adapters/index";
import { Adapted, ResourceInput } from "../contract/subject";
import { AnyResourceControl, ControlMeta, Finding, StackControl, StackFinding } from "../contract/control";
import { StackModel, StackResourceInput } from "../contract/stack";
import { CommonSettings, globMatch, hasExemptions, isExempt, Settings } from "./settings";
import { ParsedIgnore, parseIgnore, Verdict, verdictOf } from "./suppress";
import { Suppression } from "../contract/suppression";
import { clean } from "../kernel/clean";
import { redact } from "../kernel/redact";
import { field, show } from "../kernel/values";

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
    /** Set on the violations a suppression accepted (they are in `Outcome.suppressed`, never in `violations`). */
    readonly suppressed?: Suppression;
    /** Set on the violation that reports a refused suppression (at the control's level, beside the findings it left). */
    readonly refused?: true;
}

export interface Outcome {
    readonly violations: readonly Violation[];
    /** Violations a valid suppression accepted: reported as suppressed, never failing. */
    readonly suppressed?: readonly Violation[];
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
 * What a message may not show (see kernel/redact.ts for the positions it is replaced in):
 * - `secrets`: values that arrived as Pulumi secrets. Any field can be one, names included, so they are
 *   redacted in the label as well as in the control's words, also as one of the names of "ns/name".
 * - `sensitive`: values a source judges secret though nothing marked them (a scan's Secret data and
 *   credential env values). They come from value fields, never from names, so a label (`Compose service
 *   "wordpress"`) that merely equals one is left alone; only the control's words are redacted.
 */
export interface Redaction {
    readonly secrets: readonly string[];
    readonly sensitive?: readonly string[];
}

function composeRedacted(label: string, path: string | undefined, message: string, refs: string, r: Redaction): string {
    // Names are shown joined as "ns/name" in labels and in messages alike: Pulumi secrets are looked for in
    // both parts. Sensitive values are never names, so only whole quoted values are looked at for them.
    let text = redact(message, r.secrets, true);
    if (r.sensitive !== undefined && r.sensitive.length > 0) text = redact(text, r.sensitive, false, "[redacted]");
    return compose(redact(label, r.secrets, true), path === undefined ? undefined : redact(path, r.secrets, true), text, refs);
}

function redactionOf(secrets: readonly string[] | Redaction): Redaction {
    return Array.isArray(secrets) ? { secrets } : (secrets as Redaction);
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
    /** Set once a control has reported the resource's refused ignore mark: the others do not repeat it. */
    markReported?: boolean;
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
    secrets: readonly string[] | Redaction = [],
    memo?: ResourceMemo,
): Outcome {
    const red = redactionOf(secrets);
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
        (violations ??= []).push({
            urn: res.urn,
            message: composeRedacted(p.label, p.path, `cannot be checked: ${p.problem}.`, refs, red),
            ...(p.path ? { path: p.path } : {}),
        });
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
            const message = composeRedacted(subject.label, path, f.message, refs, red);
            // Literals, not spreads: this runs for every finding of every resource.
            const v: Violation = path
                ? f.unknown
                    ? { urn: res.urn, message, unknown: true, path }
                    : { urn: res.urn, message, path }
                : f.unknown
                  ? { urn: res.urn, message, unknown: true }
                  : { urn: res.urn, message };
            (violations ??= []).push(v);
        }
    }
    if (violations !== undefined && violations.length > MAX_VIOLATIONS) violations = summarized(violations, res, refs, red);
    if (violations === undefined && unknownPaths === undefined) return CLEAN;
    // Nothing to judge without a mark on the resource or an exemption of the control (almost always).
    if (violations === undefined || (scope.ignore === undefined && (settings.exemptions ?? []).length === 0))
        return { violations: violations ?? [], unknownPaths: unknownPaths ?? [] };
    const judged = suppress(control.id, violations, scope, res.urn, settings, adapted.subjects[0]?.label ?? `${res.type} "${res.name}"`, m);
    return judged.suppressed
        ? { violations: judged.violations, unknownPaths: unknownPaths ?? [], suppressed: judged.suppressed }
        : { violations: judged.violations, unknownPaths: unknownPaths ?? [] };
}

/**
 * At most this many violations of one control on one resource. A resource with thousands of containers would
 * otherwise make thousands of messages per control (the bulk of what a Pod of 4,000 containers cost the pack);
 * the first ones say what is wrong, one more says how many were not listed.
 */
export const MAX_VIOLATIONS = 100;

function summarized(violations: Violation[], res: ResourceInput, refs: string, red: Redaction): Violation[] {
    const kept = violations.slice(0, MAX_VIOLATIONS - 1);
    const rest = violations.slice(MAX_VIOLATIONS - 1);
    const message = composeRedacted(`${res.type} "${res.name}"`, undefined, `${rest.length} more violations of this control are not listed.`, refs, red);
    kept.push(rest.every((v) => v.unknown) ? { urn: res.urn, message, unknown: true } : { urn: res.urn, message });
    return kept;
}

type Scope = ReturnType<typeof resourceScope>;

/** The ignore mark of a resource, parsed once per scope (a scope is built once per resource and memo). */
const parsedMarks = new WeakMap<Scope, ParsedIgnore>();

function markOf(scope: Scope): { parsed: ParsedIgnore; source: "annotation" | "label" } | undefined {
    if (scope.ignore === undefined) return undefined;
    let parsed = parsedMarks.get(scope);
    if (parsed === undefined) parsedMarks.set(scope, (parsed = parseIgnore(scope.ignore.value)));
    return { parsed, source: scope.ignore.source };
}

/** The names a config exemption's `resource` pattern is matched against: names, `namespace/name`, URN. */
function suppressionNames(scope: Scope, urn: string): string[] {
    const names = [...scope.names];
    if (scope.namespace !== undefined) for (const n of scope.names) names.push(`${scope.namespace}/${n}`);
    if (urn !== "") names.push(urn);
    return names;
}

/** What the suppressions of a resource decide for a control; undefined when it has none. */
function judge(controlId: string, scope: Scope, urn: string, settings: CommonSettings): Verdict | undefined {
    const mark = markOf(scope);
    const exemptions = settings.exemptions ?? [];
    if (mark === undefined && exemptions.length === 0) return undefined;
    const v = verdictOf(controlId, mark, exemptions, suppressionNames(scope, urn), globMatch);
    return v.suppressed === undefined && v.refused.length === 0 && v.markRefused === undefined ? undefined : v;
}

function refusal(urn: string, label: string, why: string, controlId: string): Violation {
    return { urn, message: `${label}: ${why}; the findings of ${controlId} on it stand.`, refused: true };
}

function markRefusal(urn: string, label: string, why: string): Violation {
    return { urn, message: `${label}: ${why}; it suppresses nothing, and the findings on this resource stand.`, refused: true };
}

/** The refusals of a verdict that stands: config ones for this control, the mark's once per resource (`seen`). */
function refusals(v: Verdict, urn: string, label: string, controlId: string, seen: { markReported?: boolean }): Violation[] {
    const out = v.refused.map((why) => refusal(urn, label, why, controlId));
    if (v.markRefused !== undefined && !seen.markReported) {
        seen.markReported = true;
        out.push(markRefusal(urn, label, v.markRefused));
    }
    return out;
}

/**
 * Applies the suppressions of one resource to a control's violations on it: a valid one moves them all to
 * `suppressed`; refused ones leave them standing and add one violation each saying why it was refused.
 */
function suppress(
    controlId: string,
    violations: readonly Violation[],
    scope: Scope,
    urn: string,
    settings: CommonSettings,
    label: string,
    seen: { markReported?: boolean },
): { violations: readonly Violation[]; suppressed?: readonly Violation[] } {
    const v = judge(controlId, scope, urn, settings);
    if (v === undefined) return { violations };
    if (v.suppressed) return { violations: [], suppressed: violations.map((x) => ({ ...x, suppressed: v.suppressed })) };
    return { violations: [...violations, ...refusals(v, urn, label, controlId, seen)] };
}

/** A fix a remediation applied: the subject, the source path it wrote and the value, as safe to show. */
export interface AppliedFix {
    readonly subject: string;
    readonly path: string;
    readonly value: string;
}

/** A fix's value as reports show it: safe scalars and short lists of them; anything else is elided, never printed. */
export function shownFix(v: unknown): string {
    if (Array.isArray(v) && v.length <= 16 && v.every((x) => typeof x === "string" || typeof x === "number" || typeof x === "boolean"))
        return `[${v.map(show).join(", ")}]`;
    return show(v);
}

/**
 * The value a fix wrote, as the source holds it (a memory limit in the source's unit, not the model's), read back at
 * its path; the model value when the path cannot be followed. Secrets in the props are redacted.
 */
function writtenValue(props: unknown, path: string, fallback: unknown): string {
    const c = clean(props);
    let cur: unknown = c.value;
    for (const part of path.split(".")) {
        const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
        if (!m) return redact(shownFix(fallback), c.secrets);
        if (m[1] !== "") cur = field(cur, m[1]);
        for (const i of m[2].match(/\d+/g) ?? []) cur = Array.isArray(cur) ? (cur as unknown[])[Number(i)] : undefined;
    }
    return redact(shownFix(cur === undefined ? fallback : cur), c.secrets);
}

/**
 * Remediation: applies the control's fixes to each failing subject and returns the new raw props,
 * or undefined when nothing changed. Untouched branches keep their secret wrappers. `applied`, when given,
 * receives each fix written (reports show them as fixed by remediation).
 */
export function remediateResource<C>(
    control: AnyResourceControl,
    res: ResourceInput,
    raw: unknown,
    settings: Settings<C>,
    memo?: ResourceMemo,
    applied?: AppliedFix[],
): Record<string, unknown> | undefined {
    if (!control.remediate) return undefined;
    const m = memoOf(res, memo);
    const adapted = adapt(control, m);
    if (adapted.subjects.length === 0) return undefined;
    const scope = scopeOf(m);
    if (isExempt(settings, scope.names, scope)) return undefined;
    // An accepted finding is left as it is: the team chose the setting the fix would change.
    if (judge(control.id, scope, res.urn, settings)?.suppressed) return undefined;
    let current: unknown = raw;
    let changed = false;
    const fixes: AppliedFix[] = [];
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
                    const paths = (model as { paths?: Readonly<Record<string, string>> }).paths ?? {};
                    const path = paths[fix.field] ?? fix.field;
                    fixes.push({ subject: subject.label, path, value: writtenValue(next, path, fix.value) });
                }
            }
        }
    } catch {
        // A fix that cannot be applied leaves the resource as it was; Analyze then reports the violation.
        return undefined;
    }
    if (changed && applied) applied.push(...fixes);
    return changed ? (current as Record<string, unknown>) : undefined;
}

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
    /** Resources whose refused ignore mark a stack control has reported (the others do not repeat it). */
    readonly marksReported: Map<string, { markReported?: boolean }>;
    /** URNs of the resources that carry an ignore mark (found once per model, only when a control reports). */
    marked: Set<string> | undefined;
}

export function stackMemo(stack: StackModel): StackMemo {
    return { stack, byUrn: undefined, scopes: new Map(), marksReported: new Map(), marked: undefined };
}

/** URNs of the resources that carry an ignore mark: found once per model, whichever memo asks (models are immutable). */
const markedByModel = new WeakMap<StackModel, Set<string>>();

function markedOf(memo: StackMemo): Set<string> {
    if (memo.marked === undefined) {
        let set = markedByModel.get(memo.stack);
        if (set === undefined) {
            set = new Set();
            for (const r of memo.stack.resources) if (hasIgnoreMark(r)) set.add(r.urn);
            markedByModel.set(memo.stack, set);
        }
        memo.marked = set;
    }
    return memo.marked;
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
    secrets: readonly string[] | Redaction = [],
    memo?: StackMemo,
): Outcome {
    const red = redactionOf(secrets);
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
    // The subject each violation was reported with (a refusal names the resource the same way).
    const subjects: string[] = [];
    for (const f of findings) {
        if (f.unknown && settings.unknownValues !== "fail") {
            if (settings.unknownValues === "advisory") {
                unknownPaths.push(f.field ?? f.subject);
                unknownUrns.push(f.urn);
            }
            continue;
        }
        const message = composeRedacted(f.subject, f.field, f.message, refs, red);
        const path = f.field;
        violations.push(
            path
                ? f.unknown
                    ? { urn: f.urn, message, unknown: true, path }
                    : { urn: f.urn, message, path }
                : f.unknown
                  ? { urn: f.urn, message, unknown: true }
                  : { urn: f.urn, message },
        );
        subjects.push(f.subject);
    }
    if (violations.length === 0) return { violations, unknownPaths, unknownUrns };
    const m = memo !== undefined && memo.stack === stack ? memo : stackMemo(stack);
    // Most controls have no exemptions and most stacks no marked resource: then there is nothing to judge, and no
    // resource's scope is built.
    const exemptions = (settings.exemptions ?? []).length > 0;
    if (!exemptions && markedOf(m).size === 0) return { violations, unknownPaths, unknownUrns };
    const all = violations.splice(0);
    let suppressed: Violation[] | undefined;
    const verdicts = new Map<string, { verdict: Verdict | undefined; subject: string }>();
    all.forEach((v, i) => {
        let entry = verdicts.get(v.urn);
        if (entry === undefined) {
            const verdict = exemptions || markedOf(m).has(v.urn) ? judge(control.id, stackScopeOf(m, v.urn), v.urn, settings) : undefined;
            verdicts.set(v.urn, (entry = { verdict, subject: subjects[i] }));
        }
        if (entry.verdict?.suppressed) (suppressed ??= []).push({ ...v, suppressed: entry.verdict.suppressed });
        else violations.push(v);
    });
    for (const [urn, { verdict, subject }] of verdicts) {
        if (verdict === undefined || verdict.suppressed) continue;
        let seen = m.marksReported.get(urn);
        if (seen === undefined) m.marksReported.set(urn, (seen = {}));
        violations.push(...refusals(verdict, urn, subject, control.id, seen));
    }
    return { violations, unknownPaths, unknownUrns, ...(suppressed ? { suppressed } : {}) };
}
