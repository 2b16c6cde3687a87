import { Finding, resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { show } from "../../kernel/values";
import { eachEntry } from "../../model/docker-container";

export interface PublishedPortsConfig {
    /** Host addresses ports may be published on; empty allows any specific address (not 0.0.0.0 / ::). */
    readonly allowedHostIps: readonly string[];
    /** Host ports below 1024 that may be published (e.g. 80 and 443 on an edge proxy). */
    readonly allowedPrivilegedPorts: readonly number[];
}

const ALL_INTERFACES: ReadonlySet<string> = new Set(["", "0.0.0.0", "::", "[::]"]);

/** CIS Docker 5.14 (legacy 5.13): bind to a host interface; 5.8 (legacy 5.7): no privileged host ports. */
export default resourceControl<"dockerContainer", PublishedPortsConfig>({
    id: "docker-container-published-ports",
    title: "Docker published ports are bound to a specific interface and are not privileged",
    description:
        "Information disclosure: a port published on 0.0.0.0 is reachable on every interface of the host, including public ones, bypassing the network design; a host port below 1024 puts a container in place of a privileged system service.",
    stride: "I",
    targets: ["docker"],
    refs: { docker: ["5.14", "5.8"], dockerLegacy: ["5.13", "5.7"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Give each docker.Container port an `ip` (e.g. `127.0.0.1` behind a local proxy, or the private interface's address); drop `publishAllPorts`.",
        "Publish on a host port of 1024 or above (`external: 8443`) and map it to the container's port; list deliberate exceptions (an edge proxy on 80/443) in `allowedPrivilegedPorts`.",
        "Swarm services cannot bind a published port to one interface: keep internal services off `endpointSpec.ports` (use an overlay network) and firewall the nodes.",
        'Compose: `ports: ["127.0.0.1:8080:80"]`; docker run: `-p 127.0.0.1:8080:80`.',
    ],
    config: {
        allowedHostIps: {
            type: "array",
            items: { type: "string", minLength: 1 },
            default: [],
            description: "Host addresses ports may be published on; empty allows any specific address.",
        },
        allowedPrivilegedPorts: {
            type: "array",
            items: { type: "integer", minimum: 1, maximum: 1023 },
            default: [],
            description: "Host ports below 1024 that may be published.",
        },
    },
    scope: "resource",
    subject: "dockerContainer",
    check(c, cfg) {
        const findings: Finding[] = [];
        const all = unsettled("publishAllPorts", c.publishAllPorts);
        if (all) findings.push(all);
        else if (c.publishAllPorts === true) {
            findings.push({
                field: "publishAllPorts",
                message: "publishes every exposed port on every host interface. Remove it and publish the needed ports on a specific address.",
            });
        }
        const portFindings = eachEntry("ports", c.ports, (p) => {
            const out: Finding[] = [];
            const hp = unsettled(p.path, p.hostPort);
            if (hp) out.push(hp);
            else if (typeof p.hostPort === "number" && p.hostPort > 0 && p.hostPort < 1024 && !cfg.allowedPrivilegedPorts.includes(p.hostPort)) {
                out.push({
                    field: p.path,
                    message: `publishes privileged host port ${p.hostPort}; publish on a port of 1024 or above and map it to the container port.`,
                });
            }
            if (p.interfaceBindable) {
                const f = unsettled(p.path, p.hostIp) ?? interfaceFinding(p.path, p.hostIp as string | undefined, p.hostPort, cfg.allowedHostIps);
                if (f) out.push(f);
            }
            return out;
        });
        return findings.concat(portFindings);
    },
});

function interfaceFinding(path: string, hostIp: string | undefined, hostPort: unknown, allowed: readonly string[]): Finding | undefined {
    const addr = hostIp === undefined ? "" : hostIp.trim();
    if (ALL_INTERFACES.has(addr)) {
        const port = typeof hostPort === "number" ? `host port ${hostPort}` : "its host port";
        return {
            field: path,
            message: `publishes ${port} on every interface (${addr === "" ? "no ip set" : show(hostIp)}); set \`ip\` to a specific host address.`,
        };
    }
    if (allowed.length > 0 && !allowed.includes(addr)) {
        return { field: path, message: `publishes on ${show(hostIp)}, which is not an allowed host address (${allowed.map((a) => show(a)).join(", ")}).` };
    }
    return undefined;
}
