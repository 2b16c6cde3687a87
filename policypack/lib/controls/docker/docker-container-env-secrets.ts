import { resourceControl } from "../../core/control";
import { unsettled } from "../../core/check";
import { compileGlob, Glob, globTest } from "../../core/glob";
import { eachEntry, envName } from "../../model/docker-container";

export interface EnvSecretsConfig {
    /** Variable-name patterns (`*` wildcard, case-insensitive) that suggest a credential. */
    readonly credentialNames: readonly string[];
    /** Name patterns that pass even when they match `credentialNames` (file paths, public keys, key ids). */
    readonly allowNames: readonly string[];
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
 * `patterns.some((p) => globMatch(p.toUpperCase(), upperName))` with the list compiled once (settings are
 * immutable): linear-time globs, never a backtracking regex (a name of many `_` against `*_*_*_KEY` would hang one).
 */
export function matchesAny(patterns: readonly string[], upperName: string): boolean {
    let globs = compiled.get(patterns);
    if (globs === undefined) compiled.set(patterns, (globs = patterns.map((p) => compileGlob(p.toUpperCase()))));
    for (const g of globs) if (globTest(g, upperName)) return true;
    return false;
}

const compiled = new WeakMap<readonly string[], readonly Glob[]>();

/** CIS Docker 4.10 (same id in 1.2.0). */
export default resourceControl<"dockerContainer", EnvSecretsConfig>({
    id: "docker-container-env-secrets",
    title: "Docker containers do not receive secrets in environment variables",
    description:
        "Information disclosure: environment variables are readable by anyone who can `docker inspect` the container, by every process in it (/proc/*/environ), by crash reporters and child processes, and they land in Pulumi state and Compose files in plain text.",
    stride: "I",
    targets: ["docker"],
    refs: { docker: ["4.10"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Deliver the credential as a file: a docker.Secret on a docker.Service (`taskSpec.containerSpec.secrets`), or a read-only mounted file on a docker.Container, and point the application at it (e.g. `DB_PASSWORD_FILE=/run/secrets/db_password`).",
        "Rotate any credential that was already passed in an environment variable: it is in Pulumi state and in `docker inspect` output.",
        "If a variable only looks like a credential (a key id, a public key, a path), add its name pattern to `allowNames`.",
    ],
    config: {
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
    },
    scope: "resource",
    subject: "dockerContainer",
    check(c, cfg) {
        return eachEntry("env", c.env, (v) => {
            const n = unsettled(v.path, v.name);
            if (n) return n;
            const name = v.name as string;
            const upper = name.toUpperCase();
            const named = matchesAny(cfg.credentialNames, upper) && !matchesAny(cfg.allowNames, upper);
            if (named && v.value !== "") {
                return {
                    field: v.path,
                    message: `environment variable ${envName(name)} carries a credential (by its name); env is readable through docker inspect and /proc. Pass it as a secret file instead.`,
                };
            }
            if (typeof v.value !== "string") return undefined;
            const format = credentialFormat(v.value);
            return format === undefined
                ? undefined
                : {
                      field: v.path,
                      message: `environment variable ${envName(name)} holds what looks like ${format}; pass it as a secret file instead and rotate it.`,
                  };
        });
    },
});
