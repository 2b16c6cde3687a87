/**
 * Linux audit rules for the Docker daemon (CIS Docker 1.6.0, 1.1.3–1.1.18). Pure text; never loaded here.
 */

/** Paths CIS asks to watch, in benchmark order; both usual locations of dockerd and runc are covered. */
export const DOCKER_AUDIT_PATHS: readonly string[] = [
    "/usr/bin/dockerd",
    "/usr/sbin/dockerd",
    "/run/containerd",
    "/var/lib/docker",
    "/etc/docker",
    "/lib/systemd/system/docker.service",
    "/run/containerd/containerd.sock",
    "/lib/systemd/system/docker.socket",
    "/etc/default/docker",
    "/etc/docker/daemon.json",
    "/etc/containerd/config.toml",
    "/etc/sysconfig/docker",
    "/usr/bin/containerd",
    "/usr/bin/containerd-shim-runc-v2",
    "/usr/bin/runc",
    "/usr/sbin/runc",
];

export const DOCKER_AUDIT_RULES_PATH = "/etc/audit/rules.d/docker.rules";

export interface AuditRulesOptions {
    paths: readonly string[];
    /** Permissions watched: CIS asks for writes and attribute changes. */
    perms: string;
    key: string;
}

export function hardenedAuditRulesOptions(): AuditRulesOptions {
    return { paths: DOCKER_AUDIT_PATHS, perms: "wa", key: "docker" };
}

/** One `-w PATH -p PERMS -k KEY` line per path. */
export function renderAuditRules(o: AuditRulesOptions): string {
    if (!/^[rwxa]+$/.test(o.perms)) throw new Error(`audit permissions must be a subset of rwxa: ${o.perms}`);
    if (!/^[A-Za-z0-9_-]+$/.test(o.key)) throw new Error(`audit key must be a plain word: ${o.key}`);
    const lines = ["# Managed by stride-guard: CIS Docker Benchmark 1.6.0, 1.1.3-1.1.18 (loaded with augenrules --load)."];
    for (const p of o.paths) {
        if (!p.startsWith("/") || /\s/.test(p)) throw new Error(`audit path must be absolute without spaces: ${p}`);
        lines.push(`-w ${p} -p ${o.perms} -k ${o.key}`);
    }
    return lines.join("\n") + "\n";
}

/** Parent directories of the watched paths: the kernel refuses a watch whose directory does not exist. */
export function watchedParents(paths: readonly string[]): string[] {
    const dirs = new Set<string>();
    for (const p of paths) {
        const d = p.slice(0, p.lastIndexOf("/")) || "/";
        dirs.add(d);
    }
    return [...dirs].sort();
}
