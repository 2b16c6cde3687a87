import { resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { expressible } from "../../model/docker-container";

export interface CpuLimitConfig {
    /** Only a hard cap (`cpus` / `nanoCpus` / `cpuQuota`) passes; a relative `cpuShares` weight does not. */
    readonly requireHardLimit: boolean;
}

const DEFAULT_SHARES = 1024;

/** CIS Docker 5.12 (legacy 5.11). */
export default resourceControl<"dockerContainer", CpuLimitConfig>({
    id: "docker-container-cpu-limit",
    title: "Docker containers have a CPU limit or weight",
    description:
        "Denial of service: a container without a CPU limit or weight competes equally with everything on the host; one busy or compromised container can starve the others and the daemon.",
    stride: "D",
    targets: ["docker"],
    refs: { docker: ["5.12"], dockerLegacy: ["5.11"] },
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: [
        'Set `cpus` (e.g. "0.5") on the docker.Container for a hard cap, or `cpuShares` (a weight other than the default 1024) for priority; docker.Service: `taskSpec.resources.limits.nanoCpus`.',
        "Compose: `cpus: 0.5` (v2) or `deploy.resources.limits.cpus`; docker run: `--cpus 0.5` or `--cpu-shares 512`.",
    ],
    config: {
        requireHardLimit: { type: "boolean", default: false, description: "Only a hard CPU cap passes; a cpuShares weight alone fails." },
    },
    scope: "resource",
    subject: "dockerContainer",
    check(c, cfg) {
        const unknowns = [];
        for (const f of ["nanoCpus", "cpuQuota"] as const) {
            const v = c[f];
            if (typeof v === "number" && v > 0) return [];
            const u = unsettled(f, v);
            if (u) unknowns.push(u);
        }
        if (!cfg.requireHardLimit) {
            if (typeof c.cpuShares === "number" && c.cpuShares > 0 && c.cpuShares !== DEFAULT_SHARES) return [];
            const u = unsettled("cpuShares", c.cpuShares);
            if (u) unknowns.push(u);
        }
        if (unknowns.length > 0) return unknowns;
        const field = expressible(c, "nanoCpus") ? "nanoCpus" : "cpuShares";
        const shares =
            typeof c.cpuShares === "number" ? ` (cpuShares ${c.cpuShares} ${c.cpuShares === DEFAULT_SHARES ? "is the default weight" : "is not a limit"})` : "";
        return [
            {
                field,
                message: cfg.requireHardLimit
                    ? `no hard CPU cap is set${shares}; set a CPU limit so that the container cannot starve the host.`
                    : `neither a CPU limit nor a CPU weight is set${shares}; set a CPU limit (or a cpuShares weight other than 1024).`,
            },
        ];
    },
});
