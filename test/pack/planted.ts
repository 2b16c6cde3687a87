/**
 * A fully hardened stack (Docker host, containers, service, images, provider, network; a Kubernetes
 * control-plane node, a namespace with its workload, RBAC, services, ingress, secret, provider) on which
 * every control passes, and for each control one planted violation of it. Used in-process and through
 * the policy pack to show that each violation is reported, by exactly the controls expected.
 */
import { stringify } from "yaml";
import type { Res } from "../support/run-control";
import { secret, urnOf } from "../support/run-control";
import { k8sContainer, podSpec, workload } from "../support/fixtures";
import { hardenedContainer, hardenedService } from "../support/docker-fixtures";
import {
    auditRulesText,
    auditRulesWriter,
    daemonJsonWriter,
    dockerImage,
    dockerNetwork,
    dockerProvider,
    hardenedDaemonJson,
    HOST,
    registryImage,
    remoteCommand,
    remoteImage,
} from "../support/docker-platform-fixtures";
import { controlPlaneNode, encryptionConfig, FlagOverrides, hostFile } from "../support/control-plane-fixtures";
import {
    clusterRole,
    clusterRoleBinding,
    ingress,
    kubeconfigYaml,
    limitRange,
    namespaceRes,
    networkPolicy,
    provider as k8sProvider,
    resourceQuota,
    secretRes,
    service,
    serviceAccount,
} from "../support/kubernetes-cluster-fixtures";

/** Swarm tasks cannot express a PIDs limit or no-new-privileges: the service is held to them on its hosts. */
export const PLANTED_CONFIG = {
    "docker-container-pids-limit": { excludeNames: ["api-service"] },
    "docker-container-no-new-privileges": { excludeNames: ["api-service"] },
};

const DENY_ALL = { podSelector: {}, policyTypes: ["Ingress", "Egress"] };
const READER = [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }];
const sc = (o: Record<string, unknown>) => ({ ...(k8sContainer().securityContext as object), ...o });

interface Parts {
    container: Res;
    service: Res;
    daemon: Res;
    audit: Res;
    dockerProvider: Res;
    network: Res;
    remoteImage: Res;
    registryImage: Res;
    image: Res;
    controlPlane: Res[];
    namespace: Res;
    netpol: Res;
    quota: Res;
    limits: Res;
    defaultSa: Res;
    workload: Res;
    role: Res;
    binding: Res;
    svc: Res;
    ing: Res;
    secret: Res;
    k8sProvider: Res;
}

function hardenedParts(): Parts {
    return {
        container: hardenedContainer(),
        service: hardenedService({}, {}, {}, "api-service"),
        daemon: daemonJsonWriter(),
        audit: auditRulesWriter(),
        dockerProvider: dockerProvider(),
        network: dockerNetwork(),
        remoteImage: remoteImage(),
        registryImage: registryImage(),
        image: dockerImage(),
        controlPlane: controlPlaneNode(),
        namespace: namespaceRes("shop"),
        netpol: networkPolicy("deny-all-shop", "shop", DENY_ALL),
        quota: resourceQuota("shop"),
        limits: limitRange("shop"),
        defaultSa: serviceAccount("shop", "default", false),
        workload: workload("Deployment", podSpec(), "api", "shop"),
        role: clusterRole("reader", READER),
        binding: clusterRoleBinding("readers", "reader", [{ kind: "Group", name: "devs" }]),
        svc: service("web", "shop", { type: "ClusterIP" }),
        ing: ingress("web", "shop", { tls: [{ hosts: ["a.example.com"] }], rules: [{ host: "a.example.com" }] }),
        secret: secretRes("db", "shop", { stringData: secret({ password: "x" }) }),
        k8sProvider: k8sProvider({ kubeconfig: secret(kubeconfigYaml()) }),
    };
}

function stackOf(p: Parts): (Res & { urn: string })[] {
    const { controlPlane, ...rest } = p;
    return [...Object.values(rest), ...controlPlane].filter((r): r is Res => r !== undefined).map((r) => ({ ...r, urn: urnOf(r) }));
}

export function hardenedStack(): (Res & { urn: string })[] {
    return stackOf(hardenedParts());
}

const container = (o: Record<string, unknown>) => (p: Parts) => ({ ...p, container: hardenedContainer(o) });
const pod = (o: Record<string, unknown>) => (p: Parts) => ({ ...p, workload: workload("Deployment", podSpec(o), "api", "shop") });
const app = (o: Record<string, unknown>) => pod({ containers: [k8sContainer(o)] });
const flags = (f: Record<string, FlagOverrides>) => (p: Parts) => ({ ...p, controlPlane: controlPlaneNode({ flags: f }) });
const kubelet = (k: Record<string, unknown>) => (p: Parts) => ({ ...p, controlPlane: controlPlaneNode({ kubelet: k }) });
const daemon = (o: Record<string, unknown>) => (p: Parts) => ({ ...p, daemon: daemonJsonWriter(hardenedDaemonJson(o)) });
const dockerfile = (text: string) => (p: Parts) => ({ ...p, image: dockerImage(text) });
const DIGEST = "@sha256:" + "c".repeat(64);

/**
 * For each control, one change to the hardened stack and the controls that must report it: the control
 * itself, plus — where one mistake is two findings by nature — the controls that must report it too.
 */
export const PLANTED: Readonly<Record<string, { readonly plant: (p: Parts) => Parts; readonly also?: readonly string[]; readonly inProcessOnly?: true }>> = {
    "docker-container-read-only-rootfs": { plant: container({ readOnly: false }) },
    "docker-container-mount-propagation": {
        plant: container({ mounts: [{ type: "bind", source: "/srv/data", target: "/data", readOnly: true, bindOptions: { propagation: "rshared" } }] }),
    },
    "docker-container-selinux": { plant: container({ securityOpts: ["no-new-privileges:true", "label=disable"] }) },
    "docker-container-ulimits": {
        plant: container({
            ulimits: [
                { name: "nproc", soft: 512, hard: 512 },
                { name: "memlock", soft: -1, hard: -1 },
            ],
        }),
    },
    "docker-container-default-bridge": { plant: container({ networksAdvanced: [] }) },
    "docker-container-sensitive-host-paths": { plant: container({ volumes: [{ hostPath: "/etc", containerPath: "/host/etc" }] }) },
    "docker-container-docker-socket": {
        plant: container({ volumes: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock", readOnly: true }] }),
    },
    "docker-container-published-ports": { plant: container({ ports: [{ internal: 8080, external: 8080 }] }) },
    "docker-container-env-secrets": { plant: container({ envs: ["DB_PASSWORD=hunter2"] }) },
    "docker-container-memory-limit": { plant: container({ memory: undefined }) },
    "docker-container-cpu-limit": { plant: container({ cpus: undefined }) },
    "docker-container-pids-limit": { plant: container({ ulimits: [] }) },
    "docker-container-restart-on-failure": { plant: container({ restart: "always" }) },
    "docker-container-healthcheck": { plant: container({ healthcheck: undefined }) },
    "docker-container-not-privileged": { plant: container({ privileged: true }) },
    "docker-container-non-root-user": { plant: container({ user: "root" }) },
    "docker-container-no-new-privileges": { plant: container({ securityOpts: [] }) },
    "docker-container-capabilities": { plant: container({ capabilities: { drops: [], adds: [] } }) },
    "docker-container-host-namespaces": { plant: container({ pidMode: "host" }) },
    "docker-container-security-profiles": { plant: container({ securityOpts: ["no-new-privileges:true", "seccomp=unconfined"] }) },
    "docker-container-host-devices": { plant: container({ devices: [{ hostPath: "/dev/sda" }] }) },
    "docker-provider-tls": {
        plant: (p) => ({
            ...p,
            dockerProvider: dockerProvider({ host: `tcp://${HOST}:2375`, caMaterial: undefined, certMaterial: undefined, keyMaterial: undefined }),
        }),
        also: ["docker-endpoint-mutual-tls"],
    },
    "docker-endpoint-mutual-tls": { plant: daemon({ hosts: ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"] }) },
    "docker-registry-tls": { plant: (p) => ({ ...p, registryImage: registryImage({ insecureSkipVerify: true }) }) },
    "docker-image-pinned": { plant: container({ image: "nginx:latest" }) },
    "docker-image-copy-not-add": { plant: dockerfile(`FROM gcr.io/distroless/static${DIGEST}\nADD https://example.com/app.tgz /app\nUSER 10001:10001\n`) },
    "docker-daemon-auditing": { plant: (p) => ({ ...p, audit: auditRulesWriter(auditRulesText(["1.1.3"])) }) },
    "docker-logging-configured": { plant: daemon({ "log-opts": {} }) },
    // Swarm services need swarm mode: the plant takes the stack's service away and turns swarm mode on.
    "docker-daemon-swarm-mode": {
        plant: (p) => ({ ...p, service: remoteCommand("swarm-init", "docker swarm init", { host: HOST }) }),
    },
    "docker-daemon-icc-disabled": { plant: daemon({ icc: true }) },
    "docker-network-icc-disabled": { plant: (p) => ({ ...p, network: dockerNetwork({ options: {} }) }) },
    "docker-image-no-build-secrets": { plant: dockerfile(`FROM gcr.io/distroless/static${DIGEST}\nENV DB_PASSWORD=hunter2\nUSER 10001:10001\n`) },
    "docker-image-non-root-user": { plant: dockerfile(`FROM gcr.io/distroless/static${DIGEST}\nUSER root\n`) },
    "docker-daemon-hardening": { plant: daemon({ "live-restore": false }) },
    "docker-host-configured": { plant: (p) => ({ ...p, dockerProvider: dockerProvider({ host: "ssh://admin@10.0.0.9" }) }) },
    "kubernetes-apiserver-authentication": { plant: flags({ "kube-apiserver": { "anonymous-auth": "true" } }) },
    "kubernetes-kubelet-authentication": {
        plant: kubelet({ authentication: { anonymous: { enabled: true }, webhook: { enabled: true }, x509: { clientCAFile: "/etc/kubernetes/pki/ca.crt" } } }),
    },
    "kubernetes-apiserver-service-account-tokens": { plant: flags({ "kube-apiserver": { "service-account-lookup": "false" } }) },
    "kubernetes-files-permissions": {
        plant: (p) => ({
            ...p,
            controlPlane: controlPlaneNode({
                files: { "/etc/kubernetes/admin.conf": hostFile("/etc/kubernetes/admin.conf", "apiVersion: v1\nkind: Config\n", { mode: "0644" }) },
            }),
        }),
    },
    "kubernetes-apiserver-admission-plugins": {
        plant: flags({ "kube-apiserver": { "enable-admission-plugins": "EventRateLimit,AlwaysPullImages,DenyServiceExternalIPs" } }),
    },
    "kubernetes-apiserver-admission-recommended": {
        plant: flags({ "kube-apiserver": { "enable-admission-plugins": "NodeRestriction,EventRateLimit,DenyServiceExternalIPs" } }),
    },
    "kubernetes-audit-logging": { plant: flags({ "kube-apiserver": { "audit-log-maxage": "7" } }) },
    "kubernetes-encryption-at-rest": {
        plant: (p) => ({
            ...p,
            controlPlane: controlPlaneNode({
                files: { "/etc/kubernetes/encryption.yaml": hostFile("/etc/kubernetes/encryption.yaml", stringify(encryptionConfig([{ identity: {} }]))) },
            }),
        }),
    },
    "kubernetes-etcd-mutual-tls": { plant: flags({ etcd: { "client-cert-auth": "false" } }) },
    "kubernetes-apiserver-tls": { plant: flags({ "kube-apiserver": { "tls-min-version": "VersionTLS10" } }) },
    "kubernetes-kubelet-tls": { plant: kubelet({ serverTLSBootstrap: false }) },
    "kubernetes-control-plane-profiling-and-binds": { plant: flags({ "kube-scheduler": { profiling: "true" } }) },
    "kubernetes-control-plane-dos-protection": { plant: flags({ "kube-apiserver": { "max-requests-inflight": "0" } }) },
    "kubernetes-kubelet-pod-pids-limit": { plant: kubelet({ podPidsLimit: -1 }) },
    "kubernetes-controller-manager-hardening": { plant: flags({ "kube-controller-manager": { "use-service-account-credentials": "false" } }) },
    "kubernetes-kubelet-certificate-rotation": { plant: kubelet({ rotateCertificates: false }) },
    "kubernetes-no-service-account-token-automount": { plant: pod({ automountServiceAccountToken: true }) },
    "kubernetes-no-hostpath-volumes": {
        plant: pod({ volumes: [{ name: "logs", hostPath: { path: "/var/log" } }] }),
    },
    "kubernetes-image-pinned": { plant: app({ image: "nginx:latest" }) },
    "kubernetes-read-only-root-filesystem": { plant: app({ securityContext: sc({ readOnlyRootFilesystem: false }) }) },
    "kubernetes-secrets-not-in-env": { plant: app({ env: [{ name: "DB", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }] }) },
    "kubernetes-hardcoded-credentials": { plant: app({ env: [{ name: "DB_PASSWORD", value: "planted-password-1" }] }) },
    "kubernetes-container-resources": { plant: app({ resources: {} }) },
    "kubernetes-no-privileged-containers": { plant: app({ securityContext: sc({ privileged: true }) }) },
    "kubernetes-no-host-namespaces": { plant: pod({ hostNetwork: true }) },
    "kubernetes-no-host-ports": { plant: app({ ports: [{ containerPort: 8080, hostPort: 8080 }] }) },
    "kubernetes-no-hostprocess": { plant: app({ securityContext: sc({ windowsOptions: { hostProcess: true } }) }) },
    "kubernetes-container-capabilities": { plant: app({ securityContext: sc({ capabilities: { drop: [] } }) }) },
    "kubernetes-seccomp-profile": { plant: app({ securityContext: sc({ seccompProfile: { type: "Unconfined" } }) }) },
    "kubernetes-no-unsafe-sysctls": {
        plant: pod({
            securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" }, sysctls: [{ name: "kernel.msgmax", value: "65536" }] },
        }),
    },
    "kubernetes-proc-mount-default": { plant: app({ securityContext: sc({ procMount: "Unmasked" }) }) },
    "kubernetes-apparmor-not-unconfined": { plant: app({ securityContext: sc({ appArmorProfile: { type: "Unconfined" } }) }) },
    "kubernetes-selinux-restricted": { plant: app({ securityContext: sc({ seLinuxOptions: { type: "spc_t" } }) }) },
    "kubernetes-pod-security-defaults": { plant: pod({ securityContext: { runAsNonRoot: false, seccompProfile: { type: "RuntimeDefault" } } }) },
    "kubernetes-no-privilege-escalation": { plant: app({ securityContext: sc({ allowPrivilegeEscalation: true }) }) },
    "kubernetes-run-as-non-root": { plant: app({ securityContext: sc({ runAsUser: 0 }) }) },
    "kubernetes-restricted-volume-types": { plant: pod({ volumes: [{ name: "shared", nfs: { server: "nfs.example.com", path: "/exports" } }] }) },
    "kubernetes-provider-kubeconfig": { plant: (p) => ({ ...p, k8sProvider: k8sProvider({ kubeconfig: secret(kubeconfigYaml({ insecure: true })) }) }) },
    "kubernetes-serviceaccount-default-automount": {
        plant: (p) => ({
            ...p,
            defaultSa: serviceAccount("shop", "default", true),
            workload: workload("Deployment", podSpec({ serviceAccountName: "default", automountServiceAccountToken: undefined }), "api", "shop"),
        }),
    },
    "kubernetes-rbac-cluster-admin-binding": {
        plant: (p) => ({ ...p, binding: clusterRoleBinding("readers", "cluster-admin", [{ kind: "User", name: "alice" }]) }),
    },
    "kubernetes-rbac-anonymous-binding": {
        plant: (p) => ({ ...p, binding: clusterRoleBinding("readers", "reader", [{ kind: "User", name: "system:anonymous" }]) }),
    },
    "kubernetes-rbac-wildcards": { plant: (p) => ({ ...p, role: clusterRole("reader", [{ apiGroups: [""], resources: ["pods"], verbs: ["*"] }]) }) },
    "kubernetes-rbac-escalation-permissions": {
        plant: (p) => ({ ...p, role: clusterRole("reader", [{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], verbs: ["escalate"] }]) }),
    },
    "kubernetes-rbac-broad-subjects": {
        plant: (p) => ({
            ...p,
            role: clusterRole("reader", [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }]),
            binding: clusterRoleBinding("readers", "reader", [{ kind: "Group", name: "system:authenticated" }]),
        }),
    },
    "kubernetes-namespace-pod-security": { plant: (p) => ({ ...p, namespace: namespaceRes("shop", { "pod-security.kubernetes.io/enforce": "baseline" }) }) },
    "kubernetes-network-default-deny": { plant: (p) => ({ ...p, netpol: undefined as unknown as Res }) },
    "kubernetes-service-exposure": { plant: (p) => ({ ...p, svc: service("web", "shop", { type: "NodePort" }) }) },
    "kubernetes-ingress-tls": { plant: (p) => ({ ...p, ing: ingress("web", "shop", { rules: [{ host: "a.example.com" }] }) }) },
    // @pulumi/policy unwraps secrets before Analyze, so only the in-process paths can tell plaintext from a secret.
    "kubernetes-secret-data-pulumi-secret": {
        plant: (p) => ({ ...p, secret: secretRes("db", "shop", { stringData: { password: "plaintext" } }) }),
        inProcessOnly: true,
    },
    "kubernetes-configmap-credentials": {
        plant: (p) =>
            ({
                ...p,
                configMap: {
                    type: "kubernetes:core/v1:ConfigMap",
                    name: "app-config",
                    props: { metadata: { name: "app-config", namespace: "shop" }, data: { LOG_LEVEL: "info", DB_PASSWORD: "planted-configmap-password" } },
                },
            }) as Parts,
    },
    "kubernetes-quota-namespace-limits": { plant: (p) => ({ ...p, quota: undefined as unknown as Res }) },
};

/** The hardened stack with one control's planted violation. */
export function plantedStack(id: string): (Res & { urn: string })[] {
    return stackOf(PLANTED[id].plant(hardenedParts()));
}
