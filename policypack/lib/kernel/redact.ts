/**
 * Redaction: a secret is replaced by [secret] where a message shows it as a value, and nowhere else.
 *
 * Messages show what they took from input in two ways only: `show()` renders a string as `"value"` and a
 * number as itself, and subject labels quote names (`Pod "ns/name" container "app"`). Everything else in a
 * message is the control's own words, field paths, file paths and benchmark ids. So a value position is:
 *
 * - the text between two double quotes (`"…"`), whole;
 * - with `names` (Pulumi secrets, where a name can be the secret), also the part of a quoted value before
 *   its first `/` or after its last one (`"ns/name"` joins two names);
 * - a number standing alone (not part of a longer number, word or dotted id such as CIS 1.2.10).
 *
 * A secret is replaced only where it fills a value position entirely. A secret "root" therefore never turns
 * "the root filesystem" into "the [secret] filesystem", nor "dockerd" into "[secret]d", nor a pod named
 * "root-pod" into "[secret]-pod" — while `is "root"` (the value itself) becomes `is "[secret]"`. Positions are
 * found from both ends of each occurrence (the character before and after), never by pairing quotes, so a
 * name that contains a quote cannot shift the spans and let a secret out.
 *
 * The work is a pass over the text's delimiters with set lookups (pairs no farther apart than the longest
 * secret, of a secret's length): its cost does not grow with the number of secrets (a stack's list can be long).
 */

/** What a Pulumi secret becomes; a value a scan judges secret becomes "[redacted]" (`token`). */
export const SECRET_TOKEN = "[secret]";

interface SecretSet {
    /** The length of the list it was built from (a list that grew is built again). */
    readonly size: number;
    readonly values: ReadonlySet<string>;
    /** The secrets' lengths: a position of another length is not looked up. */
    readonly lengths: ReadonlySet<number>;
    /** The longest secret: no value position longer than it can be one. */
    readonly longest: number;
}

const sets = new WeakMap<readonly string[], SecretSet>();

function setOf(secrets: readonly string[]): SecretSet {
    let s = sets.get(secrets);
    if (s === undefined || s.size !== secrets.length) {
        let longest = 0;
        const values = new Set<string>();
        const lengths = new Set<number>();
        for (const v of secrets) {
            if (v.length === 0) continue;
            values.add(v);
            lengths.add(v.length);
            if (v.length > longest) longest = v.length;
        }
        s = { size: secrets.length, values, lengths, longest };
        sets.set(secrets, s);
    }
    return s;
}

const NUMBER = /-?\d+(?:\.\d+)*/g;

/**
 * Replaces every secret that fills a value position of `text` (see above). `names`: also the names of a
 * quoted "ns/name".
 */
export function redact(text: string, secrets: readonly string[], names = false, token = SECRET_TOKEN): string {
    if (secrets.length === 0 || text.length === 0) return text;
    const set = setOf(secrets);
    if (set.values.size === 0) return text;
    // Delimiter positions: every `"`, and in a label every `/`.
    const delims: number[] = [];
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 34 /* " */ || (names && c === 47) /* / */) delims.push(i);
    }
    const cuts: [number, number][] = [];
    let after = -1; // text before this index is already replaced
    for (let a = 0; a < delims.length; a++) {
        const i = delims[a];
        if (i < after) continue;
        // The longest value position starting after delimiter i that holds a secret.
        let best = -1;
        for (let b = a + 1; b < delims.length; b++) {
            const j = delims[b];
            if (j - i - 1 > set.longest) break;
            // Between two quotes, or (in a label) between a quote and a `/` of the same name: never two `/`s.
            if (text.charCodeAt(i) !== 34 && text.charCodeAt(j) !== 34) continue;
            if (set.lengths.has(j - i - 1) && set.values.has(text.slice(i + 1, j))) best = j;
        }
        if (best !== -1) {
            cuts.push([i + 1, best]);
            after = best;
        }
    }
    // Numbers standing alone (show() renders numbers unquoted).
    NUMBER.lastIndex = 0;
    for (let m = NUMBER.exec(text); m !== null; m = NUMBER.exec(text)) {
        const start = m.index;
        const end = start + m[0].length;
        const before = start > 0 ? text[start - 1] : "";
        const next = text[end] ?? "";
        if (/[\w.]/.test(before) || /\w/.test(next) || (next === "." && /\d/.test(text[end + 1] ?? ""))) continue;
        if (set.values.has(m[0]) && !cuts.some(([s, e]) => start < e && end > s)) cuts.push([start, end]);
    }
    if (cuts.length === 0) return text;
    cuts.sort((x, y) => x[0] - y[0]);
    let out = "";
    let from = 0;
    for (const [s, e] of cuts) {
        if (s < from) continue;
        out += text.slice(from, s) + token;
        from = e;
    }
    return out + text.slice(from);
}
