/**
 * JSON text from outside (config files, engine answers) parsed with errors that give line and column and say
 * what is wrong without quoting the text: V8's own message shows the input around the error, which may hold a
 * credential (`…['AKIAIOSFO"… is not valid JSON`).
 */

export type JsonText = { ok: true; value: unknown } | { ok: false; line: number; column: number; problem: string };

export function parseJsonText(text: string): JsonText {
    try {
        return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
        return { ok: false, ...locateJsonError(text) };
    }
}

/** The 1-based line and column of the first syntax error of `text`, and what it is. */
export function locateJsonError(text: string): { line: number; column: number; problem: string } {
    const at = firstError(text);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at.offset && i < text.length; i++) {
        if (text.charCodeAt(i) === 10) {
            line++;
            lineStart = i + 1;
        }
    }
    return { line, column: at.offset - lineStart + 1, problem: at.problem };
}

/** A scanner of the JSON grammar with an explicit stack (deep nesting cannot overflow it). */
function firstError(s: string): { offset: number; problem: string } {
    let i = 0;
    const n = s.length;
    const ws = () => {
        while (i < n && (s[i] === " " || s[i] === "\t" || s[i] === "\n" || s[i] === "\r")) i++;
    };
    const fail = (problem: string) => ({ offset: i, problem: i >= n ? "unexpected end of input" : problem });
    const stack: ("{" | "[")[] = [];
    const str = (): boolean => {
        i++; // opening quote
        while (i < n) {
            const c = s.charCodeAt(i);
            if (c === 34) {
                i++;
                return true;
            }
            if (c < 0x20) return false;
            if (c === 92) {
                const e = s[i + 1];
                if (e === "u") {
                    if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) return false;
                    i += 6;
                } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
                else return false;
            } else i++;
        }
        return false;
    };
    const scalar = (): boolean => {
        for (const word of ["true", "false", "null"]) {
            if (s.startsWith(word, i)) {
                i += word.length;
                return true;
            }
        }
        const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(s.slice(i, i + 400));
        if (!m || m[0] === "" || m[0] === "-") return false;
        i += m[0].length;
        return true;
    };
    // Each turn reads one value, then what may follow it inside the open containers.
    for (;;) {
        ws();
        if (i >= n) return fail("");
        const c = s[i];
        if (c === "{" || c === "[") {
            stack.push(c);
            i++;
            ws();
            if (c === "{" && s[i] === "}") {
                stack.pop();
                i++;
            } else if (c === "[" && s[i] === "]") {
                stack.pop();
                i++;
            } else {
                if (c === "{") {
                    if (s[i] !== '"') return fail("expected a quoted property name");
                    if (!str()) return fail("invalid string");
                    ws();
                    if (s[i] !== ":") return fail("expected ':' after a property name");
                    i++;
                }
                continue;
            }
        } else if (c === '"') {
            if (!str()) return fail("invalid string");
        } else if (!scalar()) return fail("unexpected character");
        // After a value: close containers, or a comma and the next entry.
        for (;;) {
            ws();
            const top = stack[stack.length - 1];
            if (top === undefined) {
                return i < n ? fail("unexpected content after the end of the document") : { offset: n, problem: "no error" };
            }
            if (s[i] === ",") {
                i++;
                if (top === "{") {
                    ws();
                    if (s[i] !== '"') return fail("expected a quoted property name");
                    if (!str()) return fail("invalid string");
                    ws();
                    if (s[i] !== ":") return fail("expected ':' after a property name");
                    i++;
                }
                break;
            }
            if ((top === "{" && s[i] === "}") || (top === "[" && s[i] === "]")) {
                stack.pop();
                i++;
                continue;
            }
            return fail(top === "{" ? "expected ',' or '}'" : "expected ',' or ']'");
        }
    }
}
