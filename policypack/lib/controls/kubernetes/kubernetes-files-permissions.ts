import { stackControl, StackFinding } from "../../core/control";
import { Invalid, show, UNKNOWN } from "../../core/values";
import { lastSetting } from "../../model/control-plane";
import { HostFile, HostModel } from "../../model/host";

export interface FilePermissionsConfig {
    /** Most permissive mode for static Pod manifests (CIS 1.12: 600; the project's threat model allows 644). */
    readonly manifestMode: string;
    readonly kubeconfigMode: string;
    readonly keyMode: string;
    readonly certMode: string;
    /** Mode and owner of the etcd data directory (CIS 1.1.11, 1.1.12). */
    readonly etcdDataDirMode: string;
    readonly etcdDataDirOwner: string;
}

type ModeKey = "manifestMode" | "kubeconfigMode" | "keyMode" | "certMode";

/** Which control-plane files need which mode and owner, with their CIS ids. */
interface FileClass {
    readonly what: string;
    readonly test: (path: string) => boolean;
    readonly mode: ModeKey;
    readonly cis: string;
}

const KUBECONFIG_CIS: Readonly<Record<string, string>> = {
    "admin.conf": "1.1.13, 1.1.14",
    "super-admin.conf": "1.1.13, 1.1.14",
    "scheduler.conf": "1.1.15, 1.1.16",
    "controller-manager.conf": "1.1.17, 1.1.18",
    "kubelet.conf": "4.1.5, 4.1.6",
};
const MANIFEST_CIS: Readonly<Record<string, string>> = {
    "kube-apiserver.yaml": "1.1.1, 1.1.2",
    "kube-controller-manager.yaml": "1.1.3, 1.1.4",
    "kube-scheduler.yaml": "1.1.5, 1.1.6",
    "etcd.yaml": "1.1.7, 1.1.8",
};

const base = (p: string) => p.slice(p.lastIndexOf("/") + 1);

export const FILE_CLASSES: readonly FileClass[] = [
    { what: "static Pod manifest", test: (p) => /^\/etc\/kubernetes\/manifests\/[^/]+\.(ya?ml|json)$/.test(p), mode: "manifestMode", cis: "1.1.1–1.1.8" },
    {
        what: "kubeconfig",
        test: (p) => p.startsWith("/etc/kubernetes/") && KUBECONFIG_CIS[base(p)] !== undefined && p.split("/").length === 4,
        mode: "kubeconfigMode",
        cis: "",
    },
    { what: "kube-proxy kubeconfig", test: (p) => p === "/var/lib/kube-proxy/kubeconfig.conf", mode: "kubeconfigMode", cis: "4.1.3, 4.1.4" },
    { what: "private key", test: (p) => p.startsWith("/etc/kubernetes/pki/") && p.endsWith(".key"), mode: "keyMode", cis: "1.1.19, 1.1.21" },
    { what: "certificate", test: (p) => p.startsWith("/etc/kubernetes/pki/") && p.endsWith(".crt"), mode: "certMode", cis: "1.1.19, 1.1.20" },
    { what: "kubelet configuration", test: (p) => p === "/var/lib/kubelet/config.yaml", mode: "kubeconfigMode", cis: "4.1.9, 4.1.10" },
    {
        what: "kubelet service file",
        test: (p) => /^\/(etc|lib|usr\/lib)\/systemd\/system\/kubelet\.service(\.d\/[^/]+\.conf)?$/.test(p),
        mode: "kubeconfigMode",
        cis: "4.1.1, 4.1.2",
    },
];

function cisOf(cls: FileClass, path: string): string {
    return MANIFEST_CIS[base(path)] ?? KUBECONFIG_CIS[base(path)] ?? cls.cis;
}

/** Parses an octal mode ("0600", "600"); undefined when it is not one. */
export function octal(mode: string): number | undefined {
    return /^[0-7]{3,4}$/.test(mode) ? parseInt(mode, 8) : undefined;
}

const ROOT = "root:root";

/** `root` also matches uid/gid 0. */
function sameAccount(v: string, want: string): boolean {
    return v === want || (want === "root" && v === "0");
}

function checkFile(f: HostFile, what: string, maxMode: string, cis: string, owners = ROOT): StackFinding[] {
    const [wantOwner, wantGroup = wantOwner] = owners.split(":");
    const out: StackFinding[] = [];
    const subject = `${what} ${f.path} on ${f.host}`;
    // Mode and owner are set by the command (`install -m … -o … -g …`, chmod, chown); a copy has none.
    const field = f.observed ? "lstat" : f.source.field === "source" ? "remotePath" : "create";
    const finding = (message: string, unknown = false): StackFinding =>
        unknown ? { urn: f.source.urn, subject, field, message, unknown } : { urn: f.source.urn, subject, field, message };
    const ref = cis ? ` (${cis})` : "";
    const max = octal(maxMode) ?? 0o600;
    const fix = f.observed
        ? `run \`chmod ${maxMode.padStart(4, "0")} ${f.path}\` and \`chown ${wantOwner}:${wantGroup} ${f.path}\``
        : `write it with \`install ${f.content === undefined && what.endsWith("directory") ? "-d " : ""}-m ${maxMode.padStart(4, "0")} -o ${wantOwner} -g ${wantGroup}\``;
    if (f.mode === UNKNOWN) out.push(finding("its mode is unknown at preview, so it cannot be checked yet.", true));
    else if (f.mode instanceof Invalid) out.push(finding(`its mode is malformed: expected ${f.mode.expected}, got ${f.mode.got}.`));
    else if (f.mode === undefined)
        out.push(finding(`its mode is not set, so it is left to the writer's default (0644 or 0755), more permissive than ${maxMode}; ${fix}${ref}.`));
    else {
        const m = octal(f.mode);
        if (m === undefined) out.push(finding(`its mode ${show(f.mode)} is not an octal mode; ${fix}${ref}.`));
        else if ((m & ~max) !== 0)
            out.push(
                finding(
                    `its mode ${f.mode} is more permissive than ${maxMode}: other users or groups on the machine can ${m & 0o066 ? "read or change" : "use"} it; ${fix}${ref}.`,
                ),
            );
    }
    for (const [key, v, want] of [
        ["owner", f.owner, wantOwner],
        ["group", f.group, wantGroup],
    ] as const) {
        if (v === UNKNOWN) out.push(finding(`its ${key} is unknown at preview, so it cannot be checked yet.`, true));
        else if (v instanceof Invalid) out.push(finding(`its ${key} is malformed: expected ${v.expected}, got ${v.got}.`));
        else if (v === undefined) out.push(finding(`its ${key} is not set, so it belongs to the connecting user; ${fix}${ref}.`));
        else if (!sameAccount(v, want))
            out.push(finding(`its ${key} is ${show(v)}, not ${want}: that account can rewrite control-plane configuration or read credentials; ${fix}${ref}.`));
    }
    return out;
}

/** CIS Kubernetes 1.1.1–1.1.8, 1.1.11–1.1.21, 4.1.1–4.1.6, 4.1.9, 4.1.10. */
/** Two ascending index lists merged into one ascending list. */
function mergeInOrder(a: readonly number[], b: readonly number[]): number[] {
    if (b.length === 0) return a as number[];
    if (a.length === 0) return b as number[];
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && a[i] < b[j]) ? a[i++] : b[j++]);
    return out;
}

/** The last directory the stack creates on a host at `path` (trailing slashes ignored). */
function lastDirectory(h: HostModel, path: string): HostFile | undefined {
    const dirs = h.directories ?? [];
    for (let i = dirs.length - 1; i >= 0; i--) if (dirs[i].path.replace(/\/+$/, "") === path) return dirs[i];
    return undefined;
}

export default stackControl<FilePermissionsConfig>({
    id: "kubernetes-files-permissions",
    title: "Control-plane manifests, kubeconfigs, keys and kubelet configuration are root-owned and not group/world accessible",
    description:
        "Tampering: a static Pod manifest or kubelet configuration writable by another account becomes code run as root on the node; a readable admin.conf, private key or etcd data directory is cluster-admin (or every Secret) for whoever reads it.",
    stride: "T",
    targets: ["kubernetes"],
    refs: {
        kubernetes: [
            "1.1.1",
            "1.1.2",
            "1.1.3",
            "1.1.4",
            "1.1.5",
            "1.1.6",
            "1.1.7",
            "1.1.8",
            "1.1.11",
            "1.1.12",
            "1.1.13",
            "1.1.14",
            "1.1.15",
            "1.1.16",
            "1.1.17",
            "1.1.18",
            "1.1.19",
            "1.1.20",
            "1.1.21",
            "4.1.1",
            "4.1.2",
            "4.1.3",
            "4.1.4",
            "4.1.5",
            "4.1.6",
            "4.1.9",
            "4.1.10",
        ],
    },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Write control-plane files with explicit mode and owner: `install -D -m 0600 -o root -g root /dev/stdin /etc/kubernetes/manifests/kube-apiserver.yaml` (the hardened-cluster component does this).",
        "Manifests, kubeconfigs (admin.conf, super-admin.conf, scheduler.conf, controller-manager.conf, kubelet.conf), kubelet config and unit files, and *.key files: 0600 root:root; *.crt files: 0644 root:root or stricter.",
        "The API server's encryption configuration holds keys: 0600 root:root as well.",
        "Create the etcd data directory with `install -d -m 0700 -o etcd -g etcd /var/lib/etcd` (or set etcdDataDirOwner to root:root where etcd runs as root, as under kubeadm).",
    ],
    config: {
        manifestMode: {
            type: "string",
            enum: ["600", "640", "644"],
            default: "600",
            description: "Most permissive mode for static Pod manifests (CIS 1.12 asks 600; 644 is the older guidance).",
        },
        kubeconfigMode: {
            type: "string",
            enum: ["600", "640"],
            default: "600",
            description: "Most permissive mode for kubeconfigs, kubelet configuration and unit files.",
        },
        keyMode: { type: "string", enum: ["600", "400"], default: "600", description: "Most permissive mode for private keys." },
        certMode: { type: "string", enum: ["644", "640", "600"], default: "644", description: "Most permissive mode for certificates." },
        etcdDataDirMode: { type: "string", enum: ["700", "750"], default: "700", description: "Most permissive mode for the etcd data directory." },
        etcdDataDirOwner: {
            type: "string",
            enum: ["etcd:etcd", "root:root"],
            default: "etcd:etcd",
            description: "Owner and group of the etcd data directory (kubeadm runs etcd as root: root:root).",
        },
    },
    scope: "stack",
    check(stack, cfg) {
        const findings: StackFinding[] = [];
        const encryptionFiles = new Set<string>();
        const dataDirs: { path: string; host: string | undefined }[] = [];
        for (const c of stack.controlPlane.components) {
            const s = c.kind === "kube-apiserver" ? lastSetting(c, "encryption-provider-config") : c.kind === "etcd" ? lastSetting(c, "data-dir") : undefined;
            if (s && typeof s.value === "string") {
                if (c.kind === "etcd") dataDirs.push({ path: s.value.replace(/\/+$/, ""), host: c.host });
                else encryptionFiles.add(s.value);
            }
        }
        // The data directories that apply to a host (its own etcd's, and those of etcds whose host is not known), in
        // component order: looked up per host instead of scanning every etcd for every host.
        const onHost = new Map<string, number[]>();
        const anyHost: number[] = [];
        dataDirs.forEach((d, i) => {
            if (d.host === undefined) anyHost.push(i);
            else {
                const list = onHost.get(d.host);
                if (list) list.push(i);
                else onHost.set(d.host, [i]);
            }
        });
        const dataDirsOn = (host: string) => mergeInOrder(onHost.get(host) ?? [], anyHost).map((i) => dataDirs[i]);
        for (const h of stack.hosts) {
            const latest = new Map<string, HostFile>();
            for (const f of h.files) latest.set(f.path, f); // the last write decides
            for (const f of latest.values()) {
                if (encryptionFiles.has(f.path)) {
                    findings.push(...checkFile(f, "encryption configuration", cfg.keyMode, ""));
                    continue;
                }
                const cls = FILE_CLASSES.find((c) => c.test(f.path));
                if (cls) findings.push(...checkFile(f, cls.what, cfg[cls.mode], cisOf(cls, f.path)));
            }
            for (const d of dataDirsOn(h.host)) {
                const dir = lastDirectory(h, d.path);
                if (dir) findings.push(...checkFile(dir, "etcd data directory", cfg.etcdDataDirMode, "1.1.11, 1.1.12", cfg.etcdDataDirOwner));
            }
        }
        return findings;
    },
});
