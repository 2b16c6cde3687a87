import { resourceControl } from "../../contract/control";
import { MIB, unsettled } from "../../contract/check";

export interface MemoryLimitConfig {
    /** Largest memory limit allowed, in MB; 0 allows any size. */
    readonly maxMemoryMb: number;
    /** Limit a remediation sets on a container that has none, in MB. */
    readonly remediationMemoryMb: number;
}

/** CIS Docker 5.11 (legacy 5.10): an unbounded container can exhaust host memory and take its neighbours down. */
export default resourceControl<"dockerContainer", MemoryLimitConfig>({
    id: "docker-container-memory-limit",
    title: "Docker containers have a memory limit",
    description: "Denial of service: a container without a memory limit can consume all of the host's memory, starving the daemon and every other container.",
    stride: "D",
    targets: ["docker"],
    refs: { docker: ["5.11"], dockerLegacy: ["5.10"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Set `memory` (MB) on the docker.Container, or `taskSpec.resources.limits.memoryBytes` on a docker.Service.",
        "Size it from the application's observed peak plus headroom; keep it at or below the configured maximum.",
        "Compose: `mem_limit` (v2) or `deploy.resources.limits.memory` (v3); docker run: `--memory`.",
    ],
    config: {
        maxMemoryMb: { type: "integer", minimum: 0, default: 4096, description: "Largest memory limit allowed (MB); 0 allows any size." },
        remediationMemoryMb: { type: "integer", minimum: 6, default: 512, description: "Memory limit (MB) a remediation sets on a container without one." },
    },
    scope: "resource",
    subject: "dockerContainer",
    check(c, cfg) {
        const u = unsettled("memoryBytes", c.memoryBytes);
        if (u) return [u];
        const bytes = c.memoryBytes as number | undefined;
        if (bytes === undefined || bytes <= 0) {
            return [
                {
                    field: "memoryBytes",
                    message: `no memory limit is set, so the container can exhaust host memory. Set a limit${cfg.maxMemoryMb > 0 ? ` of at most ${cfg.maxMemoryMb} MB` : ""}.`,
                },
            ];
        }
        if (cfg.maxMemoryMb > 0 && bytes > cfg.maxMemoryMb * MIB) {
            return [
                { field: "memoryBytes", message: `the memory limit of ${Math.ceil(bytes / MIB)} MB exceeds the allowed maximum of ${cfg.maxMemoryMb} MB.` },
            ];
        }
        return [];
    },
    remediate(c, cfg) {
        const bytes = c.memoryBytes;
        if (bytes !== undefined && !(typeof bytes === "number" && bytes <= 0)) return [];
        const mb = cfg.maxMemoryMb > 0 ? Math.min(cfg.remediationMemoryMb, cfg.maxMemoryMb) : cfg.remediationMemoryMb;
        return [{ field: "memoryBytes", value: mb * MIB }];
    },
});
