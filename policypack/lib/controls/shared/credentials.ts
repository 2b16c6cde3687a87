/**
 * What looks like a credential, shared by every control that looks for one (Docker env and build
 * arguments, Kubernetes env values, arguments and ConfigMaps): one definition of the names and formats.
 */

export interface CredentialNamesConfig {
    /** Variable-name patterns (`*` wildcard, case-insensitive) that suggest a credential. */
    readonly credentialNames: readonly string[];
    /** Name patterns that pass even when they match `credentialNames` (file paths, public keys, key ids). */
    readonly allowNames: readonly string[];
}

/** The settings of the name patterns, with their defaults. */
export const CREDENTIAL_NAME_SETTINGS = {
    credentialNames: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: ["*PASSWORD*", "*PASSWD*", "*SECRET*", "*TOKEN*", "*KEY*", "*CREDENTIAL*"],
        description: "Variable-name patterns (`*` wildcard, case-insensitive) that suggest a credential.",
    },
    allowNames: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: ["*_FILE", "*_PATH", "*_DIR", "*_URL", "*_URI", "*_ENDPOINT", "*PUBLIC_KEY*", "*KEY_ID"],
        description: "Name patterns that pass although they match `credentialNames` (URLs are still checked for embedded passwords).",
    },
} as const;

/** True when `name` matches a credential pattern and no allow pattern. */
export function isCredentialName(cfg: CredentialNamesConfig, name: string): boolean {
    const upper = name.toUpperCase();
    return matchesAny(cfg.credentialNames, upper) && !matchesAny(cfg.allowNames, upper);
}

/** Known credential formats; matching a value names the format, never the value. */
const KEY_FORMATS: readonly { readonly what: string; readonly re: RegExp }[] = [
    { what: "an AWS access key id", re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
    { what: "a PEM private key", re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
    { what: "a GitHub token", re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/ },
    { what: "a Slack token", re: /\bxox[abeoprs]-[A-Za-z0-9-]{10,}/ },
    { what: "a Slack webhook URL", re: /hooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]+/ },
    { what: "a Google API key", re: /\bAIza[0-9A-Za-z_-]{35}/ },
    { what: "a Stripe live key", re: /\b[rs]k_live_[0-9A-Za-z]{16,}/ },
    { what: "a URL with an embedded password", re: /^[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:[^\s@/]+@/i },
];

/** Longest value scanned for key formats; keys sit near the start of any value that holds one. */
const SCAN_LIMIT = 64 * 1024;

export function credentialFormat(value: string): string | undefined {
    const v = value.length > SCAN_LIMIT ? value.slice(0, SCAN_LIMIT) : value;
    for (const f of KEY_FORMATS) if (f.re.test(v)) return f.what;
    return undefined;
}

/**
 * `patterns.some((p) => globMatch(p.toUpperCase(), upperName))` as one regex per pattern list (settings are
 * immutable, so the list is compiled once): one test per variable instead of an upper-casing and a test per pattern.
 */
export function matchesAny(patterns: readonly string[], upperName: string): boolean {
    let re = compiled.get(patterns);
    if (re === undefined) compiled.set(patterns, (re = anyOf(patterns)));
    return re !== null && re.test(upperName);
}

const compiled = new WeakMap<readonly string[], RegExp | null>();

/** The anchored alternation of the patterns' globMatch regexes; null for no patterns (nothing matches). */
function anyOf(patterns: readonly string[]): RegExp | null {
    if (patterns.length === 0) return null;
    const glob = (p: string) =>
        p
            .split("*")
            .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
            .join(".*");
    return new RegExp(`^(?:${patterns.map((p) => glob(p.toUpperCase())).join("|")})$`);
}
