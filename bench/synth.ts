/**
 * Synthetic stacks for the benchmark: a deterministic, realistic mix of Docker and Kubernetes resources in
 * engine wire form (secrets wrapped, some unknown preview values), about half hardened and half violating.
 *
 * Every block of 100 resources holds: 2 providers (docker, kubernetes), 20 Docker containers, 8 Swarm services,
 * 18 Deployments (2–3 containers), 8 Pods, 6 CronJobs (2 containers), 7 Roles, 7 RoleBindings, 2 ClusterRoleBindings,
 * 5 Namespaces, 5 NetworkPolicies, 4 Services, 4 remote commands writing daemon.json and audit rules to a host, and
 * 4 commands writing control-plane static Pod manifests and a kubelet config (one control-plane node per block).
 */
import { stringify } from "yaml";
import type { CapturedResource } from "stride-guard/lib/runner/types";
import { hardenedContainer } from "../test/support/docker-fixtures";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const DIGEST = "@sha256:" + "c".repeat(64);
const STACK_URN = "urn:pulumi:bench::stride-guard::pulumi:pulumi:Stack::stride-guard-bench";

const secret = (value: unknown) => ({ [SIG]: SECRET, value });

function resource(type: string, name: string, props: Record<string, unknown>, extra: Partial<CapturedResource> = {}): CapturedResource {
    return {
        type,
        name,
        urn: `urn:pulumi:bench::stride-guard::${type}::${name}`,
        props,
        custom: true,
        parent: STACK_URN,
        dependencies: [],
        propertyDependencies: {},
        options: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [] },
        kind: "register",
        ...extra,
    };
}

function dockerContainer(i: number, bad: boolean): Record<string, unknown> {
    const name = `web-${i}`;
    if (bad) {
        return {
            name,
            image: i % 3 === 0 ? "nginx:latest" : "nginx",
            privileged: i % 4 === 0,
            networkMode: i % 5 === 0 ? "host" : "bridge",
            ports: [{ internal: 80, external: 8080 + (i % 100) }],
            envs: ["LOG_LEVEL=debug", `DB_PASSWORD=hunter${i}`],
            volumes: [{ hostPath: i % 2 ? "/var/run/docker.sock" : "/etc", containerPath: "/host" }],
            capabilities: { adds: ["SYS_ADMIN"] },
            memory: i % 7 === 0 ? UNKNOWN : undefined,
        };
    }
    // The hardened container of the tests, varied per resource (a secret env value, own volume, a label).
    return {
        ...(hardenedContainer({}, name).props as Record<string, unknown>),
        envs: ["LOG_LEVEL=info", secret(`DB_PASSWORD_FILE=/run/secrets/db-${i}`)],
        mounts: [{ type: "volume", source: `web-data-${i}`, target: "/data" }],
        labels: [{ label: "app", value: name }],
    };
}

function dockerService(i: number, bad: boolean): Record<string, unknown> {
    const name = `api-${i}`;
    const containerSpec = bad
        ? { image: "api:latest", env: { API_TOKEN: `t0ken-${i}` }, mounts: [{ type: "bind", source: "/", target: "/host" }] }
        : {
              image: "registry.example.com/api" + DIGEST,
              user: "10001:10001",
              readOnly: true,
              capDrops: ["ALL"],
              healthcheck: { tests: ["CMD", "/app/healthcheck"], interval: "30s" },
              mounts: [{ type: "tmpfs", target: "/tmp" }],
              env: { LOG_LEVEL: "info" },
          };
    const taskSpec = bad
        ? { containerSpec }
        : {
              containerSpec,
              resources: { limits: { memoryBytes: 256 * 1024 * 1024, nanoCpus: 500_000_000 } },
              restartPolicy: { condition: "on-failure", maxAttempts: 5 },
          };
    return { name, taskSpec, endpointSpec: { ports: [{ targetPort: 8080, publishedPort: bad ? 80 : 8080 }] } };
}

function k8sContainer(name: string, i: number, bad: boolean): Record<string, unknown> {
    if (bad) {
        return {
            name,
            image: `busybox:${i % 2 ? "latest" : "1.36"}`,
            securityContext: { privileged: i % 3 === 0, allowPrivilegeEscalation: true, capabilities: { add: ["NET_ADMIN", "SYS_PTRACE"] } },
            ports: [{ containerPort: 8080, hostPort: i % 4 === 0 ? 8080 : undefined }],
            env: [
                { name: "API_KEY", value: `key-${i}` },
                { name: "MODE", value: "dev" },
            ],
        };
    }
    return {
        name,
        image: "registry.example.com/app" + DIGEST,
        securityContext: {
            privileged: false,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            runAsUser: 10001,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        },
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
        ports: [{ containerPort: 8080, name: "http" }],
        env: [
            { name: "LOG_LEVEL", value: "info" },
            { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
        ],
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
    };
}

function podSpec(i: number, bad: boolean, containers: number): Record<string, unknown> {
    const list = Array.from({ length: containers }, (_, k) => k8sContainer(k === 0 ? "app" : `sidecar-${k}`, i + k, bad && k !== 1));
    if (bad) {
        return {
            hostNetwork: i % 5 === 0,
            hostPID: i % 7 === 0,
            containers: list,
            volumes: [{ name: "host", hostPath: { path: "/var/lib" } }],
        };
    }
    return {
        automountServiceAccountToken: false,
        serviceAccountName: "app",
        securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        containers: list,
        volumes: [{ name: "tmp", emptyDir: { medium: "Memory" } }],
    };
}

const meta = (name: string, namespace: string) => ({ name, namespace, labels: { app: name, tier: "backend" }, annotations: { "example.com/owner": "team-a" } });

function cpManifest(kind: string, host: string, bad: boolean): string {
    const flags = bad
        ? ["--anonymous-auth=true", "--profiling=true", "--authorization-mode=AlwaysAllow", "--insecure-port=8080"]
        : [
              "--anonymous-auth=false",
              "--authorization-mode=Node,RBAC",
              "--client-ca-file=/etc/kubernetes/pki/ca.crt",
              "--profiling=false",
              "--enable-admission-plugins=NodeRestriction,EventRateLimit,AlwaysPullImages",
              "--audit-log-path=/var/log/kubernetes/audit.log",
              "--audit-log-maxage=30",
              "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt",
              "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key",
              "--tls-min-version=VersionTLS12",
              `--etcd-servers=https://${host}:2379`,
          ];
    return stringify({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: kind, namespace: "kube-system" },
        spec: { hostNetwork: true, containers: [{ name: kind, image: `registry.k8s.io/${kind}:v1.34.1`, command: [kind, ...flags] }] },
    });
}

function hostWrite(name: string, host: string, path: string, content: unknown, mode = "0600"): Record<string, unknown> {
    return {
        connection: { host, user: "admin", privateKey: secret("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n") },
        create: `install -D -m ${mode} -o root -g root /dev/stdin ${path}`,
        stdin: content,
        triggers: [name],
    };
}

/** The 100 resources of block `b`. */
function block(b: number): CapturedResource[] {
    const out: CapturedResource[] = [];
    const bad = (k: number) => (b + k) % 2 === 1;
    const host = `10.${(b >> 8) & 255}.${b & 255}.5`;
    const ns = `team-${b % 50}`;
    const dockerProv = resource(
        "pulumi:providers:docker",
        `docker-${b}`,
        { host: bad(0) ? `tcp://${host}:2375` : `ssh://admin@${host}`, version: "5.2.0" },
        { custom: true },
    );
    const k8sProv = resource("pulumi:providers:kubernetes", `k8s-${b}`, {
        kubeconfig: secret("apiVersion: v1\nkind: Config\n"),
        namespace: ns,
        version: "4.34.2",
    });
    out.push(dockerProv, k8sProv);
    const provOf = (p: CapturedResource) => ({ type: p.type, name: p.name, urn: p.urn, props: p.props });
    for (let k = 0; k < 20; k++)
        out.push(
            resource("docker:index/container:Container", `web-${b}-${k}`, dockerContainer(b * 100 + k, bad(k)), {
                provider: provOf(dockerProv),
                dependencies: [dockerProv.urn],
            }),
        );
    for (let k = 0; k < 8; k++)
        out.push(resource("docker:index/service:Service", `api-${b}-${k}`, dockerService(b * 100 + k, bad(k)), { provider: provOf(dockerProv) }));
    const kp = { provider: provOf(k8sProv) };
    for (let k = 0; k < 18; k++) {
        const name = `svc-${b}-${k}`;
        const spec = podSpec(b * 100 + k, bad(k), 2 + (k % 2));
        out.push(
            resource(
                "kubernetes:apps/v1:Deployment",
                name,
                {
                    apiVersion: "apps/v1",
                    kind: "Deployment",
                    metadata: meta(name, ns),
                    spec: { replicas: 3, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } },
                },
                kp,
            ),
        );
    }
    for (let k = 0; k < 8; k++) {
        const name = `pod-${b}-${k}`;
        out.push(
            resource(
                "kubernetes:core/v1:Pod",
                name,
                { apiVersion: "v1", kind: "Pod", metadata: meta(name, ns), spec: podSpec(b * 100 + k, bad(k), 1 + (k % 3)) },
                kp,
            ),
        );
    }
    for (let k = 0; k < 6; k++) {
        const name = `cron-${b}-${k}`;
        out.push(
            resource(
                "kubernetes:batch/v1:CronJob",
                name,
                {
                    apiVersion: "batch/v1",
                    kind: "CronJob",
                    metadata: meta(name, ns),
                    spec: {
                        schedule: "0 * * * *",
                        jobTemplate: {
                            spec: {
                                template: { metadata: { labels: { app: name } }, spec: { ...podSpec(b * 100 + k, bad(k), 2), restartPolicy: "OnFailure" } },
                            },
                        },
                    },
                },
                kp,
            ),
        );
    }
    for (let k = 0; k < 7; k++) {
        const name = `role-${b}-${k}`;
        const rules = bad(k)
            ? [
                  { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
                  { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] },
              ]
            : [
                  { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] },
                  { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get"] },
              ];
        out.push(resource("kubernetes:rbac.authorization.k8s.io/v1:Role", name, { metadata: meta(name, ns), rules }, kp));
        const subjects = bad(k)
            ? [{ kind: "Group", name: "system:authenticated", apiGroup: "rbac.authorization.k8s.io" }]
            : [{ kind: "ServiceAccount", name: "app", namespace: ns }];
        out.push(
            resource(
                "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
                `rb-${b}-${k}`,
                { metadata: meta(`rb-${b}-${k}`, ns), roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name }, subjects },
                kp,
            ),
        );
    }
    for (let k = 0; k < 2; k++) {
        const name = `crb-${b}-${k}`;
        out.push(
            resource(
                "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
                name,
                {
                    metadata: { name },
                    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: bad(k) ? "cluster-admin" : "view" },
                    subjects: [{ kind: "User", name: `user-${b}-${k}`, apiGroup: "rbac.authorization.k8s.io" }],
                },
                kp,
            ),
        );
    }
    for (let k = 0; k < 5; k++) {
        const name = `ns-${b}-${k}`;
        const labels = bad(k)
            ? { team: "a" }
            : { team: "a", "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" };
        out.push(resource("kubernetes:core/v1:Namespace", name, { metadata: { name, labels } }, kp));
    }
    for (let k = 0; k < 5; k++) {
        const name = `netpol-${b}-${k}`;
        out.push(
            resource(
                "kubernetes:networking.k8s.io/v1:NetworkPolicy",
                name,
                {
                    metadata: meta(name, k === 0 ? ns : `ns-${b}-${k}`),
                    spec: bad(k) ? { podSelector: { matchLabels: { app: "x" } }, ingress: [{}] } : { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
                },
                kp,
            ),
        );
    }
    for (let k = 0; k < 4; k++) {
        const name = `http-${b}-${k}`;
        out.push(
            resource(
                "kubernetes:core/v1:Service",
                name,
                {
                    metadata: meta(name, ns),
                    spec: { type: bad(k) ? "NodePort" : "ClusterIP", selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] },
                },
                kp,
            ),
        );
    }
    const daemon = bad(1)
        ? { "log-driver": "json-file", hosts: [`tcp://0.0.0.0:2375`] }
        : {
              icc: false,
              "live-restore": true,
              userland_proxy: false,
              "no-new-privileges": true,
              "userns-remap": "default",
              "log-driver": "journald",
              tlsverify: true,
              tlscacert: "/etc/docker/ca.pem",
              tlscert: "/etc/docker/cert.pem",
              tlskey: "/etc/docker/key.pem",
          };
    out.push(
        resource(
            "command:remote:Command",
            `daemon-json-${b}`,
            hostWrite(`daemon-json-${b}`, host, "/etc/docker/daemon.json", JSON.stringify(daemon, null, 2), "0644"),
        ),
    );
    const rules = [
        "-w /usr/bin/dockerd -k docker",
        "-w /var/lib/docker -k docker",
        "-w /etc/docker -k docker",
        "-w /run/containerd -k docker",
        "-w /etc/docker/daemon.json -k docker",
    ];
    out.push(
        resource(
            "command:remote:Command",
            `audit-rules-${b}`,
            hostWrite(`audit-rules-${b}`, host, "/etc/audit/rules.d/docker.rules", (bad(2) ? rules.slice(0, 2) : rules).join("\n") + "\n"),
        ),
    );
    out.push(
        resource("command:remote:Command", `docker-restart-${b}`, {
            connection: { host, user: "admin" },
            create: "systemctl restart docker",
            triggers: [UNKNOWN],
        }),
    );
    out.push(resource("command:remote:Command", `auditd-${b}`, { connection: { host, user: "admin" }, create: "augenrules --load" }));
    for (const kind of ["kube-apiserver", "kube-controller-manager", "kube-scheduler"]) {
        out.push(
            resource(
                "command:remote:Command",
                `manifest-${kind}-${b}`,
                hostWrite(`manifest-${kind}-${b}`, host, `/etc/kubernetes/manifests/${kind}.yaml`, cpManifest(kind, host, bad(3))),
            ),
        );
    }
    out.push(
        resource(
            "command:remote:Command",
            `kubelet-config-${b}`,
            hostWrite(
                `kubelet-config-${b}`,
                host,
                "/var/lib/kubelet/config.yaml",
                stringify({
                    apiVersion: "kubelet.config.k8s.io/v1beta1",
                    kind: "KubeletConfiguration",
                    authentication: { anonymous: { enabled: bad(4) }, webhook: { enabled: true } },
                    authorization: { mode: bad(4) ? "AlwaysAllow" : "Webhook" },
                    readOnlyPort: bad(4) ? 10255 : 0,
                    rotateCertificates: true,
                }),
            ),
        ),
    );
    return out;
}

/** A synthetic stack of exactly `n` resources. */
export function syntheticStack(n: number): CapturedResource[] {
    const out: CapturedResource[] = [];
    for (let b = 0; out.length < n; b++) out.push(...block(b));
    return out.slice(0, n);
}

/** Resources per type, for the README and the JSON. */
export function mixOf(resources: readonly CapturedResource[]): Record<string, number> {
    const m: Record<string, number> = {};
    for (const r of resources) m[r.type] = (m[r.type] ?? 0) + 1;
    return m;
}
