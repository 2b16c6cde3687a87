import { resourceControl } from "../../core/control";
import { unsettled } from "../../core/check";
import { eachEntry, envName } from "../../model/docker-container";
import { CREDENTIAL_NAME_SETTINGS, credentialFormat, CredentialNamesConfig, matchesAny } from "../shared/credentials";

// Kept for importers of this module: the definitions live in controls/shared/credentials.ts.
export { credentialFormat, matchesAny };

export type EnvSecretsConfig = CredentialNamesConfig;

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
        "Compose: a top-level `secrets:` entry given to the service under `secrets:` (mounted at /run/secrets/NAME), instead of `environment`/`env_file`; docker run: mount the file read-only with `-v`.",
    ],
    config: CREDENTIAL_NAME_SETTINGS,
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
