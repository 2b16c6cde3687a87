/**
 * Stack `insecure-demo`: the shapes of docker-host and kubernetes-cluster done wrong, on purpose, so the policy
 * pack has something to refuse. Every STRIDE letter is broken at least once on each side (see stacks/README.md).
 * Documents come from the same renderers as the hardened stacks, with insecure options. Never deploy it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import { RemoteHost } from "./components/RemoteHost";
import { CertificateAuthority } from "./components/Pki";
import { hardenedDaemonOptions, renderDaemonJson } from "./render/daemon-json";
import { renderEncryptionConfig } from "./render/encryption-config";
import { HARDENED_CONTROL_PLANE, KUBEADM_CONFIG_PATH, KubeadmOptions, PKI_DIR, POLICY_FILES, renderKubeadmConfig } from "./render/kubeadm";
import { renderKubeconfig } from "./render/kubeconfig";
import { sshFromConfig } from "./config";

export function insecureDemo() {
    const config = new pulumi.Config();
    const host = new RemoteHost(sshFromConfig(config));
    const addr = host.ssh.host;

    // ---- Docker ----
    // R: no audit rules are written for the daemon. S, I, E: plaintext TCP listener, icc and userland proxy on,
    // no userns-remap, no default no-new-privileges, an insecure registry, logs without rotation.
    const daemon = host.file(
        "daemon-json",
        {
            path: "/etc/docker/daemon.json",
            mode: "0644",
            content: renderDaemonJson({
                ...hardenedDaemonOptions(),
                hosts: ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"],
                tls: undefined,
                icc: true,
                userlandProxy: true,
                usernsRemap: undefined,
                liveRestore: false,
                noNewPrivileges: false,
                logOpts: {},
                insecureRegistries: ["registry.internal:5000"],
            }),
            then: "systemctl restart docker",
        },
        {},
    );
    // S: the provider talks to the daemon over tcp:// without TLS.
    const provider = new docker.Provider("docker-plaintext", { host: `tcp://${addr}:2375` }, { dependsOn: [daemon] });
    // T: a mutable tag.
    const image = new docker.RemoteImage("web-latest", { name: "nginx:latest" }, { provider });
    new docker.Container(
        "web",
        {
            name: "web",
            image: image.name,
            // E: root and privileged. T: writable root filesystem (readOnly unset).
            user: "root",
            privileged: true,
            // D: no memory limit, restart forever.
            restart: "always",
            // I: the host's /etc writable, the Docker socket mounted; published on every interface on port 80.
            volumes: [
                { hostPath: "/etc", containerPath: "/host/etc", readOnly: false },
                { hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" },
            ],
            ports: [{ internal: 80, external: 80, ip: "0.0.0.0" }],
            envs: ["DB_PASSWORD=hunter2-not-a-real-password"],
        },
        { provider },
    );

    // ---- Kubernetes ----
    const nodeName = "insecure-cp";
    const kubeadm: KubeadmOptions = {
        nodeName,
        advertiseAddress: addr,
        certSANs: [addr],
        kubernetesVersion: config.get("kubernetesVersion") ?? "v1.34.2",
        podSubnet: "10.244.0.0/16",
        serviceSubnet: "10.96.0.0/12",
        schedulable: true,
        security: {
            ...HARDENED_CONTROL_PLANE,
            // S: anonymous requests allowed; E: no authorization at all; T: every request admitted.
            anonymousAuth: true,
            authorizationMode: ["AlwaysAllow"],
            admissionPlugins: ["AlwaysAdmit"],
            // I: profiling endpoints, controller-manager and scheduler on every interface.
            profiling: true,
            localhostComponents: false,
            // R: no audit log.
            auditLog: false,
            // I: etcd accepts any client that reaches it; encryption config below puts identity first.
            etcd: { clientCertAuth: false, peerClientCertAuth: false, autoTls: true, https: true },
            // S, I, D: kubelet open to anonymous callers, read-only port, no pid limit.
            kubelet: {
                anonymousAuth: true,
                authorizationMode: "AlwaysAllow",
                readOnlyPort: 10255,
                protectKernelDefaults: false,
                rotateCertificates: false,
                serverTLSBootstrap: false,
            },
        },
    };
    // T: configuration and keys world-readable.
    host.file("kubeadm-config", { path: KUBEADM_CONFIG_PATH, mode: "0644", content: renderKubeadmConfig(kubeadm) }, {});
    const key = new random.RandomBytes("encryption-key", { length: 32 });
    host.file(
        "encryption-config",
        {
            path: POLICY_FILES.encryption,
            mode: "0644",
            content: pulumi
                .secret(key.base64)
                .apply((k) => renderEncryptionConfig({ resources: ["secrets"], providers: ["identity", "aescbc"], keyBase64: k, keyName: "key1" })),
        },
        {},
    );
    const ca = new CertificateAuthority("insecure-ca", { commonName: "kubernetes", algorithm: "RSA" });
    host.file("ca-key", { path: `${PKI_DIR}/ca.key`, mode: "0644", content: ca.keyPem }, {});
    const admin = ca.issue("insecure-admin", { commonName: "admin", organizations: ["system:masters"], usages: ["client_auth"], algorithm: "RSA" });
    // S: the provider does not verify the API server's certificate.
    const kubeconfig = pulumi.secret(
        pulumi
            .all([admin.certPem, admin.keyPem])
            .apply(([certPem, keyPem]) =>
                renderKubeconfig({ clusterName: nodeName, server: `https://${addr}:6443`, insecureSkipTlsVerify: true, certPem, keyPem, userName: "admin" }),
            ),
    );
    const kprovider = new k8s.Provider("insecure-k8s", { kubeconfig });
    insecureKubernetesWorkloads(kprovider);
    return { dockerEndpoint: `tcp://${addr}:2375`, apiServer: `https://${addr}:6443` };
}

/**
 * The Kubernetes objects of `insecure-demo`, through any provider: the e2e suite applies them to a real API server
 * running the hardened control plane, to show admission refusing what the pack refuses.
 */
export function insecureKubernetesWorkloads(provider: k8s.Provider): void {
    // E: no Pod Security labels; I: no NetworkPolicy; D: no quota or limits.
    const ns = new k8s.core.v1.Namespace("playground", { metadata: { name: "playground" } }, { provider });
    new k8s.apps.v1.Deployment(
        "debug",
        {
            metadata: { name: "debug", namespace: ns.metadata.name },
            spec: {
                selector: { matchLabels: { app: "debug" } },
                template: {
                    metadata: { labels: { app: "debug" } },
                    spec: {
                        hostNetwork: true,
                        hostPID: true,
                        containers: [
                            {
                                name: "debug",
                                image: "busybox:latest",
                                command: ["sleep", "infinity"],
                                securityContext: { privileged: true, runAsUser: 0, allowPrivilegeEscalation: true },
                                volumeMounts: [{ name: "host", mountPath: "/host" }],
                            },
                        ],
                        // T: the node's root filesystem.
                        volumes: [{ name: "host", hostPath: { path: "/" } }],
                    },
                },
            },
        },
        { provider },
    );
    // E: every developer is cluster-admin.
    new k8s.rbac.v1.ClusterRoleBinding(
        "developers-cluster-admin",
        {
            metadata: { name: "developers-cluster-admin" },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
            subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "developers" }],
        },
        { provider },
    );
}
