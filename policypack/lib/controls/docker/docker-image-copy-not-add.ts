import { Finding, resourceControl } from "../../contract/control";
import { dockerfileOf, lineField } from "../../model/docker-image";

export interface CopyNotAddConfig {
    /** Allow `ADD` of local files (tar archives are unpacked); URLs and git sources are always reported. */
    readonly allowLocalAdd: boolean;
}

const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@)/i;

/** Sources of an ADD: JSON (exec) form or whitespace-separated; the last word is the destination. */
function addSources(args: string): string[] {
    if (args.startsWith("[")) {
        try {
            const a: unknown = JSON.parse(args);
            if (Array.isArray(a) && a.every((x) => typeof x === "string")) return (a as string[]).slice(0, -1);
        } catch {
            // fall through to the shell form
        }
    }
    return args
        .split(/\s+/)
        .filter((w) => w !== "")
        .slice(0, -1);
}

/** CIS Docker 4.9 (same id in 1.2.0). */
export default resourceControl<"dockerBuild", CopyNotAddConfig>({
    id: "docker-image-copy-not-add",
    title: "Dockerfiles fetch nothing with ADD from URLs",
    description:
        "Tampering: `ADD https://…` downloads whatever the server returns at build time, unverified, straight into the image; ADD also unpacks archives, so a crafted archive can place files anywhere in the image.",
    stride: "T",
    targets: ["docker"],
    refs: { docker: ["4.9"] },
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Use COPY for local files.",
        "For remote files, download in a RUN step and verify a pinned checksum (`curl -fsSLo f URL && echo 'SHA256  f' | sha256sum -c -`), or use `ADD --checksum=sha256:… URL`.",
        "For git sources, clone a pinned commit in a build stage instead of `ADD git@…`.",
    ],
    config: {
        allowLocalAdd: { type: "boolean", default: true, description: "Allow ADD of local files; remote sources are always reported." },
    },
    scope: "resource",
    subject: "dockerBuild",
    check(b, cfg) {
        const df = dockerfileOf(b);
        if (!("stages" in df)) return [df];
        const findings: Finding[] = [];
        for (const stage of df.stages) {
            for (const ins of stage.instructions) {
                if (ins.keyword !== "ADD") continue;
                const sources = addSources(ins.args).filter((s) => !s.startsWith("<<"));
                const remote = sources.filter((s) => REMOTE.test(s));
                const verified = ins.flags["checksum"] !== undefined && ins.flags["checksum"] !== "" && remote.every((s) => /^https?:\/\//i.test(s));
                if (remote.length > 0 && !verified) {
                    findings.push({
                        field: lineField(b, ins.line),
                        message: `ADD fetches ${remote.length === 1 ? "a remote source" : `${remote.length} remote sources`} without a pinned checksum, so whatever the server returns goes into the image. Download and verify in RUN, or add --checksum=sha256:….`,
                    });
                } else if (remote.length === 0 && !cfg.allowLocalAdd) {
                    findings.push({ field: lineField(b, ins.line), message: "ADD copies local files (and unpacks archives). Use COPY." });
                }
            }
        }
        return findings;
    },
});
