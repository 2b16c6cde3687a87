/**
 * Every CIS Docker Benchmark 1.6.0 item of sections 1 (host) and 2 (daemon), with what each front end can see
 * of it: `scan host` (the machine's files and its running dockerd's command line), `scan docker` (the engine
 * API), `check` (what a Pulumi stack declares). The catalog renders it; a test keeps it true to the controls'
 * `refs` (an item said to be seen has a control that names it, and every section 1–2 id a control names is here).
 */
import { Control } from "../core/control";

export interface CisDockerItem {
    readonly id: string;
    readonly title: string;
    /** What each command reads to judge it; undefined when it cannot see the item. */
    readonly host?: string;
    readonly docker?: string;
    readonly check?: string;
    /** Why no command judges it (manual items, site decisions). */
    readonly unchecked?: string;
}

const AUDIT = (what: string, extra = ""): Pick<CisDockerItem, "host" | "check"> => ({
    host: `audit rules (rules.d, audit.rules, or \`auditctl -l\` with --auditctl) on ${what}${extra}; whether auditd runs, from /proc`,
    check: "audit rule files the stack writes",
});

export const CIS_DOCKER_SECTIONS_1_2: readonly CisDockerItem[] = [
    {
        id: "1.1.1",
        title: "A separate partition for containers",
        host: "the running dockerd's mount table (/proc/PID/mountinfo): whether its data root is a mount point",
        check: "not judged: a stack's declarations cannot show a partition",
    },
    {
        id: "1.1.2",
        title: "Only trusted users control the Docker daemon",
        unchecked: "the docker group's members are in /etc/group, but which of them are trusted is the site's decision",
    },
    {
        id: "1.1.3",
        title: "Auditing of the Docker daemon",
        ...AUDIT("the running dockerd's real binary (/proc/PID/exe, else the unit's ExecStart found where systemd looks)"),
    },
    { id: "1.1.4", title: "Auditing of /run/containerd", ...AUDIT("/run/containerd") },
    { id: "1.1.5", title: "Auditing of /var/lib/docker", ...AUDIT("the daemon's data root (--data-root, daemon.json, else /var/lib/docker)") },
    { id: "1.1.6", title: "Auditing of /etc/docker", ...AUDIT("/etc/docker") },
    { id: "1.1.7", title: "Auditing of docker.service", ...AUDIT("the unit file systemd uses", ", when it exists") },
    { id: "1.1.8", title: "Auditing of containerd.sock", ...AUDIT("/run/containerd/containerd.sock") },
    { id: "1.1.9", title: "Auditing of docker.socket", ...AUDIT("the unit file systemd uses", ", when it exists") },
    { id: "1.1.10", title: "Auditing of /etc/default/docker", ...AUDIT("/etc/default/docker", ", when it exists") },
    { id: "1.1.11", title: "Auditing of /etc/docker/daemon.json", ...AUDIT("the daemon.json dockerd uses (its --config-file)", ", when it exists") },
    { id: "1.1.12", title: "Auditing of /etc/containerd/config.toml", ...AUDIT("/etc/containerd/config.toml", ", when it exists") },
    { id: "1.1.13", title: "Auditing of /etc/sysconfig/docker", ...AUDIT("/etc/sysconfig/docker", ", when it exists") },
    { id: "1.1.14", title: "Auditing of containerd", ...AUDIT("the running containerd's real binary, else its unit's, else the one on the search path") },
    {
        id: "1.1.15",
        title: "Auditing of containerd-shim",
        host: "audit rules on the real binary, when the machine has one",
        check: "not required: a stack cannot show that the file exists",
    },
    {
        id: "1.1.16",
        title: "Auditing of containerd-shim-runc-v1",
        host: "audit rules on the real binary, when the machine has one",
        check: "not required: a stack cannot show that the file exists",
    },
    { id: "1.1.17", title: "Auditing of containerd-shim-runc-v2", ...AUDIT("the real binary") },
    { id: "1.1.18", title: "Auditing of runc", ...AUDIT("the real binary (a watch on a symlink to it does not count)") },
    { id: "1.2.1", title: "The container host is hardened (manual)", unchecked: "manual: no file or API shows it" },
    { id: "1.2.2", title: "Docker is up to date (manual)", unchecked: "manual: /info shows the version, but not whether it is current" },
    { id: "2.1", title: "Run the daemon as a non-root user, if possible (manual)", unchecked: "manual: rootless mode is a deployment choice" },
    { id: "2.2", title: "Traffic between containers on the default bridge is restricted (icc)", host: "icc", check: "icc" },
    { id: "2.3", title: "Logging level is info", host: "log-level", docker: "/info Debug (debug only)", check: "log-level" },
    { id: "2.4", title: "Docker may change iptables", host: "iptables", check: "iptables" },
    { id: "2.5", title: "No insecure registries", host: "insecure-registries", docker: "/info RegistryConfig", check: "insecure-registries" },
    { id: "2.6", title: "aufs is not used", host: "storage-driver", docker: "/info Driver", check: "storage-driver" },
    {
        id: "2.7",
        title: "TLS authentication for the daemon",
        host: "tcp:// listeners in hosts/-H with tlsverify and its files",
        check: "daemon listeners and the stack's Docker providers",
    },
    { id: "2.8", title: "Default ulimits are appropriate (manual)", unchecked: "manual: appropriate limits are the site's decision" },
    { id: "2.9", title: "User namespace support (userns-remap)", host: "userns-remap", docker: "/info SecurityOptions", check: "userns-remap" },
    { id: "2.10", title: "Default cgroup usage is confirmed (manual)", unchecked: "manual: a cgroup-parent is confirmed by people, not by a value" },
    { id: "2.11", title: "Base device size is not changed until needed (manual)", unchecked: "manual: devicemapper is gone from current Docker" },
    {
        id: "2.12",
        title: "Authorization for Docker client commands",
        host: "authorization-plugins (with requireAuthorizationPlugin)",
        docker: "/info Plugins.Authorization (with requireAuthorizationPlugin)",
        check: "authorization-plugins (with requireAuthorizationPlugin)",
    },
    {
        id: "2.13",
        title: "Centralized and remote logging",
        docker: "each container's effective log driver (its own, else the daemon's from /info)",
        check: "each container's and service's log driver, with the daemon.json default of its host",
    },
    {
        id: "2.14",
        title: "Containers cannot acquire new privileges (no-new-privileges)",
        host: "no-new-privileges",
        docker: "/info SecurityOptions (engines that list it)",
        check: "no-new-privileges",
    },
    { id: "2.15", title: "Live restore is enabled", host: "live-restore", docker: "/info LiveRestoreEnabled", check: "live-restore" },
    { id: "2.16", title: "Userland proxy is disabled", host: "userland-proxy", check: "userland-proxy" },
    { id: "2.17", title: "A daemon-wide seccomp profile applies", host: "seccomp-profile", docker: "/info SecurityOptions", check: "seccomp-profile" },
    { id: "2.18", title: "Experimental features are off in production", host: "experimental", docker: "/info ExperimentalBuild", check: "experimental" },
];

const DAEMON_VALUE = /^[a-z-]+$/;

/** What `scan host` reads for a daemon setting: the running dockerd's flag, else the daemon.json it uses. */
function hostText(s: string): string {
    return DAEMON_VALUE.test(s) ? `\`--${s}\` on dockerd's command line or \`"${s}"\` in the daemon.json it uses` : s;
}

function checkText(s: string): string {
    return DAEMON_VALUE.test(s) ? `\`"${s}"\` in daemon.json or a dockerd flag in a unit the stack writes` : s;
}

const cell = (s: string) => s.replace(/\|/g, "\\|");

/** The section of the catalog: one row per item, with the controls that judge it and what each command reads. */
export function renderCisDockerCoverage(controls: readonly Control[]): string {
    const out = [
        "## CIS Docker 1.6.0 sections 1–2: which command sees each item",
        "",
        "`scan host` reads the machine's files and its running dockerd's command line; `scan docker` reads the engine API; " +
            "`check` reads what a Pulumi stack declares. Run `scan host` and `scan docker` together on a machine to judge every item either can see.",
        "",
        "| item | title | controls | `scan host` | `scan docker` | `check` |",
        "|---|---|---|---|---|---|",
    ];
    for (const item of CIS_DOCKER_SECTIONS_1_2) {
        const ids = controls.filter((c) => c.refs.docker?.includes(item.id)).map((c) => `\`${c.id}\``);
        if (item.unchecked !== undefined) {
            out.push(`| ${item.id} | ${cell(item.title)} | — | ${cell(item.unchecked)} | — | — |`);
            continue;
        }
        const dash = (s: string | undefined, f: (x: string) => string) => (s === undefined ? "—" : cell(f(s)));
        out.push(
            `| ${item.id} | ${cell(item.title)} | ${ids.join(", ")} | ${dash(item.host, hostText)} | ${dash(item.docker, (x) => x)} | ${dash(item.check, checkText)} |`,
        );
    }
    out.push("");
    return out.join("\n");
}
