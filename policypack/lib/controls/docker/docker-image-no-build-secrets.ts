import { unsettled } from "../../contract/check";
import { Finding, resourceControl } from "../../contract/control";
import { globMatch } from "../../engine/settings";
import { isObj } from "../../kernel/values";
import { dockerfileOf, envPairs, lineField, unquote } from "../../model/docker-image";
import envSecrets, { credentialFormat } from "./docker-container-env-secrets";

export interface BuildSecretsConfig {
    /** Name patterns (`*` wildcard, case-insensitive) that suggest a credential. */
    readonly credentialNames: readonly string[];
    /** Name patterns that pass although they match `credentialNames`. */
    readonly allowNames: readonly string[];
}

function isCredentialName(name: string, cfg: BuildSecretsConfig): boolean {
    const upper = name.toUpperCase();
    const any = (ps: readonly string[]) => ps.some((p) => globMatch(p.toUpperCase(), upper));
    return any(cfg.credentialNames) && !any(cfg.allowNames);
}

/** CIS Docker 4.10 (same id in 1.2.0), for images the stack builds. */
export default resourceControl<"dockerBuild", BuildSecretsConfig>({
    id: "docker-image-no-build-secrets",
    title: "Images the stack builds carry no credentials in ENV, ARG or build args",
    description:
        "Information disclosure: ENV values are stored in the image config and ARG and build-arg values in its history; anyone who can pull the image reads them with `docker history` or `docker inspect`, long after the build.",
    stride: "I",
    targets: ["docker"],
    refs: { docker: ["4.10"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Pass build-time credentials as BuildKit secrets: `RUN --mount=type=secret,id=npm_token …` (docker build --secret), never as ARG, build.args or ENV.",
        "Give runtime credentials to the container as secret files (docker.Secret, mounted files), not as image ENV.",
        "Rotate any credential that was baked into an image: it stays in every copy of it.",
    ],
    config: {
        credentialNames: { ...envSecrets.config.credentialNames, description: "Name patterns (`*` wildcard, case-insensitive) that suggest a credential." },
        allowNames: { ...envSecrets.config.allowNames, description: "Name patterns that pass although they match credentialNames." },
    },
    scope: "resource",
    subject: "dockerBuild",
    check(b, cfg) {
        const findings: Finding[] = [];
        const ua = unsettled("buildArgs", b.buildArgs);
        if (ua) findings.push(ua);
        else if (isObj(b.buildArgs)) {
            for (const [k, v] of Object.entries(b.buildArgs)) {
                const format = typeof v === "string" ? credentialFormat(v) : undefined;
                if (isCredentialName(k, cfg) || format) {
                    findings.push({
                        field: `build.args.${k}`,
                        message: `passes ${format ? `what looks like ${format}` : "a credential (by its name)"} as a build argument; build args are recorded in the image history. Use a BuildKit secret.`,
                    });
                }
            }
        }
        const df = dockerfileOf(b);
        if (!("stages" in df)) return [...findings, df];
        const instructions = [...df.globalArgs, ...df.stages.flatMap((s) => s.instructions)];
        for (const ins of instructions) {
            const at = lineField(b, ins.line);
            if (ins.keyword === "ARG") {
                for (const decl of ins.args.split(/\s+/).filter((w) => w !== "")) {
                    const [name, ...rest] = decl.split("=");
                    const value = rest.length > 0 ? unquote(rest.join("=")) : "";
                    const format = credentialFormat(value);
                    if (isCredentialName(name, cfg) || format) {
                        findings.push({
                            field: at,
                            message: `ARG ${name} ${format ? `defaults to what looks like ${format}` : "carries a credential (by its name)"}; ARG values are recorded in the image history. Use a BuildKit secret mount.`,
                        });
                    }
                }
            } else if (ins.keyword === "ENV") {
                for (const [name, value] of envPairs(ins.args)) {
                    const format = credentialFormat(value);
                    // Even `ENV TOKEN=$TOKEN` bakes the build argument's value into the image config.
                    if (format || (value.trim() !== "" && isCredentialName(name, cfg))) {
                        findings.push({
                            field: at,
                            message: `ENV ${name} ${format ? `holds what looks like ${format}` : "bakes a credential (by its name) into the image config"}; anyone who can pull the image can read it. Provide it at run time as a secret file.`,
                        });
                    }
                }
            } else if (ins.keyword === "RUN" || ins.keyword === "LABEL") {
                const format = credentialFormat(ins.args);
                if (format)
                    findings.push({
                        field: at,
                        message: `${ins.keyword} contains what looks like ${format}; it is stored in the image history. Use a BuildKit secret mount.`,
                    });
            }
        }
        return findings;
    },
});
