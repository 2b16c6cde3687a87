import { Finding, resourceControl } from "../../core/control";
import { unsettled } from "../../core/check";
import { envName } from "../../model/docker-container";
import { PlainEnvVar } from "../../model/kubernetes-container";
import { CREDENTIAL_NAME_SETTINGS, credentialFormat, CredentialNamesConfig, isCredentialName, matchesAny } from "../shared/credentials";

/**
 * Flags whose value is a password by their name. Narrower than the variable-name patterns on purpose:
 * `--secret-name`, `--token-ttl` or `--tls-private-key-file` name a reference, a duration or a path.
 */
const PASSWORD_FLAGS = ["*PASSWORD*", "*PASSWD*"];

/** `$(VAR)` alone: Kubernetes expands it from another variable, so nothing is written here. */
const REFERENCE_ONLY = /^\$\([A-Za-z_][\w.-]*\)$/;

const FLAG = /^--?([A-Za-z][\w.-]*)(?:=([\s\S]*))?$/;

const written = (v: string) => v.trim() !== "" && !REFERENCE_ONLY.test(v.trim());

/** CIS Kubernetes 5.4.1 area (Kubescape C-0012): credentials written into the pod spec. */
export default resourceControl<"kubernetesContainer", CredentialNamesConfig>({
    id: "kubernetes-hardcoded-credentials",
    title: "Kubernetes containers get no credentials written into their spec",
    description:
        "Information disclosure: a password or key written as an `env` value or a command-line argument is stored in plain text in the manifest, in Git, in Pulumi state, in etcd (unencrypted unless encryption at rest covers pods) and shown by `kubectl get -o yaml` to anyone who may read the workload; arguments are also visible in the node's process list.",
    stride: "I",
    targets: ["kubernetes"],
    refs: { kubernetes: ["5.4.1"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Move the value into a Secret (a Pulumi secret in the program) and mount it as a file; point the application at the file (e.g. `DB_PASSWORD_FILE=/run/secrets/db/password`).",
        "Pass command-line credentials through a file flag (`--password-file`) or from a mounted Secret, never as `--password=…`.",
        "Rotate every credential that was written into a manifest: it is in the repository history and the state.",
        "If a variable only looks like a credential (a key id, a public key, a path), add its name pattern to `allowNames`.",
    ],
    config: CREDENTIAL_NAME_SETTINGS,
    scope: "resource",
    subject: "kubernetesContainer",
    check(c, cfg) {
        const findings: Finding[] = [];
        const env = unsettled("plainEnv", c.plainEnv);
        if (env) findings.push(env);
        else for (const v of (c.plainEnv as readonly PlainEnvVar[] | undefined) ?? []) findings.push(...envFinding(v, cfg));
        for (const list of ["command", "args"] as const) {
            const u = unsettled(list, c[list]);
            if (u) {
                findings.push(u);
                continue;
            }
            const words = (c[list] as readonly string[] | undefined) ?? [];
            words.forEach((_w, i) => {
                const f = argFinding(words, i);
                if (f) findings.push({ field: `${c.paths[list] ?? list}[${i}]`, message: f });
            });
        }
        return findings;
    },
});

function envFinding(v: PlainEnvVar, cfg: CredentialNamesConfig): Finding[] {
    const n = unsettled(v.path, v.name);
    if (n) return [n];
    const name = v.name as string | undefined;
    if (name === undefined) return [];
    const field = `${v.path}.value`;
    if (v.value === undefined) return [];
    if (typeof v.value !== "string") {
        // A value unknown at preview or malformed: only a credential-named variable needs it settled.
        const u = isCredentialName(cfg, name) ? unsettled(field, v.value) : undefined;
        return u ? [u] : [];
    }
    if (isCredentialName(cfg, name) && written(v.value)) {
        return [
            {
                field,
                message: `environment variable ${envName(name)} carries a credential (by its name) written into the spec. Read it from a mounted Secret instead.`,
            },
        ];
    }
    const format = credentialFormat(v.value);
    return format === undefined
        ? []
        : [
              {
                  field,
                  message: `environment variable ${envName(name)} holds what looks like ${format}, written into the spec. Read it from a mounted Secret instead, and rotate it.`,
              },
          ];
}

/** What is wrong with argument `i`: a password flag with a written value, or a value in a known credential format. */
function argFinding(words: readonly string[], i: number): string | undefined {
    const w = words[i];
    const m = FLAG.exec(w);
    if (m) {
        const flag = m[1];
        const isPassword = matchesAny(PASSWORD_FLAGS, flag.toUpperCase().replace(/[-.]/g, "_")) && !/(FILE|PATH|DIR)$/i.test(flag);
        if (isPassword) {
            const value = m[2] ?? (i + 1 < words.length && !words[i + 1].startsWith("-") ? words[i + 1] : undefined);
            if (value !== undefined && written(value))
                return `passes a password on the command line (--${safeFlag(flag)}); it is in the spec and the node's process list. Read it from a mounted Secret file instead.`;
        }
        if (m[2] !== undefined) {
            const format = credentialFormat(m[2]);
            if (format)
                return `passes what looks like ${format} on the command line (--${safeFlag(flag)}). Read it from a mounted Secret file instead, and rotate it.`;
        }
        return undefined;
    }
    // The value of a preceding `--password` is reported there.
    const prev = i > 0 ? FLAG.exec(words[i - 1]) : null;
    if (prev && prev[2] === undefined && matchesAny(PASSWORD_FLAGS, prev[1].toUpperCase().replace(/[-.]/g, "_"))) return undefined;
    const format = credentialFormat(w);
    return format ? `holds what looks like ${format}. Read it from a mounted Secret file instead, and rotate it.` : undefined;
}

function safeFlag(flag: string): string {
    return /^[\w.-]{1,64}$/.test(flag) ? flag : "(a flag with an unusual name)";
}
