/**
 * Flag rules: most control-plane controls are a table of "component X must have flag Y such that …".
 * `checkFlagRules` applies a table to every declared component and writes findings that name the
 * component, where it is declared, the flag, why it matters and what to set.
 */
import { StackFinding } from "../core/control";
import { Invalid, show, UNKNOWN } from "../core/values";
import { gateOf, itemsOf, parseBool } from "../adapters/kubernetes/flags";
import { Component, ComponentKind, ControlPlaneModel, isReportedUnreadable, lastSetting, occurrences, referencedFile } from "./control-plane";

/** Judges the effective value: returns what is wrong (e.g. `is unset`), or undefined when it passes. */
export type Judge = (last: string | undefined, all: readonly string[]) => string | undefined;

export interface FlagRule {
    readonly kind: ComponentKind;
    readonly flag: string;
    readonly cis?: string;
    readonly judge: Judge;
    /** The threat, as the end of a sentence: "anonymous requests are served as system:anonymous". */
    readonly why: string;
    /** What to set: `--anonymous-auth=false`. */
    readonly fix: string;
}

const text = (v: string | undefined) => (v === undefined ? "is unset" : `is ${show(v)}`);

/** Passes when the value equals `expected` (booleans compared as Go parses them). */
export function equals(expected: string, unsetMeans?: string): Judge {
    const wantBool = parseBool(expected);
    return (v) => {
        const ok = v !== undefined && (wantBool !== undefined ? parseBool(v) === wantBool : v === expected);
        if (ok) return undefined;
        return v === undefined && unsetMeans ? `is unset (${unsetMeans})` : text(v);
    };
}

/** Passes when the flag is set to a non-empty value. */
export const present: Judge = (v) => (v !== undefined && v.trim() !== "" ? undefined : v === undefined ? "is unset" : "is empty");

/** Passes when the flag is not set at all. */
export const absent: Judge = (v) => (v === undefined ? undefined : "is set");

/** Passes when the boolean flag is unset (its default is true) or true. */
export const notFalse: Judge = (v) => (v === undefined || parseBool(v) !== false ? undefined : text(v));

/** Passes when the boolean flag is unset (its default is false) or false. */
export const notTrue: Judge = (v) => (v === undefined || parseBool(v) !== true ? undefined : text(v));

/** Passes when a list flag (all occurrences) holds `item`. */
export function includes(item: string, unsetMeans?: string): Judge {
    return (v, all) => {
        if (itemsOf(all).includes(item)) return undefined;
        return v === undefined ? `is unset${unsetMeans ? ` (${unsetMeans})` : ""}` : `does not include ${item}`;
    };
}

/** Passes when a list flag (all occurrences) does not hold `item`. */
export function excludes(item: string): Judge {
    return (_v, all) => (itemsOf(all).includes(item) ? `includes ${item}` : undefined);
}

/** Passes when the value is a number ≥ `min`. */
export function atLeast(min: number): Judge {
    return (v) => {
        if (v === undefined) return "is unset";
        const n = Number(v);
        if (v.trim() === "" || !Number.isFinite(n)) return `${text(v)}, not a number`;
        return n >= min ? undefined : `${text(v)}, below ${min}`;
    };
}

/** Passes when every cipher suite of a list flag is allowed; unset passes unless `required` (Go's defaults then apply). */
export function ciphersWithin(allowed: readonly string[], required: boolean): Judge {
    return (v, all) => {
        if (v === undefined) return required ? "is unset (Go's defaults include CBC suites)" : undefined;
        const weak = itemsOf(all).filter((c) => !allowed.includes(c));
        return weak.length > 0 ? `includes weak suites (${weak.join(", ")})` : undefined;
    };
}

/** Passes when `--feature-gates` does not turn `gate` off (it is on by default). */
export function gateNotOff(gate: string): Judge {
    return (_v, all) => {
        const g = gateOf(all, gate);
        return g !== undefined && parseBool(g) === false ? `turns ${gate} off` : undefined;
    };
}

/** How a message names a setting: the flag, or the configuration field it was read from. */
export function nameOf(c: Component, flag: string): string {
    return c.fieldNames?.[flag] ?? `--${flag}`;
}

/** The finding for a component: subject and URN from the component, field where the flag is or goes. */
export function componentFinding(c: Component, field: string, message: string, unknown = false): StackFinding {
    return unknown ? { urn: c.urn, subject: c.label, field, message, unknown: true } : { urn: c.urn, subject: c.label, field, message };
}

/**
 * The settled values of a flag, or the finding that stops the check: an unknown value, a malformed
 * one, or an absent flag in a declaration whose arguments are partly unknown.
 */
export function settledValues(c: Component, flag: string): { values: string[]; where: string; origin?: string; bare?: true } | StackFinding {
    const occ = occurrences(c, flag);
    const values: string[] = [];
    for (const s of occ) {
        if (s.value === UNKNOWN) return componentFinding(c, s.where, `${nameOf(c, flag)} is unknown at preview, so it cannot be checked yet.`, true);
        if (s.value instanceof Invalid)
            return componentFinding(c, s.where, `${nameOf(c, flag)} is malformed: expected ${s.value.expected}, got ${s.value.got}.`);
        if (s.value !== undefined) values.push(s.value);
    }
    if (values.length === 0 && c.open) {
        return componentFinding(
            c,
            c.argsAt,
            `${nameOf(c, flag)} is not among the known arguments and some are unknown at preview, so it cannot be checked yet.`,
            true,
        );
    }
    const last = lastSetting(c, flag);
    const declared = last !== undefined && last.origin === "declared";
    const out = { values, where: declared ? last.where : c.argsAt, origin: last && !declared ? last.origin : undefined };
    return declared && last.bare ? { ...out, bare: true } : out;
}

export function isFinding(x: unknown): x is StackFinding {
    return typeof x === "object" && x !== null && "message" in x;
}

/** Findings of the model's problems that concern these kinds (once each). */
export function problemFindings(model: ControlPlaneModel, kinds: ReadonlySet<ComponentKind>): StackFinding[] {
    const out: StackFinding[] = [];
    for (const p of model.problems) {
        if (p.kinds.some((k) => kinds.has(k))) out.push({ urn: p.urn, subject: p.subject, field: p.field, message: p.message });
    }
    return out;
}

/** Applies flag rules to every declared component of their kinds. */
export function checkFlagRules(model: ControlPlaneModel, rules: readonly FlagRule[]): StackFinding[] {
    const kinds = new Set(rules.map((r) => r.kind));
    const findings = problemFindings(model, kinds);
    for (const c of model.components) {
        if (!kinds.has(c.kind)) continue;
        for (const r of rules) {
            if (r.kind !== c.kind) continue;
            const f = checkFlag(c, r);
            if (f) findings.push(f);
        }
    }
    return findings;
}

export function checkFlag(c: Component, r: FlagRule): StackFinding | undefined {
    const s = settledValues(c, r.flag);
    if (isFinding(s)) return s;
    const judged = r.judge(s.values[s.values.length - 1], s.values);
    if (judged === undefined) return undefined;
    // A value flag written alone reads as "true"; saying so would blame a value nobody wrote.
    const reason = s.bare ? "has no value (the flag is written alone)" : judged;
    const origin = s.origin ? ` (${s.origin})` : "";
    const cis = r.cis ? ` (${r.cis})` : "";
    return componentFinding(c, s.where, `${nameOf(c, r.flag)} ${reason}${origin}: ${r.why}; set ${r.fix}${cis}.`);
}

/**
 * The documents of the file a component's flag names (`--audit-policy-file`), read on its machine;
 * or the findings that stop the check: unknown content, unreadable content. Nothing when the flag is
 * unset or the stack does not write that file (its content cannot be seen here).
 */
export function referencedDocuments(
    model: ControlPlaneModel,
    c: Component,
    flag: string,
    what: string,
): { at: string; docs: readonly unknown[] } | StackFinding[] {
    const s = settledValues(c, flag);
    if (isFinding(s) || s.values.length === 0) return [];
    const path = s.values[s.values.length - 1];
    const file = referencedFile(model, c, path);
    if (!file) return [];
    const at = `${path} on ${file.file.host}`;
    if (file.docs === UNKNOWN) return [componentFinding(c, at, `the ${what} is unknown at preview, so it cannot be checked yet.`, true)];
    if (file.docs instanceof Invalid) {
        return isReportedUnreadable(model, file)
            ? []
            : [componentFinding(c, at, `the ${what} cannot be read: expected ${file.docs.expected}, got ${file.docs.got}.`)];
    }
    return { at, docs: (file.docs ?? []).filter((d) => d !== null && d !== undefined) };
}
