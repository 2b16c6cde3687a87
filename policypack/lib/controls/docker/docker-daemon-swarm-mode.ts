import { stackControl, StackFinding } from "../../core/control";
import { UNKNOWN } from "../../core/values";
import { dockerHostSubject, hostExempt } from "../../model/docker-daemon";

export interface SwarmModeConfig {
    /** Hosts (as the finding names them: an engine endpoint or a host name) that are Swarm nodes on purpose. */
    readonly swarmHosts: readonly string[];
}

const DOCKER_SERVICE = "docker:index/service:Service";

/** States in which the engine takes part in a swarm (or is about to). */
const IN_SWARM = new Set(["active", "pending", "locked", "error"]);

/**
 * CIS Docker 5.1: swarm mode not enabled where it is not needed. A live engine shows its state (`GET /info`);
 * a stack shows it only where it runs `docker swarm init|join` on a host (daemon.json has no such setting).
 */
export default stackControl<SwarmModeConfig>({
    id: "docker-daemon-swarm-mode",
    title: "Docker engines are not in swarm mode unless they run Swarm services",
    description:
        "Information disclosure: a node in swarm mode listens for cluster management (2377/tcp on managers), node gossip (7946) and overlay traffic (4789/udp), and a manager holds the swarm's join tokens and Raft log with its secrets; an engine that runs no Swarm services exposes all of that for nothing.",
    stride: "I",
    targets: ["docker"],
    refs: { docker: ["5.1"] },
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: [
        "On an engine that runs no Swarm services, leave the swarm: `docker swarm leave` (`--force` on the last manager).",
        "Where swarm mode is needed, list the engine in `swarmHosts`, restrict 2377/7946/4789 to the other nodes, and enable autolock (`docker swarm update --autolock=true`).",
    ],
    config: {
        swarmHosts: { type: "array", items: { type: "string", minLength: 1 }, default: [], description: "Engines that are Swarm nodes on purpose." },
    },
    scope: "stack",
    check(stack, cfg) {
        // A stack that declares Swarm services needs swarm mode on the engine its provider talks to.
        if (stack.resources.some((r) => r.type === DOCKER_SERVICE)) return [];
        const findings: StackFinding[] = [];
        for (const h of stack.dockerHosts) {
            if (h.swarm === undefined || hostExempt(cfg, h) || cfg.swarmHosts.includes(h.host)) continue;
            const state = h.swarm.state;
            const base = { urn: h.swarm.urn ?? h.anchor.urn, subject: dockerHostSubject(h), field: h.swarm.field };
            if (state === UNKNOWN) continue; // an engine that does not report it (very old API): nothing to judge
            if (typeof state !== "string" || !IN_SWARM.has(state)) continue;
            findings.push({
                ...base,
                message: `is "${state}": the engine is a swarm node, listening for cluster management and gossip, though no Swarm service is declared. Leave the swarm (\`docker swarm leave\`), or list the engine in swarmHosts.`,
            });
        }
        return findings;
    },
});
