import { unsettled } from "../../core/check";
import { Finding, resourceControl } from "../../core/control";
import { show } from "../../core/values";
import { buildArgVars, dockerfileOf, effectiveUser, finalStage, isRootUser, lineField } from "../../model/docker-image";

/** CIS Docker 4.1 (same id in 1.2.0), for images the stack builds. */
export default resourceControl<"dockerBuild", Record<string, never>>({
    id: "docker-image-non-root-user",
    title: "Images the stack builds run as a non-root user",
    description:
        "Elevation of privilege: an image without a non-root USER runs every container as root unless each deployment overrides it; a process escape or a writable host mount then acts as root.",
    stride: "E",
    targets: ["docker"],
    refs: { docker: ["4.1"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Create a user in the final stage and switch to it last: `RUN useradd --uid 10001 --no-create-home app` then `USER 10001:10001`.",
        "Use a numeric uid so that runtimes can verify non-root without reading /etc/passwd (Kubernetes runAsNonRoot).",
        "When `build.target` selects a stage, that stage's USER is the one that counts.",
    ],
    config: {},
    scope: "resource",
    subject: "dockerBuild",
    check(b) {
        const df = dockerfileOf(b);
        if (!("stages" in df)) return [df];
        const syntax: Finding[] = df.errors.map((e) => ({ field: lineField(b, e.line, e.column), message: `${e.problem}; docker build rejects it.` }));
        const ut = unsettled("target", b.target);
        if (ut) return [...syntax, ut];
        const stage = finalStage(df, b.target as string | undefined);
        if (typeof stage === "string") {
            const target = typeof b.target === "string" && b.target !== "";
            return [
                ...syntax,
                target
                    ? { field: "target", message: `names no stage of ${lineField(b)}, so the image's user cannot be determined.` }
                    : { field: lineField(b), message: `${stage}, so the image's user cannot be determined.` },
            ];
        }
        if (syntax.length > 0) return syntax;
        const user = effectiveUser(df, stage, buildArgVars(b.buildArgs));
        switch (user.kind) {
            case "inherited":
                return [
                    {
                        field: lineField(b, stage.fromLine),
                        message: `the final stage sets no USER, so the image runs as the user of its base image ${show(user.base.split("@")[0])} (root for most images). Add \`USER <uid>\` as the last user switch.`,
                    },
                ];
            case "set":
                if (user.missing.length > 0) {
                    return [
                        {
                            field: lineField(b, user.line),
                            message: `USER uses ${user.missing.map((v) => `$${v}`).join(", ")} without a value, so the user cannot be determined. Give the ARG a default or use a literal uid.`,
                        },
                    ];
                }
                return isRootUser(user.user)
                    ? [{ field: lineField(b, user.line), message: `the final USER is ${show(user.user)}: containers run as root. Switch to a non-root uid.` }]
                    : [];
            default: {
                const never: never = user;
                return never;
            }
        }
    },
});
