/**
 * Text that came from outside (file names, engine error messages, program output) made safe to print:
 * a terminal must never receive escape sequences, bidirectional overrides or stray line breaks from input.
 */

// C0 controls but tab, DEL, C1 controls, and the Unicode bidi embeddings/overrides/isolates ("Trojan Source").
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/g;

export interface PrintableOptions {
    /** Keep line breaks (normalised to `\n`); by default they become a space, for one-line reasons. */
    readonly multiline?: boolean;
    /** Longest text kept, in UTF-16 units; longer text is cut and ends in `…`. Default 1,000. */
    readonly max?: number;
}

/** `text` without control characters, on one line unless `multiline`, and at most `max` long. */
export function printable(text: string, opts: PrintableOptions = {}): string {
    const max = opts.max ?? 1000;
    // Linear: both patterns are single-character classes. CONTROL leaves `\n` and tab alone.
    const s = text.replace(LINE_BREAK, opts.multiline === true ? "\n" : " ").replace(CONTROL, "");
    return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
