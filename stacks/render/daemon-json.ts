/**
 * /etc/docker/daemon.json (CIS Docker 1.6.0 section 2). Pure: tests and the real-dockerd tests call it directly.
 */

/** Paths of the daemon's TLS material on the host. */
export interface DaemonTlsPaths {
    ca: string;
    cert: string;
    key: string;
}

export interface DaemonJsonOptions {
    /** Listeners, e.g. `unix:///var/run/docker.sock`, `tcp://0.0.0.0:2376`. */
    hosts: string[];
    /** Server TLS; with `verifyClients` the daemon demands client certificates signed by `ca` (CIS 2.7). */
    tls?: DaemonTlsPaths & { verifyClients: boolean };
    /** Inter-container communication on the default bridge (CIS 2.2). */
    icc: boolean;
    /** The userland proxy for published ports (CIS 2.16). */
    userlandProxy: boolean;
    /** User namespace remapping, e.g. "default" (CIS 2.9); undefined = off. */
    usernsRemap?: string;
    /** Keep containers running while the daemon restarts (CIS 2.15). */
    liveRestore: boolean;
    /** Default no-new-privileges for every container (CIS 2.14). */
    noNewPrivileges: boolean;
    /** Log driver and options (CIS 2.13). */
    logDriver: string;
    logOpts: Record<string, string>;
    /** Registries reached over plain HTTP (CIS 2.5: none). */
    insecureRegistries: string[];
}

export const DOCKER_TLS_DIR = "/etc/docker/tls";
export const DOCKER_TLS_PATHS: DaemonTlsPaths = {
    ca: `${DOCKER_TLS_DIR}/ca.pem`,
    cert: `${DOCKER_TLS_DIR}/server-cert.pem`,
    key: `${DOCKER_TLS_DIR}/server-key.pem`,
};
export const DOCKER_TLS_PORT = 2376;

/** The hardened daemon settings of the docker-host stack. */
export function hardenedDaemonOptions(tcpPort = DOCKER_TLS_PORT): DaemonJsonOptions {
    return {
        hosts: ["unix:///var/run/docker.sock", `tcp://0.0.0.0:${tcpPort}`],
        tls: { ...DOCKER_TLS_PATHS, verifyClients: true },
        icc: false,
        userlandProxy: false,
        usernsRemap: "default",
        liveRestore: true,
        noNewPrivileges: true,
        logDriver: "json-file",
        logOpts: { "max-size": "10m", "max-file": "3" },
        insecureRegistries: [],
    };
}

/** daemon.json as an object (key order as written). */
export function daemonJsonObject(o: DaemonJsonOptions): Record<string, unknown> {
    const out: Record<string, unknown> = { hosts: [...o.hosts] };
    if (o.tls) {
        out.tls = true;
        out.tlsverify = o.tls.verifyClients;
        out.tlscacert = o.tls.ca;
        out.tlscert = o.tls.cert;
        out.tlskey = o.tls.key;
    }
    out.icc = o.icc;
    out["userland-proxy"] = o.userlandProxy;
    if (o.usernsRemap) out["userns-remap"] = o.usernsRemap;
    out["live-restore"] = o.liveRestore;
    out["no-new-privileges"] = o.noNewPrivileges;
    out["log-driver"] = o.logDriver;
    out["log-opts"] = { ...o.logOpts };
    out["insecure-registries"] = [...o.insecureRegistries];
    return out;
}

export function renderDaemonJson(o: DaemonJsonOptions): string {
    return JSON.stringify(daemonJsonObject(o), null, 2) + "\n";
}

/**
 * systemd drop-in for docker.service. Debian's and Docker's units start `dockerd -H fd://`, and dockerd refuses
 * to start when hosts are given both as flags and in daemon.json; the drop-in clears ExecStart and starts the
 * daemon without -H so daemon.json's `hosts` rule. `dockerd` is left unqualified: systemd (≥ 239) finds it in
 * /usr/sbin (Debian's docker.io) or /usr/bin (Docker's packages).
 */
export function renderDockerServiceDropIn(dockerd = "dockerd"): string {
    return [
        "# Managed by stride-guard: listeners come from /etc/docker/daemon.json (hosts), not from -H flags.",
        "[Service]",
        "ExecStart=",
        `ExecStart=${dockerd} --containerd=/run/containerd/containerd.sock`,
        "",
    ].join("\n");
}
