/**
 * Stack `docker-host`: a hardened Docker host (HardenedDockerHost) and a small sample app on it — a web server
 * published on one interface and a cache on an internal network — run through the daemon's mutual-TLS endpoint.
 */
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import { HardenedContainer } from "./components/HardenedContainer";
import { HardenedDockerHost } from "./components/HardenedDockerHost";
import { sshFromConfig } from "./config";

export function dockerHost() {
    const config = new pulumi.Config();
    const ssh = sshFromConfig(config);
    const host = new HardenedDockerHost("docker-host", {
        ssh,
        serverNames: config.getObject<string[]>("serverNames"),
        serverIps: config.getObject<string[]>("serverIps"),
    });
    const provider = host.provider;
    const bindIp = config.get("publishInterface") ?? "127.0.0.1";

    // The web server talks to nobody: a network with inter-container traffic off.
    const edge = new docker.Network("edge", { name: "edge", driver: "bridge", options: { "com.docker.network.bridge.enable_icc": "false" } }, { provider });
    // The cache is reachable only from containers on its network and reaches nothing outside (internal).
    const backend = new docker.Network("backend", { name: "backend", driver: "bridge", internal: true }, { provider });

    const web = new HardenedContainer("web", {
        provider,
        image: config.require("webImage"),
        user: "101:101",
        memoryMb: 128,
        cpus: "0.5",
        maxProcesses: 64,
        tmpfs: { "/tmp": "rw,noexec,nosuid,nodev,size=16m" },
        healthcheck: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/ || curl -fsS -o /dev/null http://127.0.0.1:8080/"],
        ports: [{ internal: 8080, external: config.getNumber("webPort") ?? 8080 }],
        bindIp,
        networks: [edge.name],
    });
    const cache = new HardenedContainer("cache", {
        provider,
        image: config.require("cacheImage"),
        user: "999:999",
        // A pure cache: nothing persisted. Protected mode would refuse the app containers on `backend` (redis has no
        // password here; a password on the command line would show in `docker inspect`): the internal network is the
        // boundary, and nothing is published.
        command: ["redis-server", "--save", "", "--appendonly", "no", "--protected-mode", "no", "--maxmemory", "48mb"],
        memoryMb: 64,
        cpus: "0.25",
        maxProcesses: 32,
        tmpfs: { "/data": "rw,noexec,nosuid,nodev,size=8m" },
        healthcheck: ["CMD", "redis-cli", "ping"],
        networks: [backend.name],
    });
    return {
        dockerEndpoint: host.endpoint,
        dockerCaCert: host.caCertPem,
        webContainer: web.container.name,
        cacheContainer: cache.container.name,
        webUrl: pulumi.interpolate`http://${bindIp}:${web.container.ports.apply((p) => p?.[0]?.external)}`,
    };
}
