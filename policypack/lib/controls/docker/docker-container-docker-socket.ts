import { resourceControl } from "../../core/control";
import { unsettled } from "../../core/check";
import { show } from "../../core/values";
import { eachEntry, normalizeHostPath } from "../../model/docker-container";

export interface DockerSocketConfig {
    /** Names of container-runtime sockets (and the Windows `docker_engine` pipe); a source ending in one fails. */
    readonly socketNames: readonly string[];
    /** Directories that hold those sockets; mounting them mounts the socket. */
    readonly socketDirs: readonly string[];
}

/** CIS Docker 5.32 (legacy 5.31). */
export default resourceControl<"dockerContainer", DockerSocketConfig>({
    id: "docker-container-docker-socket",
    title: "Docker containers do not mount the Docker socket",
    description:
        "Information disclosure and elevation of privilege: whoever reaches docker.sock controls the daemon — they can read every container's environment and start a privileged container with the host's root filesystem. Read-only mounts do not help: the API works over them.",
    stride: "I",
    targets: ["docker"],
    refs: { docker: ["5.32"], dockerLegacy: ["5.31"] },
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Remove the mount of docker.sock (or of /var/run, /run) from the container's `volumes`/`mounts`.",
        "If a tool needs the Docker API, give it a filtering proxy that allows only the calls it needs, on its own network, or run it on a dedicated host.",
        "Compose: drop `- /var/run/docker.sock:/var/run/docker.sock` from `volumes`; docker run: drop `-v /var/run/docker.sock:/var/run/docker.sock`.",
    ],
    config: {
        socketNames: {
            type: "array",
            items: { type: "string", minLength: 1 },
            default: ["docker.sock", "containerd.sock", "docker_engine"],
            description: "Socket (or Windows named pipe) names: a mount whose source ends in one fails.",
        },
        socketDirs: {
            type: "array",
            items: { type: "string", minLength: 1 },
            default: ["/var/run", "/run", "/var/run/docker", "/run/containerd"],
            description: "Directories whose mount exposes the socket.",
        },
    },
    scope: "resource",
    subject: "dockerContainer",
    check(c, cfg) {
        return eachEntry("mounts", c.mounts, (m) => {
            if (m.type === "tmpfs") return undefined;
            const u = unsettled(m.path, m.source);
            if (u) return u;
            if (typeof m.source !== "string") return undefined;
            const src = normalizeHostPath(m.source);
            const hit = cfg.socketNames.some((n) => src.endsWith(n)) || cfg.socketDirs.some((d) => normalizeHostPath(d) === src);
            if (!hit) return undefined;
            return {
                field: m.path,
                message: `mounts ${show(m.source)}, which exposes the container runtime's API: the container can control the daemon and every container. Remove the mount.`,
            };
        });
    },
});
