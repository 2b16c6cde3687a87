/**
 * A kubeadm control plane hardened per CIS Kubernetes 1.12: the kubeadm config with the CIS flags, encryption
 * of Secrets at rest (secretbox, 32-byte random key held as a Pulumi secret), an audit policy, admission
 * configuration (EventRateLimit, Pod Security `restricted` by default), the cluster PKI from @pulumi/tls, files
 * root-owned 0600 (keys, configs) / 0644 (certificates), the etcd data dir 0700 etcd:etcd, then `kubeadm init`.
 * Exposes a `k8s.Provider` with a client-certificate kubeconfig (a secret).
 *
 * The machine needs containerd, kubeadm, kubelet and kubectl of `kubernetesVersion` installed.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import { HARDENED_ADMISSION, renderAdmissionConfig } from "../render/admission-config";
import { HARDENED_AUDIT_POLICY, renderAuditPolicy } from "../render/audit-policy";
import { hardenedEncryptionOptions, renderEncryptionConfig } from "../render/encryption-config";
import {
    AUDIT_LOG_DIR,
    ETCD_DATA_DIR,
    HARDENED_CONTROL_PLANE,
    KUBEADM_CONFIG_PATH,
    KubeadmOptions,
    PKI_DIR,
    POLICY_FILES,
    renderKubeadmConfig,
    renderKubeletSysctls,
} from "../render/kubeadm";
import { renderKubeconfig } from "../render/kubeconfig";
import { installDirectory, shq } from "../render/shell";
import { CertificateAuthority, keyPair } from "./Pki";
import { RemoteHost, SshConnection } from "./RemoteHost";

export interface HardenedControlPlaneArgs {
    ssh: SshConnection;
    nodeName: string;
    /** The machine's address that the API server and etcd advertise (default: ssh.host). */
    advertiseAddress?: string;
    /** Extra API server certificate SANs (ssh.host and advertiseAddress are always in). */
    certSANs?: string[];
    kubernetesVersion: string;
    podSubnet?: string;
    serviceSubnet?: string;
    /** Let workloads run on this (single) node. */
    schedulable?: boolean;
    /** A CNI manifest (URL or path on the machine) applied after init; it must enforce NetworkPolicy. */
    cniManifest?: string;
}

const KUBECTL = "kubectl --kubeconfig /etc/kubernetes/admin.conf";
/** kubeadm phases that re-apply a changed configuration to an initialized control plane. */
const KUBEADM_PHASES = ["control-plane all", "etcd local", "kubelet-start"];

export class HardenedControlPlane extends pulumi.ComponentResource {
    /** https://HOST:6443 */
    readonly server: string;
    readonly provider: k8s.Provider;
    /** Secret. */
    readonly kubeconfig: pulumi.Output<string>;
    readonly caCertPem: pulumi.Output<string>;
    /** The rendered kubeadm configuration (no secrets in it). */
    readonly kubeadmConfig: string;

    constructor(name: string, args: HardenedControlPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
        super("stride-guard:kubernetes:HardenedControlPlane", name, {}, opts);
        const host = new RemoteHost(args.ssh);
        const advertiseAddress = args.advertiseAddress ?? args.ssh.host;
        const kubeadm: KubeadmOptions = {
            nodeName: args.nodeName,
            advertiseAddress,
            certSANs: [...new Set([args.ssh.host, advertiseAddress, ...(args.certSANs ?? [])])],
            kubernetesVersion: args.kubernetesVersion,
            podSubnet: args.podSubnet ?? "10.244.0.0/16",
            serviceSubnet: args.serviceSubnet ?? "10.96.0.0/12",
            schedulable: args.schedulable ?? true,
            security: HARDENED_CONTROL_PLANE,
        };
        this.kubeadmConfig = renderKubeadmConfig(kubeadm);
        const parent = { parent: this };

        // PKI: kubeadm signs the component certificates with these CAs (it keeps CAs it finds in place).
        const ca = new CertificateAuthority(`${name}-ca`, { commonName: "kubernetes", algorithm: "RSA" }, parent);
        const etcdCa = new CertificateAuthority(`${name}-etcd-ca`, { commonName: "etcd-ca", algorithm: "RSA" }, parent);
        const proxyCa = new CertificateAuthority(`${name}-front-proxy-ca`, { commonName: "front-proxy-ca", algorithm: "RSA" }, parent);
        const sa = keyPair(`${name}-sa`, "RSA", this);
        // The deployer: a client certificate in kubeadm's cluster-admins group (bound by kubeadm, revocable by RBAC).
        const deployer = ca.issue(`${name}-deployer`, {
            commonName: "stride-guard-deployer",
            organizations: ["kubeadm:cluster-admins"],
            usages: ["client_auth"],
            algorithm: "RSA",
        });
        this.caCertPem = ca.certPem;

        const prepare = host.run(
            `${name}-prepare`,
            [
                "sh -c 'command -v kubeadm && command -v kubelet && command -v kubectl' >/dev/null",
                "sh -c 'id -u etcd >/dev/null 2>&1 || useradd --system --no-create-home --home-dir /var/lib/etcd --shell /usr/sbin/nologin etcd'",
                installDirectory({ path: ETCD_DATA_DIR, mode: "0700", owner: "etcd", group: "etcd" }),
                installDirectory({ path: AUDIT_LOG_DIR, mode: "0700" }),
                installDirectory({ path: PKI_DIR, mode: "0755" }),
            ],
            parent,
        );
        const after = { parent: this, dependsOn: [prepare] };
        const files: pulumi.Resource[] = [];
        const put = (id: string, path: string, mode: "0600" | "0644", content: pulumi.Input<string>, then?: string) => {
            files.push(host.file(`${name}-${id}`, { path, mode, content, then }, after));
        };
        put("ca-crt", `${PKI_DIR}/ca.crt`, "0644", ca.certPem);
        put("ca-key", `${PKI_DIR}/ca.key`, "0600", ca.keyPem);
        put("etcd-ca-crt", `${PKI_DIR}/etcd/ca.crt`, "0644", etcdCa.certPem);
        put("etcd-ca-key", `${PKI_DIR}/etcd/ca.key`, "0600", etcdCa.keyPem);
        put("front-proxy-ca-crt", `${PKI_DIR}/front-proxy-ca.crt`, "0644", proxyCa.certPem);
        put("front-proxy-ca-key", `${PKI_DIR}/front-proxy-ca.key`, "0600", proxyCa.keyPem);
        put("sa-pub", `${PKI_DIR}/sa.pub`, "0644", sa.publicKeyPem);
        put("sa-key", `${PKI_DIR}/sa.key`, "0600", sa.privateKeyPem);

        const key = new random.RandomBytes(`${name}-encryption-key`, { length: 32 }, parent);
        const encryption = pulumi.secret(key.base64).apply((k) => renderEncryptionConfig(hardenedEncryptionOptions(k)));
        put("encryption-config", POLICY_FILES.encryption, "0600", encryption);
        put("audit-policy", POLICY_FILES.audit, "0600", renderAuditPolicy(HARDENED_AUDIT_POLICY));
        put("admission-config", POLICY_FILES.admission, "0600", renderAdmissionConfig(HARDENED_ADMISSION));
        put("kubelet-sysctls", "/etc/sysctl.d/90-kubelet.conf", "0644", renderKubeletSysctls(), "sysctl --system");
        put("kubeadm-config", KUBEADM_CONFIG_PATH, "0600", this.kubeadmConfig);

        const init = host.run(
            `${name}-kubeadm-init`,
            [
                // First run: init. Later runs (the config changed): regenerate the static Pod manifests and the
                // kubelet configuration from it; the kubelet restarts the components whose manifest changed.
                `sh -c 'if test -f /etc/kubernetes/admin.conf; then ${KUBEADM_PHASES.map((p) => `kubeadm init phase ${p} --config ${KUBEADM_CONFIG_PATH}`).join(" && ")}; else kubeadm init --config ${KUBEADM_CONFIG_PATH}; fi'`,
                // CIS 1.1.x / 4.1.x: what kubeadm wrote, owned by root and not readable by others.
                "sh -c 'chmod 0600 /etc/kubernetes/manifests/*.yaml /etc/kubernetes/*.conf /var/lib/kubelet/config.yaml && chown root:root /etc/kubernetes/manifests/*.yaml /etc/kubernetes/*.conf /var/lib/kubelet/config.yaml'",
                `chown etcd:etcd ${ETCD_DATA_DIR}`,
                `chmod 0700 ${ETCD_DATA_DIR}`,
                ...(args.cniManifest ? [`${KUBECTL} apply -f ${shq(args.cniManifest)}`] : []),
            ],
            { parent: this, dependsOn: files },
            [this.kubeadmConfig],
        );

        this.server = `https://${args.ssh.host}:6443`;
        this.kubeconfig = pulumi.secret(
            pulumi
                .all([ca.certPem, deployer.certPem, deployer.keyPem])
                .apply(([caPem, certPem, keyPem]) =>
                    renderKubeconfig({ clusterName: args.nodeName, server: this.server, caPem, certPem, keyPem, userName: "stride-guard-deployer" }),
                ),
        );
        this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig }, { parent: this, dependsOn: [init] });
        this.registerOutputs({ server: this.server, caCertPem: this.caCertPem });
    }
}
