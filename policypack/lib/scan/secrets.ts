/**
 * Values a scan must never print: Secret payloads, and environment values that are credentials — under a
 * credential-named variable (the controls' own name patterns, `controls/shared/credentials.ts`) or shaped
 * like one (a known key format, a long high-entropy token). Controls already keep values out of their
 * messages; this is the second line: the engine redacts these values where a message shows them as values
 * (kernel/redact.ts). Other env values (`NODE_ENV=production`, `DATA_DIR=/data`) are configuration, not
 * secrets, and are never redacted.
 */
import { redact } from "../kernel/redact";
import { CREDENTIAL_NAME_SETTINGS, credentialFormat, isCredentialName } from "../controls/shared/credentials";

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

const DEFAULT_NAMES = {
    credentialNames: CREDENTIAL_NAME_SETTINGS.credentialNames.default,
    allowNames: CREDENTIAL_NAME_SETTINGS.allowNames.default,
};

/** Bits per character of a string's own character distribution. */
function entropy(v: string): number {
    const counts = new Map<string, number>();
    for (const c of v) counts.set(c, (counts.get(c) ?? 0) + 1);
    let bits = 0;
    for (const n of counts.values()) bits -= (n / v.length) * Math.log2(n / v.length);
    return bits;
}

/**
 * A value that is a credential whatever its variable is called: a known key format, or a token — 20 to 4096
 * characters of one "word" mixing letters and digits with at least 3.5 bits of entropy per character (hex and
 * base64 secrets; not paths, URLs without a password, versions or words).
 */
export function looksLikeToken(v: string): boolean {
    if (credentialFormat(v) !== undefined) return true;
    return v.length >= 20 && v.length <= 4096 && /^[A-Za-z0-9+=_~-]+$/.test(v) && /\d/.test(v) && /[A-Za-z]/.test(v) && entropy(v) >= 3.5;
}

/** An environment variable's value, if it is a secret (see above). */
function addEnv(out: string[], name: unknown, v: unknown): void {
    if (typeof v !== "string" || !worthRedacting(v)) return;
    if ((typeof name === "string" && isCredentialName(DEFAULT_NAMES, name)) || looksLikeToken(v)) out.push(v);
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
            for (const e of x) if (isRecord(e)) addEnv(out, e["name"], e["value"]);
        } else if (typeof x === "object") envValues(x, out, depth + 1);
    }
}

/** Sensitive values of a Kubernetes object: secret env values, Secret `data` (base64 and decoded) and `stringData`. */
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

/** `["K=V", …]` (Compose list syntax, `Config.Env`) or `{ K: V }` → the values that are secrets. */
export function envEntryValues(v: unknown): string[] {
    const out: string[] = [];
    if (Array.isArray(v)) {
        for (const e of v) if (typeof e === "string" && e.includes("=")) addEnv(out, e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1));
    } else if (isRecord(v)) {
        for (const [k, x] of Object.entries(v)) addEnv(out, k, typeof x === "number" ? String(x) : x);
    }
    return out;
}

/** Redacts sensitive values where `text` shows them as values (kernel/redact.ts), as "[redacted]". */
export function redactAll(text: string, sensitive: readonly string[]): string {
    return redact(text, sensitive, false, "[redacted]");
}
