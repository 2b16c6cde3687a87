/**
 * Suppressions: a finding the team has accepted, with a reason, stays visible as suppressed instead of failing.
 * Three sources, judged here once for every front end:
 *  - the resource itself: the annotation (Kubernetes) or label (Docker containers, Compose services, `docker
 *    inspect`) `stride-guard.dev/ignore` = `CONTROL_ID[,CONTROL_ID…]: reason`;
 *  - the policy config: each control's `exemptions` list of `{resource, reason, expires}` (resource: a name or URN
 *    pattern, `*` wildcard; expires: YYYY-MM-DD, the last day it holds).
 * A suppression that has no reason, names an unknown control, is malformed or has expired does not suppress; the
 * engine reports it beside the findings it failed to suppress, at their control's level.
 */
import { Exemption, IGNORE_KEY, IgnoreMark, Suppression } from "../contract/suppression";
import { printable } from "../kernel/text";

/** An annotation or label, parsed once per resource. */
export type ParsedIgnore = { readonly ids: readonly string[]; readonly reason: string } | { readonly problem: string };

/** Longest reason kept: it is shown in every report of the findings it suppresses. */
const MAX_REASON = 500;
/** Longest value read: a control list and a reason fit easily; anything longer is refused, not scanned. */
const MAX_VALUE = 4096;

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** `id[,id…]: reason`. Linear: one split at the first colon, one split of the ids at commas. */
export function parseIgnore(value: string): ParsedIgnore {
    if (value.length > MAX_VALUE) return { problem: `its value is longer than ${MAX_VALUE} characters` };
    const colon = value.indexOf(":");
    if (colon < 0) return { problem: 'it has no reason: write "CONTROL_ID[,CONTROL_ID…]: reason"' };
    const reason = printable(value.slice(colon + 1).trim(), { max: MAX_REASON });
    if (reason === "") return { problem: 'its reason is empty: write "CONTROL_ID[,CONTROL_ID…]: reason"' };
    const ids = value
        .slice(0, colon)
        .split(",")
        .map((s) => s.trim());
    if (ids.some((id) => id === "")) return { problem: "its control list has an empty entry" };
    const bad = ids.find((id) => !ID.test(id));
    if (bad !== undefined) return { problem: `${JSON.stringify(printable(bad, { max: 80 }))} is not a control id` };
    return { ids, reason };
}

/** Control ids an annotation may name: every control of the catalog (registered where the catalog is built). */
const known = new Set<string>();

export function registerControlIds(ids: Iterable<string>): void {
    for (const id of ids) known.add(id);
}

/** Today as YYYY-MM-DD (UTC): an exemption that expires today still holds today. */
export function today(now: Date = new Date()): string {
    return now.toISOString().slice(0, 10);
}

/** A real calendar date YYYY-MM-DD (the schema checks the shape; this rejects 2027-02-30). */
export function isDate(s: string): boolean {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    if (!m) return false;
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** What the suppressions of one resource decide for one control. */
export interface Verdict {
    /** Set when a valid suppression applies: the control's findings on the resource are suppressed. */
    readonly suppressed?: Suppression;
    /** Config exemptions of this control that matched the resource and were refused, with why. */
    readonly refused: readonly string[];
    /** Why the resource's annotation or label was refused as a whole (malformed, unknown control): once per resource. */
    readonly markRefused?: string;
}

const NONE: Verdict = { refused: [] };

/**
 * Judges a control's suppressions on one resource. `names` are the names the resource goes by (its Pulumi name,
 * metadata name, `namespace/name`, URN); `patternMatch` is the engine's `*` matcher.
 */
export function verdictOf(
    controlId: string,
    mark: { readonly parsed: ParsedIgnore; readonly source: IgnoreMark["source"] } | undefined,
    exemptions: readonly Exemption[],
    names: readonly string[],
    patternMatch: (pattern: string, name: string) => boolean,
    day: string = today(),
): Verdict {
    let suppressed: Suppression | undefined;
    let refused: string[] | undefined;
    let markRefused: string | undefined;
    if (mark !== undefined) {
        const where = `the ${mark.source} ${IGNORE_KEY}`;
        const p = mark.parsed;
        if ("problem" in p) markRefused = `${where} is refused: ${p.problem}`;
        else {
            const unknown = p.ids.filter((id) => id !== controlId && !known.has(id));
            // An unknown id may be a control misspelt: the whole mark is refused, so the typo is seen.
            if (unknown.length > 0)
                markRefused = `${where} is refused: it names unknown control ${unknown.map((u) => JSON.stringify(printable(u, { max: 80 }))).join(", ")}`;
            else if (p.ids.includes(controlId)) suppressed = { reason: p.reason, source: mark.source };
        }
    }
    for (const e of exemptions) {
        if (!names.some((n) => patternMatch(e.resource, n))) continue;
        const reason = typeof e.reason === "string" ? printable(e.reason.trim(), { max: MAX_REASON }) : "";
        const what = `the config exemption for ${JSON.stringify(printable(e.resource, { max: 200 }))}`;
        if (reason === "") (refused ??= []).push(`${what} is refused: it has no reason`);
        else if (e.expires !== undefined && !isDate(e.expires)) (refused ??= []).push(`${what} is refused: expires is not a date (YYYY-MM-DD)`);
        else if (e.expires !== undefined && e.expires < day) (refused ??= []).push(`${what} is refused: it expired on ${e.expires}`);
        else suppressed ??= { reason, source: "config" };
    }
    if (suppressed === undefined && refused === undefined && markRefused === undefined) return NONE;
    return { ...(suppressed ? { suppressed } : {}), refused: refused ?? [], ...(markRefused ? { markRefused } : {}) };
}
