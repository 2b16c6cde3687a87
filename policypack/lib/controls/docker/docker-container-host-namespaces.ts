import { Finding, resourceControl } from "../../core/control";
import { unsettled } from "../../core/check";
import { DockerContainerField } from "../../model/docker-container";

export interface HostNamespacesConfig {
    /** Namespaces that may be shared with the host: any of "network", "pid", "ipc", "uts", "user". */
    readonly allowedHostNamespaces: readonly string[];
}

const NAMESPACES: readonly { readonly field: DockerContainerField & `${string}Mode`; readonly ns: string; readonly cis?: string; readonly risk: string }[] = [
    { field: "networkMode", ns: "network", cis: "5.10", risk: "it sees and binds every host interface, including services on localhost" },
    { field: "pidMode", ns: "pid", cis: "5.16", risk: "it sees and can signal or ptrace every host process" },
    { field: "ipcMode", ns: "ipc", cis: "5.17", risk: "it reads and writes host shared memory" },
    { field: "utsMode", ns: "uts", cis: "5.21", risk: "it can change the host's hostname" },
    { field: "usernsMode", ns: "user", cis: "5.31", risk: "it escapes the daemon's user-namespace remapping, so its root is the host's root" },
    // No CIS item; Compose `cgroup: host`, `--cgroupns host`.
    {
        field: "cgroupnsMode",
        ns: "cgroup",
        risk: "it sees the host's whole cgroup tree, and with a writable cgroup file system can change other containers' limits",
    },
];

/** CIS Docker 5.10, 5.16, 5.17, 5.21, 5.31 (legacy 5.9, 5.15, 5.16, 5.20, 5.30). */
export default resourceControl<"dockerContainer", HostNamespacesConfig>({
    id: "docker-container-host-namespaces",
    title: "Docker containers do not share the host's namespaces",
    description:
        "Elevation of privilege: sharing the host's network, PID, IPC, UTS, user or cgroup namespace removes the isolation that namespace provides — host processes, sockets, shared memory and identity become reachable from the container.",
    stride: "E",
    targets: ["docker"],
    refs: { docker: ["5.10", "5.16", "5.17", "5.21", "5.31"], dockerLegacy: ["5.9", "5.15", "5.16", "5.20", "5.30"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        'Remove `networkMode: "host"`, `pidMode: "host"`, `ipcMode: "host"` and `usernsMode: "host"` from the docker.Container; use a user-defined network and publish only needed ports.',
        "Compose: drop `network_mode: host`, `pid: host`, `ipc: host`, `uts: host`, `userns_mode: host`, `cgroup: host`; docker run: drop `--network host`, `--pid host`, `--ipc host`, `--uts host`, `--userns host`, `--cgroupns host`.",
    ],
    config: {
        allowedHostNamespaces: {
            type: "array",
            items: { type: "string", enum: NAMESPACES.map((n) => n.ns) },
            default: [],
            description: "Namespaces that may be shared with the host.",
        },
    },
    scope: "resource",
    subject: "dockerContainer",
    check(c, cfg) {
        const findings: Finding[] = [];
        for (const n of NAMESPACES) {
            if (cfg.allowedHostNamespaces.includes(n.ns)) continue;
            const v = c[n.field];
            const u = unsettled(n.field, v);
            if (u) findings.push(u);
            else if (typeof v === "string" && v.trim().toLowerCase() === "host") {
                findings.push({ field: n.field, message: `shares the host's ${n.ns} namespace${n.cis ? ` (CIS ${n.cis})` : ""}: ${n.risk}. Remove it.` });
            }
        }
        return findings;
    },
});
