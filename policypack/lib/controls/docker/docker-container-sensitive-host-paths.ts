import { resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { show } from "../../kernel/values";
import { boundHostPath, eachEntry, isUnder, normalizeHostPath } from "../../model/docker-container";

export interface SensitiveHostPathsConfig {
    /** Host directories that must not be bound writable (their subpaths too; "/" only itself). */
    readonly sensitivePaths: readonly string[];
    /** Read-only binds of sensitive paths pass (CIS 5.6 discourages them too; set false to fail them). */
    readonly allowReadOnly: boolean;
}

/** CIS Docker 5.6 (legacy 5.5). */
export default resourceControl<"dockerContainer", SensitiveHostPathsConfig>({
    id: "docker-container-sensitive-host-paths",
    title: "Docker containers do not bind sensitive host directories writable",
    description:
        "Information disclosure and tampering: a writable bind of /, /etc, /boot, /dev, /lib, /proc, /sys or /usr lets the container read host secrets and rewrite host binaries and configuration — a direct path to the host.",
    stride: "I",
    targets: ["docker"],
    refs: { docker: ["5.6"], dockerLegacy: ["5.5"] },
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Remove the bind mount, or bind only the specific file the container needs, read-only (`readOnly: true` on the volume or mount).",
        "Prefer named volumes or docker.Secret/config objects over host paths.",
        "Compose: `- /etc/ssl/certs:/etc/ssl/certs:ro`; docker run: `-v /etc/ssl/certs:/etc/ssl/certs:ro`.",
    ],
    config: {
        sensitivePaths: {
            type: "array",
            items: { type: "string", minLength: 1 },
            default: ["/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr"],
            description: 'Host directories that must not be bound writable (subpaths included; "/" only itself).',
        },
        allowReadOnly: { type: "boolean", default: true, description: "Read-only binds of sensitive paths pass." },
    },
    scope: "resource",
    subject: "dockerContainer",
    check(c, cfg) {
        return eachEntry("mounts", c.mounts, (m) => {
            const host = boundHostPath(m);
            const u = unsettled(m.path, host);
            if (u) return u;
            if (host === undefined) return undefined;
            const dir = cfg.sensitivePaths.find((d) => isUnder(host as string, normalizeHostPath(d)));
            if (dir === undefined) return undefined;
            if (cfg.allowReadOnly) {
                const r = unsettled(m.path, m.readOnly);
                if (r) return r;
                if (m.readOnly === true) return undefined;
            }
            const mode = m.readOnly === true ? " read-only" : m.readOnly === false || m.readOnly === undefined ? " writable" : "";
            return {
                field: m.path,
                message: `binds the sensitive host path ${show(m.source)} (under ${dir})${mode}; remove it or bind only what is needed${cfg.allowReadOnly ? ", read-only" : ""}.`,
            };
        });
    },
});
