import { Finding, resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { Invalid, UNKNOWN } from "../../kernel/values";
import { DockerContainerModel, DockerUlimit, expressible } from "../../model/docker-container";

export interface PidsLimitConfig {
    /** Largest PIDs limit allowed; 0 allows any positive limit. */
    readonly maxPids: number;
    /** Limit a remediation sets where the source can express one. */
    readonly remediationPidsLimit: number;
    /** Where no PIDs limit can be expressed, a positive `nproc` ulimit (soft and hard) passes instead. */
    readonly acceptNprocUlimit: boolean;
    /** The hosts bound every container's tasks (systemd `TasksMax` on the runtime's slice); pass sources that cannot set a limit. */
    readonly hostEnforced: boolean;
}

/** The `nproc` ulimit, when set: the smaller positive of soft and hard; 0 when set but not positive. */
function nproc(c: DockerContainerModel): Finding | number | undefined {
    const u = unsettled("ulimits", c.ulimits);
    if (u) return u;
    for (const l of (c.ulimits as readonly DockerUlimit[] | undefined) ?? []) {
        if (l.name === UNKNOWN) return unsettled("ulimits", UNKNOWN);
        if (l.name !== "nproc") continue;
        for (const v of [l.soft, l.hard]) if (v === UNKNOWN || v instanceof Invalid) return unsettled("ulimits", v);
        const soft = typeof l.soft === "number" ? l.soft : 0;
        const hard = typeof l.hard === "number" ? l.hard : 0;
        return soft > 0 && hard > 0 ? Math.min(soft, hard) : 0;
    }
    return undefined;
}

/** CIS Docker 5.29 (legacy 5.28). */
export default resourceControl<"dockerContainer", PidsLimitConfig>({
    id: "docker-container-pids-limit",
    title: "Docker containers have a PIDs limit",
    description:
        "Denial of service: without a PIDs cgroup limit, a fork bomb or a leak of threads in one container exhausts the host's process table and takes every container and the daemon down.",
    stride: "D",
    targets: ["docker"],
    refs: { docker: ["5.29"], dockerLegacy: ["5.28"] },
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: [
        "Compose: `pids_limit: 512` (or `deploy.resources.limits.pids`); docker run: `--pids-limit 512`.",
        'The Pulumi Docker provider (5.x) has no PIDs-limit input: on a docker.Container set an `nproc` ulimit (`ulimits: [{ name: "nproc", soft: 512, hard: 512 }]`) and run it as a dedicated non-root user (nproc counts that user\'s processes on the host and does not bind root).',
        "docker.Service task specs cannot carry a PIDs limit either: bound tasks on every node with systemd `TasksMax=` on the container runtime's slice, then set `hostEnforced: true`.",
    ],
    config: {
        maxPids: { type: "integer", minimum: 0, default: 0, description: "Largest PIDs limit allowed; 0 allows any positive limit." },
        remediationPidsLimit: { type: "integer", minimum: 16, default: 512, description: "PIDs limit a remediation sets where the source can express one." },
        acceptNprocUlimit: { type: "boolean", default: true, description: "Where no PIDs limit can be expressed, a positive nproc ulimit passes." },
        hostEnforced: { type: "boolean", default: false, description: "Hosts bound every container's tasks; pass sources that cannot set a PIDs limit." },
    },
    scope: "resource",
    subject: "dockerContainer",
    check(c, cfg) {
        const within = cfg.maxPids > 0 ? ` (at most ${cfg.maxPids})` : "";
        if (expressible(c, "pidsLimit")) {
            const u = unsettled("pidsLimit", c.pidsLimit);
            if (u) return [u];
            const n = c.pidsLimit as number | undefined;
            if (n === undefined || n <= 0)
                return [{ field: "pidsLimit", message: `no PIDs limit is set, so a fork bomb can exhaust the host's process table. Set one${within}.` }];
            if (cfg.maxPids > 0 && n > cfg.maxPids)
                return [{ field: "pidsLimit", message: `the PIDs limit of ${n} exceeds the allowed maximum of ${cfg.maxPids}.` }];
            return [];
        }
        if (cfg.hostEnforced) return [];
        if (cfg.acceptNprocUlimit && expressible(c, "ulimits")) {
            const n = nproc(c);
            if (typeof n === "object") return [n];
            if (n !== undefined && n > 0) {
                return cfg.maxPids > 0 && n > cfg.maxPids
                    ? [{ field: "ulimits", message: `the nproc ulimit of ${n} exceeds the allowed maximum of ${cfg.maxPids}.` }]
                    : [];
            }
            return [
                {
                    field: "ulimits",
                    message: `no PIDs limit can be set through this provider and no positive nproc ulimit is set; add \`{ name: "nproc", soft: ${cfg.remediationPidsLimit}, hard: ${cfg.remediationPidsLimit} }\` to ulimits and run as a dedicated non-root user, or bound tasks on the host and set hostEnforced.`,
                },
            ];
        }
        return [
            {
                message: `a PIDs limit cannot be expressed for this ${c.role === "serviceTask" ? "Swarm service task" : "container"}; bound tasks on every host (systemd TasksMax on the runtime's slice) and set hostEnforced: true.`,
            },
        ];
    },
    remediate(c, cfg) {
        if (!expressible(c, "pidsLimit")) return [];
        const n = c.pidsLimit;
        if (n !== undefined && !(typeof n === "number" && n <= 0)) return [];
        const limit = cfg.maxPids > 0 ? Math.min(cfg.remediationPidsLimit, cfg.maxPids) : cfg.remediationPidsLimit;
        return [{ field: "pidsLimit", value: limit }];
    },
});
