/**
 * `*`-wildcard patterns (exemption names, registries, variable names) matched in time linear in the name and
 * the pattern, whatever either holds. A backtracking regex (`^a.*-.*-.*b$`) takes exponential time on names
 * such as 120 dashes; here the parts between stars are found left to right, each with a Knuth-Morris-Pratt
 * search that never moves back in the name, and the leftmost match of each part is the right one for
 * patterns whose only operator is `*`.
 */

export interface Glob {
    /** The text before the first `*` (the whole pattern when it has none). */
    readonly head: string;
    /** The text after the last `*`; undefined when the pattern has no `*`. */
    readonly tail: string | undefined;
    /** The non-empty parts between stars, each with its KMP failure table. */
    readonly middle: readonly { readonly text: string; readonly fail: Int32Array }[];
}

/** KMP failure table: fail[i] is the length of the longest proper border of text[0..i]. */
function failureTable(text: string): Int32Array {
    const fail = new Int32Array(text.length);
    let k = 0;
    for (let i = 1; i < text.length; i++) {
        while (k > 0 && text.charCodeAt(i) !== text.charCodeAt(k)) k = fail[k - 1];
        if (text.charCodeAt(i) === text.charCodeAt(k)) k++;
        fail[i] = k;
    }
    return fail;
}

export function compileGlob(pattern: string): Glob {
    const parts = pattern.split("*");
    if (parts.length === 1) return { head: pattern, tail: undefined, middle: [] };
    const middle = parts
        .slice(1, -1)
        .filter((p) => p.length > 0)
        .map((text) => ({ text, fail: failureTable(text) }));
    return { head: parts[0], tail: parts[parts.length - 1], middle };
}

/** Counts the character comparisons of a match, so that tests can hold the matcher to linear work. */
export interface GlobWork {
    steps: number;
}

/** Whether the whole `name` matches (anchored, case-sensitive). */
export function globTest(g: Glob, name: string, work?: GlobWork): boolean {
    if (g.tail === undefined) return name === g.head;
    if (name.length < g.head.length + g.tail.length || !name.startsWith(g.head) || !name.endsWith(g.tail)) return false;
    const end = name.length - g.tail.length;
    let pos = g.head.length;
    for (const part of g.middle) {
        const at = search(part.text, part.fail, name, pos, end, work);
        if (at < 0) return false;
        pos = at + part.text.length;
    }
    return true;
}

/** The first index ≥ from where `text` occurs wholly before `end`, or -1. */
function search(text: string, fail: Int32Array, name: string, from: number, end: number, work: GlobWork | undefined): number {
    let k = 0;
    let steps = 0;
    for (let i = from; i < end; i++) {
        const c = name.charCodeAt(i);
        while (k > 0 && c !== text.charCodeAt(k)) {
            k = fail[k - 1];
            steps++;
        }
        steps++;
        if (c === text.charCodeAt(k)) k++;
        if (k === text.length) {
            if (work) work.steps += steps;
            return i - text.length + 1;
        }
    }
    if (work) work.steps += steps;
    return -1;
}

const patternCache = new Map<string, Glob>();
/** Patterns come from configs and control defaults: a few hundred at most; the cache is dropped past this. */
const MAX_CACHED_PATTERNS = 4096;

/** `*`-wildcard match, anchored, case-sensitive, in time linear in the name and the pattern. */
export function globMatch(pattern: string, name: string): boolean {
    let g = patternCache.get(pattern);
    if (g === undefined) {
        if (patternCache.size >= MAX_CACHED_PATTERNS) patternCache.clear();
        g = compileGlob(pattern);
        patternCache.set(pattern, g);
    }
    return globTest(g, name);
}
