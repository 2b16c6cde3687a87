import { stackControl, StackFinding } from "../../contract/control";
import { globMatch } from "../../engine/settings";
import { UNKNOWN } from "../../kernel/values";
import { parseEndpoint } from "../../adapters/docker/endpoint";

export interface HostConfiguredConfig {
    /** Docker hosts (`*` wildcard) hardened outside this stack, e.g. by configuration management. */
    readonly externalHosts: readonly string[];
}

/**
 * The stack-level bridge between providers and hosts: the daemon and audit controls can only vouch
 * for machines whose /etc/docker and audit rules the stack writes.
 */
export default stackControl<HostConfiguredConfig>({
    id: "docker-host-configured",
    title: "Every remote Docker host the stack deploys to is configured by the stack",
    description:
        "Elevation of privilege: containers deployed to a Docker host whose daemon.json and audit rules the stack does not write run on a daemon nobody has shown to be hardened or audited; the daemon controls cannot see it.",
    stride: "E",
    targets: ["docker"],
    refs: { docker: ["1.1.3", "2.9", "2.14", "2.15"], dockerLegacy: ["1.2.3", "2.8", "2.17", "2.13"] },
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: [
        "Configure the host in the same stack: write /etc/docker/daemon.json and /etc/audit/rules.d/docker.rules with command.remote.Command (the stacks' HardenedDockerHost component does both) using the same address the provider connects to.",
        "For hosts hardened elsewhere (configuration management, a golden image), list them in `externalHosts`.",
    ],
    config: {
        externalHosts: {
            type: "array",
            items: { type: "string", minLength: 1 },
            default: [],
            description: "Docker hosts (`*` wildcard) hardened outside this stack.",
        },
    },
    scope: "stack",
    check(stack, cfg) {
        const findings: StackFinding[] = [];
        const declared = new Set(stack.dockerHosts.map((h) => h.hostname));
        const someUnknown = declared.has(undefined);
        for (const p of stack.dockerProviders) {
            const at = { urn: p.urn, subject: `Docker provider "${p.name}"`, field: "host" };
            if (p.host === undefined || (typeof p.host === "string" && p.host.trim() === "")) continue; // the local daemon
            if (p.host === UNKNOWN) {
                findings.push({ ...at, unknown: true, message: "is unknown at preview, so the host it deploys to cannot be matched yet." });
                continue;
            }
            if (typeof p.host !== "string") continue; // malformed hosts are reported by docker-provider-tls
            const ep = parseEndpoint(p.host);
            if (typeof ep === "string" || (ep.scheme !== "ssh" && ep.scheme !== "tcp") || ep.hostname === "") continue;
            if (declared.has(ep.hostname) || cfg.externalHosts.some((g) => globMatch(g, ep.hostname))) continue;
            if (someUnknown) {
                findings.push({
                    ...at,
                    unknown: true,
                    message: "names a host the stack may configure under an address unknown at preview; it cannot be matched yet.",
                });
                continue;
            }
            findings.push({
                ...at,
                message: `deploys to a remote host, but the stack writes no /etc/docker configuration or audit rules there, so its daemon cannot be shown to be hardened. Configure the host in this stack, or list it in externalHosts.`,
            });
        }
        return findings;
    },
});
