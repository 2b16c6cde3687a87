/** The Docker platform part of the stack model: hosts with their daemon.json, providers, log settings. */
import type { StackModel, StackResourceInput } from "../../contract/stack";
import { field, str } from "../../kernel/values";
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
    return { dockerHosts: dockerHostsOf(base.hosts as readonly HostModel[]), dockerLogConfigs, dockerProviders };
}
