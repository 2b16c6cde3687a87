/**
 * A Docker host hardened per CIS Docker 1.6.0 sections 1–3: daemon.json with a mutual-TLS TCP listener, icc and
 * the userland proxy off, userns-remap, live-restore, no-new-privileges and log rotation; audit rules for the
 * daemon and its files, loaded with augenrules; TLS material root-owned and read-only (CIS 3.9–3.14: certificates
 * 0444, the key 0400). Exposes a `docker.Provider` that talks to the daemon over mutual TLS with a client
 * certificate from the same CA.
 */
import { isIP } from "net";
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import { DOCKER_AUDIT_RULES_PATH, hardenedAuditRulesOptions, renderAuditRules, watchedParents } from "../render/audit-rules";
import {
    DaemonJsonOptions,
    DOCKER_TLS_PATHS,
    DOCKER_TLS_PORT,
    hardenedDaemonOptions,
    renderDaemonJson,
    renderDockerServiceDropIn,
} from "../render/daemon-json";
import { CertificateAuthority } from "./Pki";
import { RemoteHost, SshConnection } from "./RemoteHost";

export interface HardenedDockerHostArgs {
    ssh: SshConnection;
    /** DNS names and IPs clients use to reach the daemon (server certificate SANs); `ssh.host` is added. */
    serverNames?: string[];
    serverIps?: string[];
    tcpPort?: number;
    /** Install docker.io and auditd with apt when dockerd is missing (Debian/Ubuntu). */
    installPackages?: boolean;
    /** Override daemon settings (the hardened ones are the default). */
    daemon?: Partial<DaemonJsonOptions>;
}

export class HardenedDockerHost extends pulumi.ComponentResource {
    /** tcp://HOST:PORT */
    readonly endpoint: string;
    readonly provider: docker.Provider;
    readonly caCertPem: pulumi.Output<string>;

    constructor(name: string, args: HardenedDockerHostArgs, opts?: pulumi.ComponentResourceOptions) {
        super("stride-guard:docker:HardenedDockerHost", name, {}, opts);
        const host = new RemoteHost(args.ssh);
        const port = args.tcpPort ?? DOCKER_TLS_PORT;
        const addr = args.ssh.host;
        const ips = [...new Set([...(args.serverIps ?? []), ...(isIP(addr) ? [addr] : [])])];
        const names = [...new Set([...(args.serverNames ?? []), ...(isIP(addr) ? [] : [addr])])];

        const ca = new CertificateAuthority(`${name}-ca`, { commonName: `${name} Docker CA` }, { parent: this });
        const server = ca.issue(`${name}-server`, { commonName: names[0] ?? addr, dnsNames: names, ipAddresses: ips, usages: ["server_auth"] });
        const client = ca.issue(`${name}-client`, { commonName: `${name}-pulumi`, usages: ["client_auth"] });
        this.caCertPem = ca.certPem;

        const parent = { parent: this };
        const steps: pulumi.Resource[] = [];
        const first: pulumi.Resource[] = [];
        if (args.installPackages ?? true) {
            first.push(
                host.run(
                    `${name}-packages`,
                    [
                        "sh -c 'command -v dockerd >/dev/null && command -v augenrules >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker.io auditd; }'",
                    ],
                    parent,
                ),
            );
        }
        const after = { parent: this, dependsOn: first };
        steps.push(
            host.file(`${name}-tls-ca`, { path: DOCKER_TLS_PATHS.ca, mode: "0444", content: ca.certPem }, after),
            host.file(`${name}-tls-cert`, { path: DOCKER_TLS_PATHS.cert, mode: "0444", content: server.certPem }, after),
            host.file(`${name}-tls-key`, { path: DOCKER_TLS_PATHS.key, mode: "0400", content: server.keyPem }, after),
        );
        const daemon = { ...hardenedDaemonOptions(port), ...args.daemon };
        steps.push(host.file(`${name}-daemon-json`, { path: "/etc/docker/daemon.json", mode: "0644", content: renderDaemonJson(daemon) }, after));
        steps.push(
            host.file(
                `${name}-service-drop-in`,
                { path: "/etc/systemd/system/docker.service.d/10-stride-guard.conf", mode: "0644", content: renderDockerServiceDropIn() },
                after,
            ),
        );
        const rules = hardenedAuditRulesOptions();
        const auditRules = renderAuditRules(rules);
        const audit = host.file(`${name}-audit-rules`, { path: DOCKER_AUDIT_RULES_PATH, mode: "0640", content: auditRules }, after);
        // The kernel refuses a watch whose directory is missing (e.g. /etc/sysconfig on Debian): create missing
        // ones (mkdir -p leaves existing directories such as /run/containerd 0711 as they are).
        const loadAudit = host.run(
            `${name}-audit-load`,
            [`mkdir -p ${watchedParents(rules.paths).join(" ")}`, "systemctl enable --now auditd", "augenrules --load"],
            { parent: this, dependsOn: [audit] },
            [auditRules],
        );
        const restart = host.run(
            `${name}-docker-restart`,
            [
                "systemctl daemon-reload",
                "systemctl enable docker",
                "systemctl restart docker",
                "sh -c 'for i in $(seq 30); do docker info >/dev/null 2>&1 && exit 0; sleep 1; done; exit 1'",
            ],
            { parent: this, dependsOn: [...steps, loadAudit] },
            [renderDaemonJson(daemon), server.certPem],
        );
        this.endpoint = `tcp://${addr}:${port}`;
        this.provider = new docker.Provider(
            `${name}-docker`,
            { host: this.endpoint, caMaterial: ca.certPem, certMaterial: client.certPem, keyMaterial: client.keyPem },
            { parent: this, dependsOn: [restart] },
        );
        this.registerOutputs({ endpoint: this.endpoint, caCertPem: this.caCertPem });
    }
}
