/**
 * A workload per Pod Security `restricted` and CIS Kubernetes 5.x: its own ServiceAccount (token not mounted), a
 * Role with exactly the reads the app needs (named ConfigMaps, `get` only — no wildcards, no Secrets; none when it needs none), a
 * Deployment (non-root uid, RuntimeDefault seccomp, no privilege escalation, ALL capabilities dropped,
 * read-only root filesystem, requests and limits, image by digest), a ClusterIP Service, and a NetworkPolicy
 * that admits only same-namespace clients on the service port.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { DIGEST_REF } from "./HardenedContainer";

export interface HardenedDeploymentArgs {
    provider: k8s.Provider;
    namespace: pulumi.Input<string>;
    image: string;
    port: number;
    replicas?: number;
    uid?: number;
    /** ConfigMaps the app reads through the API (get only); the Role is empty otherwise. */
    readsConfigMaps?: string[];
    /** Writable paths (emptyDir). */
    writablePaths?: string[];
    resources?: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
    probePath?: string;
}

export class HardenedDeployment extends pulumi.ComponentResource {
    readonly deployment: k8s.apps.v1.Deployment;
    readonly service: k8s.core.v1.Service;

    constructor(name: string, args: HardenedDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("stride-guard:kubernetes:HardenedDeployment", name, {}, opts);
        if (!DIGEST_REF.test(args.image)) throw new Error(`HardenedDeployment ${name}: image must be pinned by digest, got ${args.image}`);
        const uid = args.uid ?? 10001;
        if (uid === 0) throw new Error(`HardenedDeployment ${name}: uid must not be 0`);
        const o = { parent: this, provider: args.provider };
        const namespace = args.namespace;
        const labels = { "app.kubernetes.io/name": name };

        const sa = new k8s.core.v1.ServiceAccount(name, { metadata: { name, namespace }, automountServiceAccountToken: false }, o);
        if (args.readsConfigMaps?.length) {
            const role = new k8s.rbac.v1.Role(
                name,
                { metadata: { name, namespace }, rules: [{ apiGroups: [""], resources: ["configmaps"], resourceNames: args.readsConfigMaps, verbs: ["get"] }] },
                o,
            );
            new k8s.rbac.v1.RoleBinding(
                name,
                {
                    metadata: { name, namespace },
                    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
                    subjects: [{ kind: "ServiceAccount", name: sa.metadata.name, namespace }],
                },
                o,
            );
        }
        const writable = args.writablePaths ?? ["/tmp"];
        const resources = args.resources ?? { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "250m", memory: "128Mi" } };
        const probe = { httpGet: { path: args.probePath ?? "/", port: args.port }, periodSeconds: 10 };
        this.deployment = new k8s.apps.v1.Deployment(
            name,
            {
                metadata: { name, namespace, labels },
                spec: {
                    replicas: args.replicas ?? 2,
                    selector: { matchLabels: labels },
                    template: {
                        metadata: { labels },
                        spec: {
                            serviceAccountName: sa.metadata.name,
                            automountServiceAccountToken: false,
                            securityContext: {
                                runAsNonRoot: true,
                                runAsUser: uid,
                                runAsGroup: uid,
                                fsGroup: uid,
                                seccompProfile: { type: "RuntimeDefault" },
                            },
                            containers: [
                                {
                                    name,
                                    image: args.image,
                                    imagePullPolicy: "Always",
                                    ports: [{ name: "http", containerPort: args.port, protocol: "TCP" }],
                                    securityContext: {
                                        allowPrivilegeEscalation: false,
                                        privileged: false,
                                        readOnlyRootFilesystem: true,
                                        runAsNonRoot: true,
                                        runAsUser: uid,
                                        capabilities: { drop: ["ALL"] },
                                        seccompProfile: { type: "RuntimeDefault" },
                                    },
                                    resources,
                                    readinessProbe: probe,
                                    livenessProbe: { ...probe, initialDelaySeconds: 5 },
                                    volumeMounts: writable.map((p, i) => ({ name: `writable-${i}`, mountPath: p })),
                                },
                            ],
                            volumes: writable.map((_, i) => ({ name: `writable-${i}`, emptyDir: { sizeLimit: "64Mi" } })),
                        },
                    },
                },
            },
            o,
        );
        this.service = new k8s.core.v1.Service(
            name,
            {
                metadata: { name, namespace, labels },
                spec: { type: "ClusterIP", selector: labels, ports: [{ name: "http", port: 80, targetPort: args.port }] },
            },
            o,
        );
        new k8s.networking.v1.NetworkPolicy(
            `${name}-ingress`,
            {
                metadata: { name: `${name}-ingress`, namespace },
                spec: {
                    podSelector: { matchLabels: labels },
                    policyTypes: ["Ingress"],
                    ingress: [{ from: [{ podSelector: {} }], ports: [{ protocol: "TCP", port: args.port }] }],
                },
            },
            o,
        );
        this.registerOutputs({});
    }
}
