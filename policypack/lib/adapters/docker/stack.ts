/** The Docker platform part of the stack model: hosts with their daemon.json, providers, log settings. */
import type { StackModel, StackResourceInput } from "../../core/stack";
import { field, str } from "../../core/values";
import { DockerHostModel } from "../../model/docker-daemon";
import { DockerEndpointRef, DockerLogConfigModel } from "../../model/docker-logging";
import { HostModel } from "../../model/host";
import { dockerHostsOf, stringMap } from "./daemon-json";
import { DOCKER_CONTAINER, DOCKER_SERVICE } from "./index";
import { DOCKER_PROVIDER } from "./platform";

const CONTAINER_LOG_PATHS = { driver: "logDriver", opts: "logOpts" } as const;
const SERVICE_LOG_PATHS = { driver: "taskSpec.logDriver.name", opts: "taskSpec.logDriver.options" } as const;

function logConfigOf(r: StackResourceInput): DockerLogConfigModel | undefined {
    const container = r.type === DOCKER_CONTAINER;
    if (!container && r.type !== DOCKER_SERVICE) return undefined;
    const name = str(field(r.props, "name"));
    const shown = typeof name === "string" && name !== "" ? name : r.name;
    if (container) {
        return {
            urn: r.urn,
            resourceName: r.name,
            provider: r.provider,
            label: `Docker container "${shown}"`,
            driver: str(field(r.props, "logDriver")),
            opts: stringMap(field(r.props, "logOpts")),
            paths: CONTAINER_LOG_PATHS,
        };
    }
    const ld = field(field(r.props, "taskSpec"), "logDriver");
    return {
        urn: r.urn,
        resourceName: r.name,
        provider: r.provider,
        label: `Docker service "${shown}"`,
        driver: str(field(ld, "name")),
        opts: stringMap(field(ld, "options")),
        paths: SERVICE_LOG_PATHS,
    };
}

export interface DockerPlatformStack {
    readonly dockerHosts: readonly DockerHostModel[];
    readonly dockerLogConfigs: readonly DockerLogConfigModel[];
    readonly dockerProviders: readonly DockerEndpointRef[];
}

export function dockerPlatformStack(base: Pick<StackModel, "resources" | "hosts">): DockerPlatformStack {
    const dockerLogConfigs: DockerLogConfigModel[] = [];
    const dockerProviders: DockerEndpointRef[] = [];
    for (const r of base.resources) {
        if (r.type === DOCKER_PROVIDER) dockerProviders.push({ urn: r.urn, name: r.name, host: str(field(r.props, "host")) });
        else {
            const lc = logConfigOf(r);
            if (lc) dockerLogConfigs.push(lc);
        }
    }
    return { dockerHosts: withSwarm(dockerHostsOf(base.hosts as readonly HostModel[]), base.resources), dockerLogConfigs, dockerProviders };
}

const REMOTE_COMMAND = "command:remote:Command";
const SWARM_INIT = /\bdocker\s+swarm\s+(?:init|join)\b/;

/** Docker hosts on which the stack runs `docker swarm init` or `join` (a remote command's `create`) are swarm nodes. */
function withSwarm(hosts: DockerHostModel[], resources: readonly StackResourceInput[]): DockerHostModel[] {
    const byHost = new Map<string, { urn: string; name: string }>();
    for (const r of resources) {
        if (r.type !== REMOTE_COMMAND) continue;
        const create = str(field(r.props, "create"));
        if (typeof create !== "string" || !SWARM_INIT.test(create.length > 65536 ? create.slice(0, 65536) : create)) continue;
        const conn = field(r.props, "connection");
        const host = str(field(conn, "host"));
        if (typeof host !== "string" || host === "") continue;
        const port = field(conn, "port");
        const key = typeof port === "number" && port !== 22 ? `${host}:${port}` : host;
        if (!byHost.has(key)) byHost.set(key, { urn: r.urn, name: r.name });
    }
    if (byHost.size === 0) return hosts;
    return hosts.map((h) => {
        const cmd = byHost.get(h.host);
        return cmd ? { ...h, swarm: { state: "active", field: `${cmd.name} create`, urn: cmd.urn } } : h;
    });
}
