/** Small finding helpers any control may use: one field, judged after its unknown and malformed cases. */
import { unsettled } from "../../contract/check";
import { Finding } from "../../contract/control";
import { show, V } from "../../kernel/values";

/** The finding for a settled value that `bad` rejects (unset passes); unknown and malformed values first. */
export function flagIf<T>(fieldName: string, v: V<T>, bad: (x: T) => boolean, message: string): Finding[] {
    const u = unsettled(fieldName, v);
    if (u) return [u];
    return v !== undefined && bad(v as T) ? [{ field: fieldName, message }] : [];
}

/** The finding for a boolean that must not be true (unset and false pass). */
export function whenTrue(fieldName: string, v: V<boolean>, message: string): Finding[] {
    return flagIf(fieldName, v, (x) => x === true, message);
}

/** The finding for a string outside an allow-list (unset passes unless `required`). */
export function unlessOneOf(fieldName: string, v: V<string>, allowed: readonly string[], what: (shown: string) => string, required = false): Finding[] {
    const u = unsettled(fieldName, v);
    if (u) return [u];
    if (v === undefined ? !required : allowed.includes(v as string)) return [];
    return [{ field: fieldName, message: what(show(v)) }];
}

/** One finding per list entry that `bad` picks (each names its own path); an unknown or malformed list first. */
export function eachBad<T>(fieldName: string, list: V<readonly T[]>, bad: (x: T) => boolean, finding: (x: T) => Finding): Finding[] {
    const u = unsettled(fieldName, list);
    if (u) return [u];
    return ((list as readonly T[] | undefined) ?? []).filter(bad).map(finding);
}
