/**
 * The reference control plane on real binaries: etcd (mutual TLS) and kube-apiserver started with the flags the
 * `kubernetes-cluster` stack renders (stacks/render/kubeadm.ts: kubeadm's etcd command line and the API server's
 * extraArgs, plus the kubeadm defaults the stack does not override), reading the EncryptionConfiguration, audit
 * Policy and AdmissionConfiguration the stack renders, with a throwaway PKI laid out as kubeadm lays it out.
 *
 * Everything runs in a private network namespace with only loopback up (`unshare --net`), so the well-known
 * ports (2379, 6443) are free and nothing is reachable from outside; clients (curl, etcdctl, pulumi, kube-bench)
 * enter it with `nsenter --net`. Processes run under `setpriv --pdeathsig KILL` and die with the test process.
 */
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { renderAdmissionConfig, HARDENED_ADMISSION, AdmissionConfigOptions } from "../../stacks/render/admission-config";
import { renderAuditPolicy, HARDENED_AUDIT_POLICY, AuditPolicyOptions } from "../../stacks/render/audit-policy";
import { hardenedEncryptionOptions, renderEncryptionConfig, EncryptionConfigOptions } from "../../stacks/render/encryption-config";
import { apiServerArgs, AUDIT_LOG_DIR, ControlPlaneSecurity, kubeadmEtcdFlags, KubeadmOptions, PKI_DIR, POLICY_DIR } from "../../stacks/render/kubeadm";
import { which } from "../real/available";
import { makeTempDir, register, removeDirSync, unregister } from "../real/cleanup";
import { comm, descendants, ExecResult, pidAlive, run, sleep, spawnLogged, tail } from "../real/proc";
import { TOOLCHAIN_BIN } from "./support";

export interface ControlPlaneOptions {
    security: ControlPlaneSecurity;
    audit?: AuditPolicyOptions;
    admission?: AdmissionConfigOptions;
    /** Default: the stack's hardened options with a fresh random key. */
    encryption?: EncryptionConfigOptions;
}

export interface ControlPlane {
    dir: string;
    /** Where the rendered files and the PKI live (the stack's /etc/kubernetes, moved). */
    etcKubernetes: string;
    kubeadm: KubeadmOptions;
    etcdArgs: string[];
    apiServerArgs: string[];
    /** Kubeconfig of a system:masters client certificate, server https://127.0.0.1:6443. */
    adminKubeconfig: string;
    auditLog: string;
    /** /proc/PID/ns/net of the namespace. */
    netns: string;
    /** `nsenter … --` prefix that runs a command in the namespaces. */
    enter: string[];
    /** Run a command inside the namespace (never throws for a non-zero exit). */
    exec(argv: string[], timeoutMs?: number): Promise<ExecResult>;
    /** curl the API server: `as` "admin" (client certificate), "anonymous" (none), or a bearer token. */
    api(method: string, urlPath: string, opts?: { as?: "admin" | "anonymous" | { token: string }; body?: unknown }): Promise<{ status: number; body: string }>;
    etcdctl(args: string[]): Promise<ExecResult>;
    stop(): Promise<void>;
}

/** The stack's kubeadm options for a single node at 127.0.0.1. */
export function kubeadmOptions(security: ControlPlaneSecurity): KubeadmOptions {
    return {
        nodeName: "cp-1",
        advertiseAddress: "127.0.0.1",
        certSANs: ["127.0.0.1"],
        kubernetesVersion: "v1.32.13",
        podSubnet: "10.244.0.0/16",
        serviceSubnet: "10.96.0.0/12",
        schedulable: true,
        security,
    };
}

function openssl(args: string[], cwd: string): void {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
}

/** A CA and leaf certificates laid out as kubeadm does under pki/ (EC P-256; the service-account key is RSA). */
function makePki(pki: string): void {
    fs.mkdirSync(path.join(pki, "etcd"), { recursive: true, mode: 0o755 });
    const key = (f: string) => {
        openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", f], pki);
        fs.chmodSync(path.join(pki, f), 0o600);
    };
    const ca = (base: string, cn: string) => {
        key(`${base}.key`);
        openssl(
            [
                "req",
                "-x509",
                "-new",
                "-key",
                `${base}.key`,
                "-subj",
                `/CN=${cn}`,
                "-days",
                "2",
                "-out",
                `${base}.crt`,
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
            pki,
        );
    };
    const leaf = (base: string, caBase: string, subj: string, eku: string, sans?: string) => {
        key(`${base}.key`);
        openssl(["req", "-new", "-key", `${base}.key`, "-subj", subj, "-out", `${base}.csr`], pki);
        const ext = ["basicConstraints=CA:FALSE", "keyUsage=critical,digitalSignature,keyEncipherment", `extendedKeyUsage=${eku}`];
        if (sans) ext.push(`subjectAltName=${sans}`);
        fs.writeFileSync(path.join(pki, `${base}.ext`), ext.join("\n") + "\n");
        const serial = "0x" + crypto.randomBytes(12).toString("hex");
        openssl(
            [
                "x509",
                "-req",
                "-in",
                `${base}.csr`,
                "-CA",
                `${caBase}.crt`,
                "-CAkey",
                `${caBase}.key`,
                "-set_serial",
                serial,
                "-days",
                "2",
                "-extfile",
                `${base}.ext`,
                "-out",
                `${base}.crt`,
            ],
            pki,
        );
        fs.rmSync(path.join(pki, `${base}.csr`));
        fs.rmSync(path.join(pki, `${base}.ext`));
    };
    const local = "IP:127.0.0.1,DNS:localhost";
    ca("ca", "kubernetes");
    ca("etcd/ca", "etcd-ca");
    leaf("apiserver", "ca", "/CN=kube-apiserver", "serverAuth", `${local},DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.96.0.1`);
    leaf("apiserver-kubelet-client", "ca", "/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client", "clientAuth");
    leaf("admin", "ca", "/O=system:masters/CN=stride-guard-admin", "clientAuth");
    leaf("etcd/server", "etcd/ca", "/CN=cp-1", "serverAuth,clientAuth", `${local},DNS:cp-1`);
    leaf("etcd/peer", "etcd/ca", "/CN=cp-1", "serverAuth,clientAuth", `${local},DNS:cp-1`);
    leaf("etcd/healthcheck-client", "etcd/ca", "/CN=kube-etcd-healthcheck-client", "clientAuth");
    leaf("apiserver-etcd-client", "etcd/ca", "/CN=kube-apiserver-etcd-client", "clientAuth");
    openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "sa.key"], pki);
    fs.chmodSync(path.join(pki, "sa.key"), 0o600);
    openssl(["pkey", "-in", "sa.key", "-pubout", "-out", "sa.pub"], pki);
}

/** The stack's paths (/etc/kubernetes/…, /var/log/kubernetes/audit, /var/lib/etcd) moved under dir. */
function relocate(value: string, dir: string): string {
    return value
        .split(PKI_DIR)
        .join(path.join(dir, "etc-kubernetes", "pki"))
        .split(POLICY_DIR)
        .join(path.join(dir, "etc-kubernetes", "policies"))
        .split(AUDIT_LOG_DIR)
        .join(path.join(dir, "audit"))
        .split("/var/lib/etcd")
        .join(path.join(dir, "etcd-data"));
}

/**
 * kube-apiserver flags: what kubeadm writes into its static Pod by default (v1.32), then the stack's extraArgs
 * (which win, as in kubeadm), paths relocated.
 */
export function apiServerFlags(o: KubeadmOptions, dir: string): string[] {
    const m = new Map<string, string>([
        ["advertise-address", o.advertiseAddress],
        ["allow-privileged", "true"],
        ["authorization-mode", "Node,RBAC"],
        ["client-ca-file", `${PKI_DIR}/ca.crt`],
        ["enable-admission-plugins", "NodeRestriction"],
        ["enable-bootstrap-token-auth", "true"],
        ["etcd-cafile", `${PKI_DIR}/etcd/ca.crt`],
        ["etcd-certfile", `${PKI_DIR}/apiserver-etcd-client.crt`],
        ["etcd-keyfile", `${PKI_DIR}/apiserver-etcd-client.key`],
        ["etcd-servers", "https://127.0.0.1:2379"],
        ["kubelet-client-certificate", `${PKI_DIR}/apiserver-kubelet-client.crt`],
        ["kubelet-client-key", `${PKI_DIR}/apiserver-kubelet-client.key`],
        ["kubelet-preferred-address-types", "InternalIP,ExternalIP,Hostname"],
        ["secure-port", "6443"],
        ["service-account-issuer", "https://kubernetes.default.svc.cluster.local"],
        ["service-account-key-file", `${PKI_DIR}/sa.pub`],
        ["service-account-signing-key-file", `${PKI_DIR}/sa.key`],
        ["service-cluster-ip-range", o.serviceSubnet],
        ["tls-cert-file", `${PKI_DIR}/apiserver.crt`],
        ["tls-private-key-file", `${PKI_DIR}/apiserver.key`],
    ]);
    for (const [k, v] of apiServerArgs(o)) m.set(k, v);
    // Only loopback exists in the namespace; bind there explicitly.
    m.set("bind-address", "127.0.0.1");
    return [...m].map(([k, v]) => `--${k}=${relocate(v, dir)}`);
}

/** etcd flags: kubeadm's static Pod command line with the stack's extraArgs, paths relocated, duplicate URLs (advertise address = 127.0.0.1) merged. */
export function etcdFlags(o: KubeadmOptions, dir: string): string[] {
    return kubeadmEtcdFlags(o).map((f) => {
        const [k, v] = [f.slice(0, f.indexOf("=")), f.slice(f.indexOf("=") + 1)];
        const value = /-urls$/.test(k) ? [...new Set(v.split(","))].join(",") : v;
        return `${k}=${relocate(value, dir)}`;
    });
}

function kubeconfig(pki: string, certBase: string): string {
    const b64 = (f: string) => fs.readFileSync(path.join(pki, f)).toString("base64");
    return [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: cp",
        "  cluster:",
        "    server: https://127.0.0.1:6443",
        `    certificate-authority-data: ${b64("ca.crt")}`,
        "users:",
        "- name: admin",
        "  user:",
        `    client-certificate-data: ${b64(`${certBase}.crt`)}`,
        `    client-key-data: ${b64(`${certBase}.key`)}`,
        "contexts:",
        "- name: cp",
        "  context: {cluster: cp, user: admin}",
        "current-context: cp",
        "",
    ].join("\n");
}

function etcdBinary(): string {
    const built = path.join(TOOLCHAIN_BIN, "etcd");
    return fs.existsSync(built) ? built : (which("etcd") ?? "etcd");
}

let seq = 0;

export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
    for (const b of ["unshare", "nsenter", "setpriv", "ip", "openssl", "curl", "etcdctl"])
        if (!which(b)) throw new Error(`${b} not found (bash .ci/run installs it)`);
    const apiserverBin = path.join(TOOLCHAIN_BIN, "kube-apiserver");
    if (!fs.existsSync(apiserverBin)) throw new Error(".toolchain/bin/kube-apiserver missing (npm run toolchain)");
    const dir = makeTempDir("control-plane");
    const key = register(`control-plane:${path.basename(dir)}:${seq++}`, { dirs: [dir] });
    const etc = path.join(dir, "etc-kubernetes");
    const pki = path.join(etc, "pki");
    fs.mkdirSync(path.join(etc, "policies"), { recursive: true });
    fs.mkdirSync(path.join(dir, "audit"), { mode: 0o700 });
    fs.mkdirSync(path.join(dir, "etcd-data"), { mode: 0o700 });
    makePki(pki);
    // The stack's policy files, rendered by the stack's own functions (stacks/components/HardenedControlPlane.ts).
    const encryption = opts.encryption ?? hardenedEncryptionOptions(crypto.randomBytes(32).toString("base64"));
    fs.writeFileSync(path.join(etc, "policies", "encryption-config.yaml"), renderEncryptionConfig(encryption), { mode: 0o600 });
    fs.writeFileSync(path.join(etc, "policies", "audit-policy.yaml"), renderAuditPolicy(opts.audit ?? HARDENED_AUDIT_POLICY), { mode: 0o600 });
    fs.writeFileSync(path.join(etc, "policies", "admission-config.yaml"), renderAdmissionConfig(opts.admission ?? HARDENED_ADMISSION), { mode: 0o600 });
    const adminKubeconfig = path.join(dir, "admin.conf");
    fs.writeFileSync(adminKubeconfig, kubeconfig(pki, "admin"), { mode: 0o600 });

    const kubeadm = kubeadmOptions(opts.security);
    const etcdArgs = etcdFlags(kubeadm, dir);
    const apiArgs = apiServerFlags(kubeadm, dir);

    // A network and PID namespace (with its own /proc): only loopback, and `ps` inside (kube-bench) sees only
    // this control plane. Killing the namespace's init kills every process in it.
    const holder = spawnLogged(
        "setpriv",
        [
            "--pdeathsig",
            "KILL",
            "--",
            "unshare",
            "--net",
            "--pid",
            "--fork",
            "--kill-child",
            "--mount-proc",
            "--",
            "sh",
            "-c",
            "ip link set lo up && exec sleep 86400",
        ],
        path.join(dir, "netns.log"),
        dir,
    );
    register(key, { pids: [holder.pid] });
    let inner = 0;
    for (let i = 0; i < 100 && !inner; i++) {
        await sleep(50);
        inner = descendants(holder.pid).find((p) => comm(p) === "sleep") ?? 0;
    }
    if (!inner) throw new Error(`no namespace: ${tail(path.join(dir, "netns.log"))}`);
    register(key, { pids: [inner] });
    const netns = `/proc/${inner}/ns/net`;
    const enter = ["nsenter", "-t", String(inner), "--net", "--pid", "--mount", "--"];
    const exec = (argv: string[], timeoutMs = 60_000) => run([...enter, ...argv], { timeoutMs, env: { ...process.env, ETCDCTL_API: "3" } });

    const etcd = spawnLogged(enter[0], [...enter.slice(1), etcdBinary(), ...etcdArgs], path.join(dir, "etcd.log"), dir);
    const etcdctl = (args: string[]) =>
        exec([
            which("etcdctl")!,
            "--endpoints=https://127.0.0.1:2379",
            `--cacert=${pki}/etcd/ca.crt`,
            `--cert=${pki}/etcd/healthcheck-client.crt`,
            `--key=${pki}/etcd/healthcheck-client.key`,
            "--dial-timeout=3s",
            "--command-timeout=10s",
            ...args,
        ]);
    const t0 = Date.now();
    for (;;) {
        if (etcd.exited()) throw new Error(`etcd ${etcd.exited()}: ${tail(path.join(dir, "etcd.log"))}`);
        const r = await etcdctl(["endpoint", "health"]);
        if (r.code === 0) break;
        if (Date.now() - t0 > 60_000) throw new Error(`etcd not healthy after 60 s: ${tail(path.join(dir, "etcd.log"))}`);
        await sleep(200);
    }

    const api = spawnLogged(enter[0], [...enter.slice(1), apiserverBin, ...apiArgs], path.join(dir, "kube-apiserver.log"), dir);
    const curl = async (method: string, urlPath: string, o: { as?: "admin" | "anonymous" | { token: string }; body?: unknown } = {}) => {
        const as = o.as ?? "admin";
        const args = ["curl", "-sS", "-o", "-", "-w", "\n%{http_code}", "--max-time", "20", "--cacert", `${pki}/ca.crt`, "-X", method];
        if (as === "admin") args.push("--cert", `${pki}/admin.crt`, "--key", `${pki}/admin.key`);
        else if (typeof as === "object") args.push("-H", `Authorization: Bearer ${as.token}`);
        if (o.body !== undefined) args.push("-H", "Content-Type: application/json", "--data-binary", JSON.stringify(o.body));
        args.push(`https://127.0.0.1:6443${urlPath}`);
        const r = await exec(args, 30_000);
        const out = r.stdout;
        const nl = out.lastIndexOf("\n");
        return { status: Number(out.slice(nl + 1)) || 0, body: out.slice(0, nl) };
    };
    for (;;) {
        if (api.exited()) throw new Error(`kube-apiserver ${api.exited()}: ${tail(path.join(dir, "kube-apiserver.log"), 40)}`);
        const r = await curl("GET", "/readyz");
        if (r.status === 200) break;
        if (Date.now() - t0 > 240_000) throw new Error(`kube-apiserver not ready after 240 s: ${tail(path.join(dir, "kube-apiserver.log"), 40)}`);
        await sleep(500);
    }
    fs.writeFileSync(path.join(dir, "pids"), String(inner));

    let stopped = false;
    const stop = async (): Promise<void> => {
        if (stopped) return;
        stopped = true;
        for (const p of [inner, holder.pid]) {
            try {
                if (p > 0 && pidAlive(p)) process.kill(p, "SIGKILL");
            } catch {
                /* gone */
            }
        }
        await sleep(200);
        removeDirSync(dir);
        unregister(key);
    };
    return {
        dir,
        etcKubernetes: etc,
        kubeadm,
        etcdArgs,
        apiServerArgs: apiArgs,
        adminKubeconfig,
        auditLog: path.join(dir, "audit", "audit.log"),
        netns,
        enter,
        exec,
        api: curl,
        etcdctl: (args) => etcdctl(args),
        stop,
    };
}
