import { resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { show } from "../../kernel/values";
import { eachEntry } from "../../model/docker-container";

export interface MountPropagationConfig {
    /** Propagation modes that fail. */
    readonly forbiddenModes: readonly string[];
}

/** CIS Docker 5.20 (legacy 5.19). */
export default resourceControl<"dockerContainer", MountPropagationConfig>({
    id: "docker-container-mount-propagation",
    title: "Docker bind mounts do not use shared mount propagation",
    description:
        "Tampering: with shared propagation, mounts the container makes under the bind mount appear on the host (and the reverse), so a compromised container can change what the host and other containers see.",
    stride: "T",
    targets: ["docker"],
    refs: { docker: ["5.20"], dockerLegacy: ["5.19"] },
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: [
        'Remove `bindOptions.propagation: "shared"`/`"rshared"` from the mount, or use `rprivate` (Docker\'s default) or `rslave` where host mounts must reach the container.',
        "Compose: drop `bind.propagation: shared`; docker run: drop `:shared`/`:rshared` from `-v`/`--mount`.",
    ],
    config: {
        forbiddenModes: { type: "array", items: { type: "string", minLength: 1 }, default: ["shared", "rshared"], description: "Propagation modes that fail." },
    },
    scope: "resource",
    subject: "dockerContainer",
    check(c, cfg) {
        return eachEntry("mounts", c.mounts, (m) => {
            const u = unsettled(m.path, m.propagation);
            if (u) return u;
            if (typeof m.propagation === "string" && cfg.forbiddenModes.includes(m.propagation.toLowerCase())) {
                return {
                    field: m.path,
                    message: `the mount uses ${show(m.propagation)} propagation, so mounts made inside the container reach the host. Use rprivate (the default) or rslave.`,
                };
            }
            return undefined;
        });
    },
});
