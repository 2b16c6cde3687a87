/**
 * Small typed fixture builders. Each returns a resource with the inputs a hardened user would
 * write; tests override single fields to plant one violation at a time.
 */
import type * as docker from "@pulumi/docker";
import type * as k8s from "@pulumi/kubernetes";
import { Res } from "./run-control";

type Loose<T> = { [K in keyof T]?: unknown };

/** `docker:index/container:Container` that passes every container control. */
export function dockerContainer(overrides: Loose<docker.ContainerArgs> = {}, name = "web"): Res {
    const props: Loose<docker.ContainerArgs> = {
        name,
        image: "registry.example.com/web@sha256:" + "a".repeat(64),
        user: "10001:10001",
        memory: 256,
        restart: "on-failure",
        maxRetryCount: 5,
        privileged: false,
        readOnly: true,
        capabilities: { drops: ["ALL"], adds: [] },
        ...overrides,
    };
    return { type: "docker:index/container:Container", name, props };
}

type PodSpec = Loose<k8s.types.input.core.v1.PodSpec>;
type ContainerSpec = Loose<k8s.types.input.core.v1.Container>;

/** A container that passes every Kubernetes container control. */
export function k8sContainer(overrides: ContainerSpec = {}): ContainerSpec {
    return {
        name: "app",
        image: "registry.example.com/app@sha256:" + "b".repeat(64),
        securityContext: {
            privileged: false,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            runAsUser: 10001,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        },
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
        ...overrides,
    };
}

/** A hardened pod spec with one hardened container. */
export function podSpec(overrides: PodSpec = {}): PodSpec {
    return {
        automountServiceAccountToken: false,
        serviceAccountName: "app",
        securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        containers: [k8sContainer()],
        ...overrides,
    };
}

const API: Readonly<Record<string, string>> = {
    Pod: "core/v1",
    PodTemplate: "core/v1",
    ReplicationController: "core/v1",
    Deployment: "apps/v1",
    StatefulSet: "apps/v1",
    DaemonSet: "apps/v1",
    ReplicaSet: "apps/v1",
    Job: "batch/v1",
    CronJob: "batch/v1",
};

export const POD_BEARING_KINDS = Object.keys(API);

/** Wraps a pod spec in any pod-bearing kind, where that kind keeps it. */
export function workload(kind: string, spec: PodSpec = podSpec(), name = "api", namespace = "shop"): Res {
    const metadata = { name, namespace, labels: { app: name } };
    const template = { metadata: { labels: { app: name } }, spec };
    const props =
        kind === "Pod"
            ? { metadata, spec }
            : kind === "PodTemplate"
              ? { metadata, template }
              : kind === "CronJob"
                ? { metadata, spec: { schedule: "0 * * * *", jobTemplate: { spec: { template } } } }
                : { metadata, spec: { selector: { matchLabels: { app: name } }, template } };
    return { type: `kubernetes:${API[kind]}:${kind}`, name, props };
}
