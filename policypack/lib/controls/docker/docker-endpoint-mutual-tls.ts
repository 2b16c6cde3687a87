import { stackControl, StackFinding } from "../../contract/control";
import { parseEndpoint } from "../../adapters/docker/endpoint";
import { DaemonSettings, DockerHostModel } from "../../model/docker-daemon";
import { daemonSettings, eachDaemon, settingFinding, unsettledSetting } from "../shared/docker-daemon";

/** What a tcp:// listener lacks for mutual TLS, or undefined when it has it all. */
function missingTls(s: DaemonSettings): string[] | undefined {
    const missing: string[] = [];
    if (s.tlsVerify !== true) missing.push(s.tls === true ? '"tlsverify": true (it serves TLS but accepts any client)' : '"tlsverify": true');
    if (typeof s.tlsCaCert !== "string" || s.tlsCaCert === "") missing.push('"tlscacert"');
    if (typeof s.tlsCert !== "string" || s.tlsCert === "") missing.push('"tlscert"');
    if (typeof s.tlsKey !== "string" || s.tlsKey === "") missing.push('"tlskey"');
    return missing.length > 0 ? missing : undefined;
}

/** tcp:// listeners of a daemon.json: ports, and whether any listener has no port (dockerd's default 2375/2376). */
function tcpListeners(s: DaemonSettings): { ports: Set<number>; anyPort: boolean; bad: string[] } {
    const ports = new Set<number>();
    let anyPort = false;
    const bad: string[] = [];
    (Array.isArray(s.hosts) ? (s.hosts as readonly string[]) : []).forEach((raw, i) => {
        const ep = parseEndpoint(raw);
        if (typeof ep === "string") bad.push(`entry ${i} (${ep})`);
        else if (ep.scheme === "tcp") {
            if (ep.port === undefined) anyPort = true;
            else ports.add(ep.port);
        }
    });
    return { ports, anyPort, bad };
}

/** CIS Docker 1.6.0 2.7 (1.2.0: 2.6). */
export default stackControl<Record<string, never>>({
    id: "docker-endpoint-mutual-tls",
    title: "Every tcp:// Docker endpoint of the stack uses mutual TLS",
    description:
        "Spoofing: a daemon listening on tcp:// without verifying client certificates gives root on the host to anyone who can reach the port; a provider pointed at it cannot prove whom it talks to.",
    stride: "S",
    targets: ["docker"],
    refs: { docker: ["2.7"], dockerLegacy: ["2.6"] },
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: [
        'In /etc/docker/daemon.json of a host that listens on tcp://, set `"tlsverify": true`, `"tlscacert"`, `"tlscert"` and `"tlskey"` (server certificate signed by a CA that also signs the client certificates).',
        "Declare tcp:// listeners in daemon.json `hosts` (and remove `-H` from the systemd unit, which conflicts with it) so that the stack shows them.",
        "Prefer ssh:// (the provider's `host: ssh://user@host`) or the local unix socket: they need no open TCP port.",
    ],
    config: {},
    scope: "stack",
    check(stack) {
        const byHostname = new Map<string, DockerHostModel>();
        for (const h of stack.dockerHosts) if (h.hostname !== undefined) byHostname.set(h.hostname, h);
        const findings = eachDaemon(stack.dockerHosts, (h, s) => {
            const u = unsettledSetting(h, "hosts", s.hosts);
            if (u) return [u];
            const out: StackFinding[] = [];
            const { ports, anyPort, bad } = tcpListeners(s);
            if (bad.length > 0) out.push(settingFinding(h, "hosts", `has listeners dockerd cannot read: ${bad.join(", ")}.`));
            if (ports.size === 0 && !anyPort) return out;
            for (const key of ["tls", "tlsVerify", "tlsCaCert", "tlsCert", "tlsKey"] as const) {
                const uu = unsettledSetting(h, key, s[key]);
                if (uu) out.push(uu);
            }
            const missing = missingTls(s);
            if (missing) {
                const list = [...ports].map(String).join(", ") || "the default port";
                out.push(
                    settingFinding(
                        h,
                        "hosts",
                        `listens on tcp:// (${list}) without mutual TLS: it lacks ${missing.join(", ")}. Anyone who reaches the port controls the daemon, as root.`,
                    ),
                );
            }
            return out;
        });
        // Providers that reach a declared host over tcp:// must land on a listener the host's daemon.json declares.
        for (const p of stack.dockerProviders) {
            if (typeof p.host !== "string") continue; // the provider control reports unknown and malformed hosts
            const ep = parseEndpoint(p.host);
            if (typeof ep === "string" || ep.scheme !== "tcp") continue;
            const h = byHostname.get(ep.hostname);
            if (!h) continue;
            const d = daemonSettings(h);
            if ("finding" in d) continue;
            const { ports, anyPort } = tcpListeners(d.settings);
            const port = ep.port ?? 2376;
            if (!ports.has(port) && !anyPort) {
                findings.push({
                    urn: p.urn,
                    subject: `Docker provider "${p.name}"`,
                    field: "host",
                    message: `connects to ${h.host} over tcp:// port ${port}, but that host's daemon.json declares no tcp:// listener there, so mutual TLS on it cannot be shown. Declare the listener in "hosts" with tlsverify, or connect over ssh://.`,
                });
            }
        }
        return findings;
    },
});
