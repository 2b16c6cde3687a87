import { resourceControl } from "../../core/control";
import { show } from "../../core/values";
import { eachEntry, securityOpt } from "../../model/docker-container";

export interface SelinuxConfig {
    /** SELinux process types that may be given (e.g. a vetted custom type); spc_t and unconfined_t are never confined. */
    readonly allowedTypes: readonly string[];
}

/** SELinux types that run a process unconfined: the super-privileged container type and the unconfined domain. */
const UNCONFINED_TYPES = new Set(["spc_t", "unconfined_t"]);

/** CIS Docker 5.3 (legacy 5.2): SELinux security options. */
export default resourceControl<"dockerContainer", SelinuxConfig>({
    id: "docker-container-selinux",
    title: "Docker containers keep their SELinux confinement",
    description:
        "Elevation of privilege: on an SELinux host, every container runs in the confined `container_t` domain with its own MCS label, so a process that escapes its namespaces still cannot read other containers' or the host's files. `label=disable` (or a `spc_t` / `unconfined_t` type) switches that confinement off for the container.",
    stride: "E",
    targets: ["docker"],
    refs: { docker: ["5.3"], dockerLegacy: ["5.2"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Remove `label=disable` (and `label=type:spc_t` / `label=type:unconfined_t`) from the docker.Container's `securityOpts`; give a relabelled volume (`:z`/`:Z`) to a container that needs host files instead.",
        "Where a workload needs more than `container_t`, write a policy module for it (e.g. with udica) and list its type in `allowedTypes`.",
        "Compose: drop `label=disable` / `label:disable` from `security_opt`; docker run: drop `--security-opt label=disable`.",
    ],
    config: {
        allowedTypes: {
            type: "array",
            items: { type: "string", minLength: 1 },
            default: [],
            description: "SELinux types that may be given with label=type:….",
        },
    },
    scope: "resource",
    subject: "dockerContainer",
    check(c, cfg) {
        // The engine adds label=disable to every privileged container: that fact is docker-container-not-privileged's.
        if (c.privileged === true) return [];
        return eachEntry("securityOpts", c.securityOpts, (entry) => {
            const { key, value } = securityOpt(entry);
            if (key !== "label" || value === undefined) return undefined;
            const v = value.trim().toLowerCase();
            if (v === "disable") {
                return {
                    field: "securityOpts",
                    message: "disables SELinux labelling (label=disable, CIS 5.3): the container runs unconfined on an SELinux host. Remove it.",
                };
            }
            const t = /^type[:=](.*)$/i.exec(value.trim());
            if (t && UNCONFINED_TYPES.has(t[1].trim()) && !cfg.allowedTypes.includes(t[1].trim())) {
                return {
                    field: "securityOpts",
                    message: `runs the container in the SELinux type ${show(t[1].trim())}, which is not confined (CIS 5.3). Remove it, or use a policy module written for the workload.`,
                };
            }
            return undefined;
        });
    },
});
