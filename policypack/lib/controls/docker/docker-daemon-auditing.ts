import { stackControl, StackFinding } from "../../contract/control";
import { Invalid, UNKNOWN } from "../../kernel/values";
import { dockerHostSubject } from "../../model/docker-daemon";
import { hostNames } from "../shared/docker-daemon";
import { AuditWatch, isAuditRulesPath, parseAuditRules } from "../../audit/rules";

/** What the CIS Docker Benchmark 1.6.0 asks to audit (1.1.3–1.1.18), each with the paths that satisfy it. */
export const DOCKER_AUDIT_TARGETS: readonly { readonly cis: string; readonly what: string; readonly paths: readonly string[] }[] = [
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
        docker: ["1.1.3", "1.1.4", "1.1.5", "1.1.6", "1.1.7", "1.1.8", "1.1.9", "1.1.10", "1.1.11", "1.1.12", "1.1.13", "1.1.14", "1.1.17", "1.1.18"],
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
            const subject = dockerHostSubject(host);
            const names = hostNames(host);
            const watches: AuditWatch[] = [];
            let unknown = false;
            const unreadable: string[] = [];
            for (const f of host.files) {
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
                    findings.push({ urn: f.source.urn, subject, names, field: `${f.path}:${e.line}`, message: `invalid audit rule: ${e.problem}.` });
                }
            }
            const missing = DOCKER_AUDIT_TARGETS.filter(
                (t) => !cfg.skip.includes(t.cis) && !watches.some((w) => t.paths.includes(w.path) && WRITE_AND_ATTR(w)),
            );
            if (missing.length === 0) continue;
            if (unknown) {
                findings.push({
                    urn: host.anchor.urn,
                    subject,
                    names,
                    field: "audit rules",
                    unknown: true,
                    message: "audit rules content is unknown at preview, so it cannot be checked yet.",
                });
                continue;
            }
            const list = missing.map((t) => `${t.what} (${t.cis})`).join(", ");
            const note =
                unreadable.length > 0
                    ? ` (${unreadable.join(", ")} ${unreadable.length === 1 ? "is" : "are"} written from a source the policy cannot read; write rules on stdin, in a heredoc or as a string asset)`
                    : "";
            findings.push({
                urn: host.anchor.urn,
                subject,
                names,
                field: "/etc/audit/rules.d/*.rules",
                message: `no audit rule watches writes and attribute changes (-p wa) of ${list}${note}. Add a watch for each.`,
            });
        }
        return findings;
    },
});
