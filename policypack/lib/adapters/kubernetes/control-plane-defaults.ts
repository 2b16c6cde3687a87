/**
 * Settings a component has without the stack writing them, because the tool that writes the rest
 * sets them. One table, so that every control counts the same defaults.
 *
 * kubeadm (v1beta3/v1beta4, Kubernetes 1.30–1.34) writes these flags into the static Pod manifests it
 * generates from a ClusterConfiguration (cmd/kubeadm/app/phases/controlplane/manifests.go and
 * phases/etcd/local.go); `extraArgs` replace a default of the same name. It does NOT set
 * `--anonymous-auth=false`, `--kubelet-certificate-authority`, `--profiling=false`, audit flags or
 * `--encryption-provider-config`: those stay unset unless the stack adds them.
 *
 * A KubeletConfiguration file (kubelet.config.k8s.io/v1beta1) has safer defaults than the kubelet's
 * flags: anonymous authentication off, webhook authentication and authorization, read-only port 0.
 * kubeadm's generated KubeletConfiguration adds the cluster CA as x509 client CA and turns on
 * client certificate rotation.
 */
import { ComponentKind } from "../../model/control-plane";

type FlagTable = Readonly<Record<string, string>>;

const PKI = "/etc/kubernetes/pki";

export const KUBEADM_FLAG_DEFAULTS: Readonly<Record<Exclude<ComponentKind, "kubelet">, FlagTable>> = {
    "kube-apiserver": {
        "allow-privileged": "true",
        "authorization-mode": "Node,RBAC",
        "client-ca-file": `${PKI}/ca.crt`,
        "enable-admission-plugins": "NodeRestriction",
        "enable-bootstrap-token-auth": "true",
        "etcd-cafile": `${PKI}/etcd/ca.crt`,
        "etcd-certfile": `${PKI}/apiserver-etcd-client.crt`,
        "etcd-keyfile": `${PKI}/apiserver-etcd-client.key`,
        "etcd-servers": "https://127.0.0.1:2379",
        "kubelet-client-certificate": `${PKI}/apiserver-kubelet-client.crt`,
        "kubelet-client-key": `${PKI}/apiserver-kubelet-client.key`,
        "secure-port": "6443",
        "service-account-issuer": "https://kubernetes.default.svc.cluster.local",
        "service-account-key-file": `${PKI}/sa.pub`,
        "service-account-signing-key-file": `${PKI}/sa.key`,
        "tls-cert-file": `${PKI}/apiserver.crt`,
        "tls-private-key-file": `${PKI}/apiserver.key`,
    },
    etcd: {
        "cert-file": `${PKI}/etcd/server.crt`,
        "key-file": `${PKI}/etcd/server.key`,
        "client-cert-auth": "true",
        "trusted-ca-file": `${PKI}/etcd/ca.crt`,
        "peer-cert-file": `${PKI}/etcd/peer.crt`,
        "peer-key-file": `${PKI}/etcd/peer.key`,
        "peer-client-cert-auth": "true",
        "peer-trusted-ca-file": `${PKI}/etcd/ca.crt`,
        "data-dir": "/var/lib/etcd",
        "listen-client-urls": "https://127.0.0.1:2379",
        "listen-peer-urls": "https://127.0.0.1:2380",
        "listen-metrics-urls": "http://127.0.0.1:2381",
    },
    "kube-controller-manager": {
        "bind-address": "127.0.0.1",
        "client-ca-file": `${PKI}/ca.crt`,
        "cluster-signing-cert-file": `${PKI}/ca.crt`,
        "cluster-signing-key-file": `${PKI}/ca.key`,
        controllers: "*,bootstrapsigner,tokencleaner",
        kubeconfig: "/etc/kubernetes/controller-manager.conf",
        "leader-elect": "true",
        "root-ca-file": `${PKI}/ca.crt`,
        "service-account-private-key-file": `${PKI}/sa.key`,
        "use-service-account-credentials": "true",
    },
    "kube-scheduler": {
        "bind-address": "127.0.0.1",
        kubeconfig: "/etc/kubernetes/scheduler.conf",
        "leader-elect": "true",
    },
};

/** KubeletConfiguration v1beta1 defaults that matter to the controls, as flags. */
export const KUBELET_CONFIG_DEFAULTS: FlagTable = {
    "anonymous-auth": "false",
    "authentication-token-webhook": "true",
    "authorization-mode": "Webhook",
    "read-only-port": "0",
    "make-iptables-util-chains": "true",
};

/** What kubeadm adds to the KubeletConfiguration it writes (`/var/lib/kubelet/config.yaml`). */
export const KUBEADM_KUBELET_DEFAULTS: FlagTable = {
    "client-ca-file": `${PKI}/ca.crt`,
    "rotate-certificates": "true",
};

/**
 * KubeletConfiguration fields and the kubelet flag each one stands for. The model speaks flags, so a
 * control reads `anonymous-auth` whether the stack wrote `--anonymous-auth` or
 * `authentication.anonymous.enabled`.
 */
export const KUBELET_CONFIG_FIELDS: Readonly<Record<string, string>> = {
    "authentication.anonymous.enabled": "anonymous-auth",
    "authentication.webhook.enabled": "authentication-token-webhook",
    "authentication.x509.clientCAFile": "client-ca-file",
    "authorization.mode": "authorization-mode",
    readOnlyPort: "read-only-port",
    rotateCertificates: "rotate-certificates",
    serverTLSBootstrap: "rotate-server-certificates",
    featureGates: "feature-gates",
    podPidsLimit: "pod-max-pids",
    makeIPTablesUtilChains: "make-iptables-util-chains",
    tlsCertFile: "tls-cert-file",
    tlsPrivateKeyFile: "tls-private-key-file",
    tlsCipherSuites: "tls-cipher-suites",
    tlsMinVersion: "tls-min-version",
    streamingConnectionIdleTimeout: "streaming-connection-idle-timeout",
    protectKernelDefaults: "protect-kernel-defaults",
    seccompDefault: "seccomp-default",
    staticPodPath: "pod-manifest-path",
    address: "address",
};
