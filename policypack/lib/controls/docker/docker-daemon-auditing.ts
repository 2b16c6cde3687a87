import { stackControl, StackFinding } from "../../core/control";
import { Invalid, UNKNOWN } from "../../core/values";
import { dockerHostSubject, hostExempt } from "../../model/docker-daemon";
import { AuditWatch, isAuditRulesPath, parseAuditRules } from "../../audit/rules";

/** What the CIS Docker Benchmark 1.6.0 asks to audit (1.1.3–1.1.18), each with the paths that satisfy it. */
export const DOCKER_AUDIT_TARGETS: readonly {
    readonly cis: string;
    readonly what: string;
    readonly paths: readonly string[];
    /** Required only where the file is known to exist (scanned machines): current containerd ships neither shim. */
    readonly ifPresent?: true;
}[] = [
    { cis: "1.1.3", what: "the Docker daemon", paths: ["/usr/bin/dockerd", "/usr/sbin/dockerd"] },
    { cis: "1.1.4", what: "/run/containerd", paths: ["/run/containerd"] },
    { cis: "1.1.5", what: "/var/lib/docker", paths: ["/var/lib/docker"] },
    { cis: "1.1.6", what: "/etc/docker", paths: ["/etc/docker"] },
    { cis: "1.1.7", what: "docker.service", paths: unitPaths("docker.service") },
    { cis: "1.1.8", what: "containerd.sock", paths: ["/run/containerd/containerd.sock"] },
    { cis: "1.1.9", what: "docker.socket", paths: unitPaths("docker.socket") },
    { cis: "1.1.10", what: "/etc/default/docker", paths: ["/etc/default/docker"] },
    { cis: "1.1.11", what: "/etc/docker/daemon.json", paths: ["/etc/docker/daemon.json"] },
    { cis: "1.1.12", what: "/etc/containerd/config.toml", paths: ["/etc/containerd/config.toml"] },
    { cis: "1.1.13", what: "/etc/sysconfig/docker", paths: ["/etc/sysconfig/docker"] },
    { cis: "1.1.14", what: "containerd", paths: ["/usr/bin/containerd"] },
    { cis: "1.1.15", what: "containerd-shim", paths: ["/usr/bin/containerd-shim"], ifPresent: true },
    { cis: "1.1.16", what: "containerd-shim-runc-v1", paths: ["/usr/bin/containerd-shim-runc-v1"], ifPresent: true },
    { cis: "1.1.17", what: "containerd-shim-runc-v2", paths: ["/usr/bin/containerd-shim-runc-v2"] },
    { cis: "1.1.18", what: "runc", paths: ["/usr/bin/runc", "/usr/sbin/runc"] },
];

function unitPaths(unit: string): string[] {
    return ["/lib/systemd/system/", "/usr/lib/systemd/system/", "/etc/systemd/system/"].map((d) => d + unit);
}

/** A Docker host is a machine the stack writes anything under /etc/docker/ to. */
export { isDockerHost } from "../../adapters/docker/daemon-json";

export interface DaemonAuditingConfig {
    /** CIS ids (from 1.1.3–1.1.18) not required, for hosts where the file does not exist (e.g. 1.1.13 on Debian). */
    readonly skip: readonly string[];
}

const WRITE_AND_ATTR = (w: AuditWatch) => w.perms.includes("w") && w.perms.includes("a");

export default stackControl<DaemonAuditingConfig>({
    id: "docker-daemon-auditing",
    title: "Docker hosts audit the daemon, its files and sockets",
    description:
        "Repudiation: without audit rules on dockerd, containerd, runc and their configuration, changes to the daemon (a new insecure registry, a mounted socket) leave no trace.",
    stride: "R",
    targets: ["docker"],
    refs: {
        docker: [
            "1.1.3",
            "1.1.4",
            "1.1.5",
            "1.1.6",
            "1.1.7",
            "1.1.8",
            "1.1.9",
            "1.1.10",
            "1.1.11",
            "1.1.12",
            "1.1.13",
            "1.1.14",
            "1.1.15",
            "1.1.16",
            "1.1.17",
            "1.1.18",
        ],
        // 1.2.0 numbered the same watches 1.2.3 (dockerd) to 1.2.12 (runc).
        dockerLegacy: ["1.2.3", "1.2.4", "1.2.5", "1.2.6", "1.2.7", "1.2.8", "1.2.9", "1.2.10", "1.2.11", "1.2.12"],
    },
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Write an audit rules file, e.g. /etc/audit/rules.d/docker.rules, on each Docker host with one watch per path: `-w /usr/bin/dockerd -p wa -k docker` (and /run/containerd, /var/lib/docker, /etc/docker, docker.service, containerd.sock, docker.socket, /etc/default/docker, /etc/docker/daemon.json, /etc/containerd/config.toml, /etc/sysconfig/docker, /usr/bin/containerd, /usr/bin/containerd-shim-runc-v2, /usr/bin/runc).",
        "Load it with `augenrules --load` on the host and keep auditd enabled; the stacks' HardenedDockerHost component does both.",
    ],
    config: {
        skip: {
            type: "array",
            items: { type: "string", enum: DOCKER_AUDIT_TARGETS.map((t) => t.cis) },
            default: [],
            description: "CIS ids not required on these hosts.",
        },
    },
    scope: "stack",
    check(stack, cfg) {
        const findings: StackFinding[] = [];
        for (const host of stack.dockerHosts) {
            if (hostExempt(cfg, host)) continue;
            const subject = dockerHostSubject(host);
            const watches: AuditWatch[] = [];
            let unknown = false;
            const unreadable: string[] = [];
            const observed = host.observed;
            // A scanned machine given `auditctl -l` is judged by the rules the kernel holds, not by files.
            const loaded = observed?.loadedRules;
            if (loaded) {
                const parsed = parseAuditRules(loaded.text);
                watches.push(...parsed.watches);
                for (const e of parsed.errors) {
                    findings.push({ urn: host.anchor.urn, subject, field: `${loaded.source}:${e.line}`, message: `invalid audit rule: ${e.problem}.` });
                }
            }
            for (const f of loaded ? [] : host.files) {
                if (!isAuditRulesPath(f.path)) continue;
                if (f.content === UNKNOWN) {
                    unknown = true;
                    continue;
                }
                if (f.content instanceof Invalid || f.content === undefined) {
                    unreadable.push(f.path);
                    continue;
                }
                const parsed = parseAuditRules(f.content);
                watches.push(...parsed.watches);
                for (const e of parsed.errors) {
                    findings.push({ urn: f.source.urn, subject, field: `${f.path}:${e.line}`, message: `invalid audit rule: ${e.problem}.` });
                }
            }
            // On a scanned machine only the real path of each file counts (a watch on a symlink, or on
            // /usr/bin/dockerd where the binary is /usr/sbin/dockerd, records nothing); absent files need none.
            const pathsOf = (t: (typeof DOCKER_AUDIT_TARGETS)[number]) => observed?.auditPaths.get(t.cis) ?? (t.ifPresent ? [] : t.paths);
            const watched = (w: AuditWatch) => observed?.watchPaths?.get(w.path) ?? w.path;
            const missing = DOCKER_AUDIT_TARGETS.filter(
                (t) => !cfg.skip.includes(t.cis) && pathsOf(t).length > 0 && !watches.some((w) => pathsOf(t).includes(watched(w)) && WRITE_AND_ATTR(w)),
            );
            if (missing.length === 0) {
                if (observed?.auditdStopped !== undefined) {
                    findings.push({
                        urn: host.anchor.urn,
                        subject,
                        field: "auditd",
                        message: `the audit rules cover every path, but ${observed.auditdStopped}, so none of them records anything. Enable and start auditd.`,
                    });
                }
                continue;
            }
            if (unknown) {
                findings.push({
                    urn: host.anchor.urn,
                    subject,
                    field: "audit rules",
                    unknown: true,
                    message: "audit rules content is unknown at preview, so it cannot be checked yet.",
                });
                continue;
            }
            const list = missing
                .map((t) => {
                    const at = observed ? pathsOf(t).filter((p) => p !== t.what) : [];
                    return `${t.what}${at.length > 0 ? ` at ${at.join(" or ")}` : ""} (${t.cis})`;
                })
                .join(", ");
            const note =
                unreadable.length > 0
                    ? ` (${unreadable.join(", ")} ${unreadable.length === 1 ? "is" : "are"} written from a source the policy cannot read; write rules on stdin, in a heredoc or as a string asset)`
                    : observed?.auditNote
                      ? ` (${observed.auditNote})`
                      : "";
            findings.push({
                urn: host.anchor.urn,
                subject,
                field: loaded ? loaded.source : "/etc/audit/rules.d/*.rules",
                message: `no audit rule watches writes and attribute changes (-p wa) of ${list}${note}. Add a watch for each.`,
            });
        }
        return findings;
    },
});
