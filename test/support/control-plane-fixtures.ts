/**
 * Control-plane fixtures: a hardened control-plane node as a stack writes it (static Pod manifests,
 * KubeletConfiguration, audit policy, encryption configuration, kubeconfigs and PKI, each written by
 * a `command:remote:Command` with `install -D -m MODE -o root -g root /dev/stdin PATH`), and builders
 * to change one flag or one file at a time.
 */
import assert from "assert/strict";
import type { Control } from "stride-guard/lib/contract/control";
import { stringify } from "yaml";
import { messages, Res, run, secret, UNKNOWN_STRING } from "./run-control";

export type Kind = "kube-apiserver" | "etcd" | "kube-controller-manager" | "kube-scheduler" | "kubelet";
export type Flags = Record<string, string>;
/** Flag overrides: a string sets the flag, null removes it. */
export type FlagOverrides = Record<string, string | null>;

export const HOST = "10.0.0.5";
const PKI = "/etc/kubernetes/pki";

export const STRONG_CIPHERS =
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";

/** Flags of a hardened control plane, per component: every control-plane control passes on these. */
export const HARDENED: Readonly<Record<Exclude<Kind, "kubelet">, Flags>> = {
    "kube-apiserver": {
        "anonymous-auth": "false",
        "authorization-mode": "Node,RBAC",
        "client-ca-file": `${PKI}/ca.crt`,
        "kubelet-client-certificate": `${PKI}/apiserver-kubelet-client.crt`,
        "kubelet-client-key": `${PKI}/apiserver-kubelet-client.key`,
        "kubelet-certificate-authority": `${PKI}/ca.crt`,
        "enable-admission-plugins": "NodeRestriction,EventRateLimit,AlwaysPullImages,DenyServiceExternalIPs",
        "admission-control-config-file": "/etc/kubernetes/admission.yaml",
        profiling: "false",
        "audit-log-path": "/var/log/kubernetes/audit.log",
        "audit-log-maxage": "30",
        "audit-log-maxbackup": "10",
        "audit-log-maxsize": "100",
        "audit-policy-file": "/etc/kubernetes/audit-policy.yaml",
        "request-timeout": "60s",
        "max-requests-inflight": "400",
        "max-mutating-requests-inflight": "200",
        "service-account-lookup": "true",
        "service-account-key-file": `${PKI}/sa.pub`,
        "service-account-signing-key-file": `${PKI}/sa.key`,
        "service-account-issuer": "https://kubernetes.default.svc.cluster.local",
        "service-account-extend-token-expiration": "false",
        "etcd-servers": "https://127.0.0.1:2379",
        "etcd-cafile": `${PKI}/etcd/ca.crt`,
        "etcd-certfile": `${PKI}/apiserver-etcd-client.crt`,
        "etcd-keyfile": `${PKI}/apiserver-etcd-client.key`,
        "tls-cert-file": `${PKI}/apiserver.crt`,
        "tls-private-key-file": `${PKI}/apiserver.key`,
        "tls-min-version": "VersionTLS12",
        "tls-cipher-suites": STRONG_CIPHERS,
        "encryption-provider-config": "/etc/kubernetes/encryption.yaml",
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
        "listen-client-urls": `https://127.0.0.1:2379,https://${HOST}:2379`,
        "advertise-client-urls": `https://${HOST}:2379`,
        "listen-peer-urls": `https://${HOST}:2380`,
        "data-dir": "/var/lib/etcd",
    },
    "kube-controller-manager": {
        profiling: "false",
        "bind-address": "127.0.0.1",
        "use-service-account-credentials": "true",
        "service-account-private-key-file": `${PKI}/sa.key`,
        "root-ca-file": `${PKI}/ca.crt`,
        "terminated-pod-gc-threshold": "10",
        "feature-gates": "RotateKubeletServerCertificate=true",
        kubeconfig: "/etc/kubernetes/controller-manager.conf",
    },
    "kube-scheduler": {
        profiling: "false",
        "bind-address": "127.0.0.1",
        kubeconfig: "/etc/kubernetes/scheduler.conf",
    },
};

/** A hardened KubeletConfiguration document. */
export function kubeletConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        apiVersion: "kubelet.config.k8s.io/v1beta1",
        kind: "KubeletConfiguration",
        authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: `${PKI}/ca.crt` } },
        authorization: { mode: "Webhook" },
        readOnlyPort: 0,
        rotateCertificates: true,
        serverTLSBootstrap: true,
        podPidsLimit: 4096,
        featureGates: { RotateKubeletServerCertificate: true },
        ...overrides,
    };
}

/** `--k=v` arguments from a flag map with overrides applied. */
export function args(base: Flags, overrides: FlagOverrides = {}): string[] {
    const merged: Record<string, string | null> = { ...base, ...overrides };
    return Object.entries(merged)
        .filter((e): e is [string, string] => e[1] !== null)
        .map(([k, v]) => `--${k}=${v}`);
}

/** A static Pod manifest running `kind` with these arguments. */
export function staticPodYaml(kind: string, argv: readonly unknown[]): string {
    return stringify({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: kind, namespace: "kube-system" },
        spec: { hostNetwork: true, containers: [{ name: kind, image: `registry.k8s.io/${kind}:v1.34.1`, command: [kind, ...argv] }] },
    });
}

export interface WriteOptions {
    readonly mode?: string | null;
    readonly owner?: string | null;
    readonly group?: string | null;
    readonly host?: string;
    readonly name?: string;
}

/** A file written to a host the way the hardened-cluster component writes it. */
export function hostFile(path: string, content: unknown, o: WriteOptions = {}): Res {
    const mode = o.mode === undefined ? "0600" : o.mode;
    const owner = o.owner === undefined ? "root" : o.owner;
    const group = o.group === undefined ? "root" : o.group;
    const opts = [mode !== null ? `-m ${mode}` : "", owner !== null ? `-o ${owner}` : "", group !== null ? `-g ${group}` : ""]
        .filter((s) => s !== "")
        .join(" ");
    const name = o.name ?? `write${path.replace(/[^\w]+/g, "-")}`;
    return {
        type: "command:remote:Command",
        name,
        props: { connection: { host: o.host ?? HOST, user: "admin" }, create: `install -D ${opts} /dev/stdin ${path}`, stdin: content },
    };
}

export const AUDIT_POLICY = {
    apiVersion: "audit.k8s.io/v1",
    kind: "Policy",
    omitStages: ["RequestReceived"],
    rules: [
        {
            level: "Metadata",
            resources: [
                { group: "", resources: ["secrets", "configmaps"] },
                { group: "authentication.k8s.io", resources: ["tokenreviews"] },
            ],
        },
        { level: "RequestResponse", verbs: ["create", "update", "patch", "delete", "deletecollection"] },
        { level: "Metadata", resources: [{ group: "", resources: ["pods/exec", "pods/portforward", "pods/proxy", "services/proxy"] }] },
        { level: "Metadata" },
    ],
};

/** A 32-byte key, base64: the fixture's only "secret". */
export const AES_KEY = Buffer.alloc(32, 7).toString("base64");

export function encryptionConfig(
    providers: unknown[] = [{ aescbc: { keys: [{ name: "key1", secret: AES_KEY }] } }, { identity: {} }],
): Record<string, unknown> {
    return {
        apiVersion: "apiserver.config.k8s.io/v1",
        kind: "EncryptionConfiguration",
        resources: [{ resources: ["secrets"], providers }],
    };
}

export interface NodeOptions {
    /** Flag overrides per component. */
    readonly flags?: Partial<Record<Exclude<Kind, "kubelet">, FlagOverrides>>;
    readonly kubelet?: Record<string, unknown>;
    /** Replaces (or, with null, drops) written files by path. */
    readonly files?: Record<string, Res | null>;
}

/** Every file of a hardened kubeadm-style control-plane node. */
export function controlPlaneNode(o: NodeOptions = {}): Res[] {
    const files: Record<string, Res> = {};
    for (const kind of Object.keys(HARDENED) as Exclude<Kind, "kubelet">[]) {
        const path = `/etc/kubernetes/manifests/${kind}.yaml`;
        files[path] = hostFile(path, staticPodYaml(kind, args(HARDENED[kind], o.flags?.[kind])));
    }
    files["/var/lib/kubelet/config.yaml"] = hostFile("/var/lib/kubelet/config.yaml", stringify(kubeletConfig(o.kubelet)));
    files["/etc/kubernetes/audit-policy.yaml"] = hostFile("/etc/kubernetes/audit-policy.yaml", stringify(AUDIT_POLICY));
    files["/etc/kubernetes/encryption.yaml"] = hostFile("/etc/kubernetes/encryption.yaml", stringify(encryptionConfig()));
    for (const conf of ["admin", "super-admin", "controller-manager", "scheduler", "kubelet"]) {
        files[`/etc/kubernetes/${conf}.conf`] = hostFile(`/etc/kubernetes/${conf}.conf`, `apiVersion: v1\nkind: Config\n`);
    }
    files[`${PKI}/ca.crt`] = hostFile(`${PKI}/ca.crt`, "-----BEGIN CERTIFICATE-----\n", { mode: "0644" });
    files[`${PKI}/ca.key`] = hostFile(`${PKI}/ca.key`, "-----BEGIN PRIVATE KEY-----\n");
    for (const [path, r] of Object.entries(o.files ?? {})) {
        if (r === null) delete files[path];
        else files[path] = r;
    }
    return Object.values(files);
}

/** A kube-system Pod resource (`kubernetes:core/v1:Pod`) running `kind` with these arguments. */
export function controlPlanePod(kind: string, argv: readonly unknown[], name = kind): Res {
    return {
        type: "kubernetes:core/v1:Pod",
        name,
        props: {
            metadata: { name, namespace: "kube-system" },
            spec: { hostNetwork: true, containers: [{ name: kind, image: `registry.k8s.io/${kind}:v1.34.1`, command: [kind, ...argv] }] },
        },
    };
}

/** A `docker:index/container:Container` running `kind` with these arguments as its command. */
export function controlPlaneDockerContainer(kind: string, argv: readonly unknown[], name = kind): Res {
    return { type: "docker:index/container:Container", name, props: { name, image: `registry.k8s.io/${kind}:v1.34.1`, entrypoint: [kind], command: argv } };
}

// ---- shared cases for flag-rule controls ---------------------------------------------------------

const MANIFEST = (kind: string) => `/etc/kubernetes/manifests/${kind}.yaml`;

/** The parts of an outcome these tests compare (the evaluator may add more, such as `unknownUrns`). */
export function outcome(o: { violations: readonly unknown[]; unknownPaths: readonly string[] }): object {
    return { violations: o.violations, unknownPaths: o.unknownPaths };
}

/** The hardened node with one component's flags changed. */
export function nodeWith(kind: Exclude<Kind, "kubelet">, over: FlagOverrides): Res[] {
    return controlPlaneNode({ flags: { [kind]: over } });
}

/** Exactly one violation, matching `re`; returns it. */
export function onlyMessage(control: Control, resources: readonly Res[], re: RegExp, settings: object = {}): string {
    const msgs = messages(control, resources, settings);
    assert.equal(msgs.length, 1, msgs.join("\n"));
    assert.match(msgs[0], re);
    return msgs[0];
}

/**
 * A component whose flag is missing while one argument is unknown at preview: the flag may still be
 * set, so the control reports an unknown (a note by default, a violation under `unknownValues: fail`).
 */
export function assertUnknownWhenArgumentsUnknown(control: Control, kind: Exclude<Kind, "kubelet">, flag: string): void {
    const argv = [...args(HARDENED[kind], { [flag]: null }), UNKNOWN_STRING];
    const resources = controlPlaneNode({ files: { [MANIFEST(kind)]: controlPlanePod(kind, argv) } });
    const out = run(control, resources);
    assert.deepEqual(out.violations, []);
    assert.ok(out.unknownPaths.includes("spec.containers[0].command"), out.unknownPaths.join("\n"));
    const failing = run(control, resources, { unknownValues: "fail" });
    assert.ok(failing.violations.length >= 1);
    assert.ok(
        failing.violations.every((v) => /unknown at preview/.test(v.message)),
        failing.violations.map((v) => v.message).join("\n"),
    );
    assert.ok(failing.violations.some((v) => v.message.includes(`--${flag} is not among the known arguments`)));
}

/** A failing flag whose whole argument is a Pulumi secret: it fails, and the secret never shows. */
/**
 * A KubeletConfiguration written as a secret, failing the control through `failing` and carrying a marked
 * value elsewhere: the control reports one violation, and the marked value never reaches it.
 */
export function assertSecretKubeletConfigHidden(control: Control, failing: Record<string, unknown>): void {
    const content = stringify(kubeletConfig({ ...failing, staticPodPath: "/etc/s3cr3t-manifests" }));
    const msgs = messages(control, [hostFile("/var/lib/kubelet/config.yaml", secret(content))]);
    assert.equal(msgs.length, 1, msgs.join("\n"));
    assert.ok(!msgs[0].includes("s3cr3t"), msgs[0]);
}

export function assertSecretArgumentHidden(control: Control, kind: Exclude<Kind, "kubelet">, flag: string, failing: string): void {
    const arg = `--${flag}=${failing}`;
    const argv = [...args(HARDENED[kind], { [flag]: null }), secret(arg)];
    const resources = controlPlaneNode({ files: { [MANIFEST(kind)]: controlPlanePod(kind, argv) } });
    const msgs = messages(control, resources);
    assert.ok(msgs.length >= 1, "the secret-wrapped failing value should fail");
    assert.ok(
        msgs.some((m) => m.includes(`--${flag}`)),
        msgs.join("\n"),
    );
    // An empty value leaves `--flag=` as the secret: the control's own advice ("set --flag=…") may say those words.
    for (const m of msgs) assert.ok(!(failing !== "" && m.includes(arg)) && !(failing.length > 8 && m.includes(failing)), m);
}

/** Malformed declarations of a component are reported clearly, and nothing throws. */
export function assertMalformedReported(control: Control, kind: Kind): void {
    const resources: Res[] = [
        hostFile(MANIFEST(kind === "kubelet" ? "kube-apiserver" : kind), "spec: [unclosed"),
        controlPlanePod(kind, [null, 42, "--v=2"], "bad-args"),
        { type: "kubernetes:core/v1:Pod", name: "nospec", props: { metadata: { name: "nospec", namespace: "kube-system" } } },
        { type: "kubernetes:core/v1:Pod", name: "null-props", props: null },
        { type: "docker:index/container:Container", name: "wrong-types", props: { name: "x", image: 7, entrypoint: "not-a-list", command: { a: 1 } } },
        hostFile(
            "/etc/kubernetes/kubeadm.yaml",
            "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs: 7\ncontrollerManager:\n  extraArgs: [1]\netcd:\n  local:\n    extraArgs: nope\nscheduler:\n  extraArgs: true\n---\napiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: [1]\nauthorization: {mode: {x: 1}}\npodPidsLimit: {}\nfeatureGates: {A: [1]}\nrotateCertificates: {}\n",
        ),
    ];
    let msgs: string[] = [];
    assert.doesNotThrow(() => (msgs = messages(control, resources)));
    assert.ok(msgs.length >= 1);
    for (const m of msgs) assert.ok(!/undefined|\[object Object\]/.test(m), m);
    assert.ok(
        msgs.some((m) => /cannot be checked|is malformed/.test(m)),
        msgs.join("\n"),
    );
    if (kind !== "kubelet")
        assert.ok(
            msgs.some((m) => m.includes("expected a string argument, got null")),
            msgs.join("\n"),
        );
}

export type FlagCase = readonly [name: string, kind: Exclude<Kind, "kubelet">, overrides: FlagOverrides, expected: RegExp];

/**
 * The standard tests of a control made of flag rules: it passes the hardened node; each case (one
 * flag changed on one component) gives exactly one violation naming the component, its manifest and
 * the flag; a flag hidden among unknown arguments is an unknown; a secret argument never shows;
 * malformed declarations are reported.
 */
export function describeFlagRuleControl(
    control: Control,
    o: { cases: readonly FlagCase[]; unknown: readonly [Exclude<Kind, "kubelet">, string]; secret: readonly [Exclude<Kind, "kubelet">, string, string] },
): void {
    describe(control.id, () => {
        it("passes a hardened control plane", () => {
            assert.deepEqual(outcome(run(control, controlPlaneNode())), { violations: [], unknownPaths: [] });
        });
        for (const [name, kind, over, re] of o.cases) {
            it(`fails on ${name}, naming the component, its manifest and the flag`, () => {
                const m = onlyMessage(control, nodeWith(kind, over), re);
                assert.ok(m.startsWith(`${kind} (static Pod /etc/kubernetes/manifests/${kind}.yaml on ${HOST}): spec.containers[0].command`), m);
            });
        }
        it("reports an unknown when a flag may be among unknown arguments", () => assertUnknownWhenArgumentsUnknown(control, ...o.unknown));
        it("never shows a secret-wrapped argument", () => assertSecretArgumentHidden(control, ...o.secret));
        it("reports malformed input clearly without throwing", () => assertMalformedReported(control, o.secret[0]));
    });
}
