/**
 * Values a scan must never print: environment values and Secret payloads. Controls already keep values out
 * of their messages; this is the second line: every message and error of a scan is redacted with them.
 */

/** Counts by label, in first-seen order. */
export class Counter {
    private readonly counts = new Map<string, number>();
    add(label: string, n = 1): void {
        this.counts.set(label, (this.counts.get(label) ?? 0) + n);
    }
    get total(): number {
        let t = 0;
        for (const n of this.counts.values()) t += n;
        return t;
    }
    entries(): [string, number][] {
        return [...this.counts.entries()];
    }
    merge(other: Counter): void {
        for (const [k, n] of other.entries()) this.add(k, n);
    }
    /** "CustomResourceDefinition 2, cert-manager.io Certificate 1". */
    toString(): string {
        return this.entries()
            .map(([k, n]) => `${k} ${n}`)
            .join(", ");
    }
}

/** Short or everyday values (`true`, `80`) would garble messages if redacted, and hide nothing. */
export function worthRedacting(v: string): boolean {
    return v.length >= 4 && !/^(true|false|null|none|yes|no|on|off|\d{1,5})$/i.test(v);
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function addString(out: string[], v: unknown): void {
    if (typeof v === "string" && worthRedacting(v)) out.push(v);
}

/** `env: [{ name, value }]` anywhere in a Kubernetes object (containers of every pod-bearing kind). */
function envValues(v: unknown, out: string[], depth = 0): void {
    if (depth > 32) return;
    if (Array.isArray(v)) {
        for (const e of v) envValues(e, out, depth + 1);
        return;
    }
    if (!isRecord(v)) return;
    for (const [k, x] of Object.entries(v)) {
        if (k === "env" && Array.isArray(x)) {
            for (const e of x) if (isRecord(e)) addString(out, e["value"]);
        } else if (typeof x === "object") envValues(x, out, depth + 1);
    }
}

/** Sensitive values of a Kubernetes object: env values, Secret `data` (base64 and decoded) and `stringData`. */
export function sensitiveValuesOf(obj: Record<string, unknown>, kind: string): string[] {
    const out: string[] = [];
    envValues(obj, out);
    if (kind === "Secret") {
        for (const key of ["data", "stringData"]) {
            const m = obj[key];
            if (!isRecord(m)) continue;
            for (const v of Object.values(m)) {
                addString(out, v);
                if (key === "data" && typeof v === "string") addString(out, Buffer.from(v, "base64").toString("utf8"));
            }
        }
    }
    return out;
}

/** `["K=V", …]` (Compose list syntax, `Config.Env`) or `{ K: V }` → the values. */
export function envEntryValues(v: unknown): string[] {
    const out: string[] = [];
    if (Array.isArray(v)) {
        for (const e of v) if (typeof e === "string" && e.includes("=")) addString(out, e.slice(e.indexOf("=") + 1));
    } else if (isRecord(v)) {
        for (const x of Object.values(v)) addString(out, typeof x === "number" ? String(x) : x);
    }
    return out;
}

/** Replaces every sensitive value in `text`, longest first (so that a value containing another goes whole). */
export function redactAll(text: string, sensitive: ReadonlySet<string> | readonly string[]): string {
    const list = [...sensitive].sort((a, b) => b.length - a.length);
    let out = text;
    for (const s of list) if (out.includes(s)) out = out.split(s).join("[redacted]");
    return out;
}
