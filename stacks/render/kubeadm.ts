/**
 * kubeadm configuration for a control plane (kubeadm.k8s.io/v1beta4, Kubernetes 1.31+): InitConfiguration,
 * ClusterConfiguration with the CIS Kubernetes 1.12 flags for kube-apiserver, kube-controller-manager,
 * kube-scheduler and etcd, and a hardened KubeletConfiguration. Pure: tests and the real-etcd tests call it.
 *
 * Every security-relevant flag is written out even where kubeadm would default to the same value, so the
 * document alone says how the cluster is configured (and a policy check reading it needs no kubeadm knowledge).
 */
import { stringify } from "yaml";

export const PKI_DIR = "/etc/kubernetes/pki";
export const POLICY_DIR = "/etc/kubernetes/policies";
export const AUDIT_LOG_DIR = "/var/log/kubernetes/audit";
export const KUBEADM_CONFIG_PATH = "/etc/kubernetes/kubeadm.yaml";
export const ETCD_DATA_DIR = "/var/lib/etcd";

export const POLICY_FILES = {
    audit: `${POLICY_DIR}/audit-policy.yaml`,
    encryption: `${POLICY_DIR}/encryption-config.yaml`,
    admission: `${POLICY_DIR}/admission-config.yaml`,
} as const;

/** TLS 1.2 suites with forward secrecy and AEAD only (CIS 1.2.29, 2.x, 4.2.12); TLS 1.3 suites are not configurable. */
export const STRONG_CIPHER_SUITES = [
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
];

/** The knobs that make a control plane hardened or not. */
export interface ControlPlaneSecurity {
    anonymousAuth: boolean;
    authorizationMode: string[];
    admissionPlugins: string[];
    profiling: boolean;
    /** --audit-log-* and --audit-policy-file (CIS 1.2.16–1.2.19). */
    auditLog: boolean;
    /** --encryption-provider-config (CIS 1.2.27). */
    encryptionAtRest: boolean;
    /** Bind controller-manager and scheduler to 127.0.0.1 (CIS 1.3.7, 1.4.2). */
    localhostComponents: boolean;
    etcd: { clientCertAuth: boolean; peerClientCertAuth: boolean; autoTls: boolean; https: boolean };
    kubelet: {
        anonymousAuth: boolean;
        authorizationMode: "Webhook" | "AlwaysAllow";
        readOnlyPort: number;
        protectKernelDefaults: boolean;
        rotateCertificates: boolean;
        serverTLSBootstrap: boolean;
        /** undefined = unlimited */
        podPidsLimit?: number;
    };
}

export const HARDENED_CONTROL_PLANE: ControlPlaneSecurity = {
    anonymousAuth: false,
    authorizationMode: ["Node", "RBAC"],
    admissionPlugins: [
        "NamespaceLifecycle",
        "LimitRanger",
        "ServiceAccount",
        "NodeRestriction",
        "EventRateLimit",
        "AlwaysPullImages",
        "DenyServiceExternalIPs",
        "PodSecurity",
    ],
    profiling: false,
    auditLog: true,
    encryptionAtRest: true,
    localhostComponents: true,
    etcd: { clientCertAuth: true, peerClientCertAuth: true, autoTls: false, https: true },
    kubelet: {
        anonymousAuth: false,
        authorizationMode: "Webhook",
        readOnlyPort: 0,
        protectKernelDefaults: true,
        rotateCertificates: true,
        serverTLSBootstrap: true,
        podPidsLimit: 4096,
    },
};

export interface KubeadmOptions {
    nodeName: string;
    /** Address the API server and etcd advertise (the machine's IP). */
    advertiseAddress: string;
    /** Extra SANs of the API server certificate (DNS names and IPs clients use). */
    certSANs: string[];
    /** e.g. "v1.34.2" */
    kubernetesVersion: string;
    podSubnet: string;
    serviceSubnet: string;
    /** Let workloads run on the control-plane node (single-node clusters): no NoSchedule taint. */
    schedulable: boolean;
    security: ControlPlaneSecurity;
}

type Args = [string, string][];

function extraArgs(args: Args): { name: string; value: string }[] {
    return args.map(([name, value]) => ({ name, value }));
}

export function apiServerArgs(o: KubeadmOptions): Args {
    const s = o.security;
    const a: Args = [
        ["advertise-address", o.advertiseAddress],
        ["anonymous-auth", String(s.anonymousAuth)],
        ["authorization-mode", s.authorizationMode.join(",")],
        ["enable-admission-plugins", s.admissionPlugins.join(",")],
    ];
    if (s.admissionPlugins.includes("EventRateLimit") || s.admissionPlugins.includes("PodSecurity")) {
        a.push(["admission-control-config-file", POLICY_FILES.admission]);
    }
    a.push(
        ["profiling", String(s.profiling)],
        ["client-ca-file", `${PKI_DIR}/ca.crt`],
        ["tls-cert-file", `${PKI_DIR}/apiserver.crt`],
        ["tls-private-key-file", `${PKI_DIR}/apiserver.key`],
        ["tls-min-version", "VersionTLS12"],
        ["tls-cipher-suites", STRONG_CIPHER_SUITES.join(",")],
        ["kubelet-client-certificate", `${PKI_DIR}/apiserver-kubelet-client.crt`],
        ["kubelet-client-key", `${PKI_DIR}/apiserver-kubelet-client.key`],
        ["kubelet-certificate-authority", `${PKI_DIR}/ca.crt`],
        ["etcd-servers", `${s.etcd.https ? "https" : "http"}://127.0.0.1:2379`],
        ["etcd-cafile", `${PKI_DIR}/etcd/ca.crt`],
        ["etcd-certfile", `${PKI_DIR}/apiserver-etcd-client.crt`],
        ["etcd-keyfile", `${PKI_DIR}/apiserver-etcd-client.key`],
        ["service-account-lookup", "true"],
        // CIS 1.2.30: tokens expire when they say they do (not silently extended to a year).
        ["service-account-extend-token-expiration", "false"],
        ["service-account-key-file", `${PKI_DIR}/sa.pub`],
        ["service-account-signing-key-file", `${PKI_DIR}/sa.key`],
        ["request-timeout", "60s"],
        ["max-requests-inflight", "400"],
        ["max-mutating-requests-inflight", "200"],
    );
    if (s.auditLog) {
        a.push(
            ["audit-log-path", `${AUDIT_LOG_DIR}/audit.log`],
            ["audit-log-maxage", "30"],
            ["audit-log-maxbackup", "10"],
            ["audit-log-maxsize", "100"],
            ["audit-policy-file", POLICY_FILES.audit],
        );
    }
    if (s.encryptionAtRest) a.push(["encryption-provider-config", POLICY_FILES.encryption]);
    return a;
}

export function controllerManagerArgs(o: KubeadmOptions): Args {
    const s = o.security;
    return [
        ["profiling", String(s.profiling)],
        ["bind-address", s.localhostComponents ? "127.0.0.1" : "0.0.0.0"],
        ["terminated-pod-gc-threshold", "10"],
        ["use-service-account-credentials", "true"],
        ["service-account-private-key-file", `${PKI_DIR}/sa.key`],
        ["root-ca-file", `${PKI_DIR}/ca.crt`],
        ["feature-gates", "RotateKubeletServerCertificate=true"],
    ];
}

export function schedulerArgs(o: KubeadmOptions): Args {
    return [
        ["profiling", String(o.security.profiling)],
        ["bind-address", o.security.localhostComponents ? "127.0.0.1" : "0.0.0.0"],
    ];
}

export function etcdArgs(o: KubeadmOptions): Args {
    const e = o.security.etcd;
    const scheme = e.https ? "https" : "http";
    return [
        ["listen-client-urls", `${scheme}://127.0.0.1:2379,${scheme}://${o.advertiseAddress}:2379`],
        ["advertise-client-urls", `${scheme}://${o.advertiseAddress}:2379`],
        ["cert-file", `${PKI_DIR}/etcd/server.crt`],
        ["key-file", `${PKI_DIR}/etcd/server.key`],
        // etcd demands client certificates whenever a trusted CA is set, whatever --client-cert-auth says; so turning
        // client-cert-auth off also has to clear the CA kubeadm passes by default (an empty value unsets it).
        ["trusted-ca-file", e.clientCertAuth ? `${PKI_DIR}/etcd/ca.crt` : ""],
        ["client-cert-auth", String(e.clientCertAuth)],
        ["auto-tls", String(e.autoTls)],
        ["peer-cert-file", `${PKI_DIR}/etcd/peer.crt`],
        ["peer-key-file", `${PKI_DIR}/etcd/peer.key`],
        ["peer-trusted-ca-file", e.peerClientCertAuth ? `${PKI_DIR}/etcd/ca.crt` : ""],
        ["peer-client-cert-auth", String(e.peerClientCertAuth)],
        ["peer-auto-tls", String(e.autoTls)],
        ["cipher-suites", STRONG_CIPHER_SUITES.join(",")],
    ];
}

/**
 * The etcd command line kubeadm generates for its static Pod (kubeadm's defaults, overridden by extraArgs),
 * as `--name=value` flags. Used to run a real etcd with exactly these settings in tests.
 */
export function kubeadmEtcdFlags(o: KubeadmOptions): string[] {
    const m = new Map<string, string>([
        ["name", o.nodeName],
        ["advertise-client-urls", `https://${o.advertiseAddress}:2379`],
        ["listen-client-urls", `https://127.0.0.1:2379,https://${o.advertiseAddress}:2379`],
        ["listen-peer-urls", `https://${o.advertiseAddress}:2380`],
        ["initial-advertise-peer-urls", `https://${o.advertiseAddress}:2380`],
        ["initial-cluster", `${o.nodeName}=https://${o.advertiseAddress}:2380`],
        ["listen-metrics-urls", "http://127.0.0.1:2381"],
        ["data-dir", ETCD_DATA_DIR],
        ["cert-file", `${PKI_DIR}/etcd/server.crt`],
        ["key-file", `${PKI_DIR}/etcd/server.key`],
        ["trusted-ca-file", `${PKI_DIR}/etcd/ca.crt`],
        ["client-cert-auth", "true"],
        ["peer-cert-file", `${PKI_DIR}/etcd/peer.crt`],
        ["peer-key-file", `${PKI_DIR}/etcd/peer.key`],
        ["peer-trusted-ca-file", `${PKI_DIR}/etcd/ca.crt`],
        ["peer-client-cert-auth", "true"],
        ["snapshot-count", "10000"],
    ]);
    for (const [k, v] of etcdArgs(o)) m.set(k, v);
    return [...m].map(([k, v]) => `--${k}=${v}`);
}

export function kubeletConfigObject(o: KubeadmOptions): Record<string, unknown> {
    const k = o.security.kubelet;
    const cfg: Record<string, unknown> = {
        apiVersion: "kubelet.config.k8s.io/v1beta1",
        kind: "KubeletConfiguration",
        authentication: {
            anonymous: { enabled: k.anonymousAuth },
            webhook: { enabled: true },
            x509: { clientCAFile: `${PKI_DIR}/ca.crt` },
        },
        authorization: { mode: k.authorizationMode },
        readOnlyPort: k.readOnlyPort,
        protectKernelDefaults: k.protectKernelDefaults,
        makeIPTablesUtilChains: true,
        rotateCertificates: k.rotateCertificates,
        serverTLSBootstrap: k.serverTLSBootstrap,
        featureGates: { RotateKubeletServerCertificate: true },
        tlsMinVersion: "VersionTLS12",
        tlsCipherSuites: [...STRONG_CIPHER_SUITES],
        streamingConnectionIdleTimeout: "5m",
        eventRecordQPS: 5,
        cgroupDriver: "systemd",
    };
    if (k.podPidsLimit !== undefined) cfg.podPidsLimit = k.podPidsLimit;
    return cfg;
}

function hostVolume(name: string, path: string, readOnly: boolean, pathType: string) {
    return { name, hostPath: path, mountPath: path, readOnly, pathType };
}

/** The multi-document kubeadm config: InitConfiguration, ClusterConfiguration, KubeletConfiguration. */
export function kubeadmDocuments(o: KubeadmOptions): Record<string, unknown>[] {
    const s = o.security;
    const volumes = [];
    if (s.auditLog || s.encryptionAtRest || s.admissionPlugins.includes("EventRateLimit"))
        volumes.push(hostVolume("policies", POLICY_DIR, true, "DirectoryOrCreate"));
    if (s.auditLog) volumes.push(hostVolume("audit-log", AUDIT_LOG_DIR, false, "DirectoryOrCreate"));
    const init = {
        apiVersion: "kubeadm.k8s.io/v1beta4",
        kind: "InitConfiguration",
        localAPIEndpoint: { advertiseAddress: o.advertiseAddress, bindPort: 6443 },
        nodeRegistration: {
            name: o.nodeName,
            criSocket: "unix:///run/containerd/containerd.sock",
            ...(o.schedulable ? { taints: [] } : {}),
        },
    };
    const cluster = {
        apiVersion: "kubeadm.k8s.io/v1beta4",
        kind: "ClusterConfiguration",
        kubernetesVersion: o.kubernetesVersion,
        certificatesDir: PKI_DIR,
        controlPlaneEndpoint: `${o.advertiseAddress}:6443`,
        networking: { podSubnet: o.podSubnet, serviceSubnet: o.serviceSubnet },
        apiServer: { certSANs: [...o.certSANs], extraArgs: extraArgs(apiServerArgs(o)), extraVolumes: volumes },
        controllerManager: { extraArgs: extraArgs(controllerManagerArgs(o)) },
        scheduler: { extraArgs: extraArgs(schedulerArgs(o)) },
        etcd: {
            local: {
                dataDir: ETCD_DATA_DIR,
                extraArgs: extraArgs(etcdArgs(o)),
                serverCertSANs: [o.nodeName, o.advertiseAddress, "127.0.0.1"],
                peerCertSANs: [o.nodeName, o.advertiseAddress],
            },
        },
    };
    return [init, cluster, kubeletConfigObject(o)];
}

export function renderKubeadmConfig(o: KubeadmOptions): string {
    return kubeadmDocuments(o)
        .map((d) => stringify(d))
        .join("---\n");
}

/** Kernel settings the kubelet requires when protectKernelDefaults is on (CIS 4.2.6). */
export const KUBELET_SYSCTLS: Record<string, string> = {
    "vm.overcommit_memory": "1",
    "vm.panic_on_oom": "0",
    "kernel.panic": "10",
    "kernel.panic_on_oops": "1",
    "kernel.keys.root_maxkeys": "1000000",
    "kernel.keys.root_maxbytes": "25000000",
};

export function renderKubeletSysctls(): string {
    return [
        "# Managed by stride-guard: values kubelet expects with protectKernelDefaults: true.",
        ...Object.entries(KUBELET_SYSCTLS).map(([k, v]) => `${k} = ${v}`),
        "",
    ].join("\n");
}
