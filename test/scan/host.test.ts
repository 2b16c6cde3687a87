// `scan host` over machine trees built under a temp root: dockerd found in a fake /proc (its cmdline and exe
// link), daemon.json variants, docker.service drop-ins, audit rules judged by exact path, kubeadm-layout
// control-plane files with wrong modes and owners. Each case checks its verdict and where the message says
// the value came from.
import assert from "assert/strict";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { scanHost } from "stride-guard/lib/scan/host";
import { Report, ReportFinding } from "stride-guard/lib/check/report";
import { cli, tempDir } from "./helpers";

type Entry = string | { link: string } | { dir: true; mode?: number; uid?: number } | { text: string; mode?: number; uid?: number };

/** Writes a machine tree under a new temp root. */
function tree(entries: Record<string, Entry>): string {
    const root = tempDir("sg-host-");
    for (const [p, e] of Object.entries(entries)) {
        const at = path.join(root, p);
        fs.mkdirSync(path.dirname(at), { recursive: true });
        if (typeof e === "string") fs.writeFileSync(at, e);
        else if ("link" in e) fs.symlinkSync(e.link, at);
        else if ("dir" in e) {
            fs.mkdirSync(at, { recursive: true });
            if (e.mode !== undefined) fs.chmodSync(at, e.mode);
            if (e.uid !== undefined) fs.chownSync(at, e.uid, e.uid);
        } else {
            fs.writeFileSync(at, e.text);
            if (e.mode !== undefined) fs.chmodSync(at, e.mode);
            if (e.uid !== undefined) fs.chownSync(at, e.uid, e.uid);
        }
    }
    return root;
}

const PASSWD = "root:x:0:0:root:/root:/bin/sh\netcd:x:998:998::/var/lib/etcd:/usr/sbin/nologin\nalice:x:1000:1000::/home/alice:/bin/sh\n";
const GROUP = "root:x:0:\netcd:x:998:\nalice:x:1000:\n";

/** A dockerd process in the tree's /proc: NUL-separated cmdline and an exe link to its binary. */
function dockerdProc(pid: number, argv: readonly string[], exe = "/usr/sbin/dockerd"): Record<string, Entry> {
    return { [`/proc/${pid}/cmdline`]: argv.join("\0") + "\0", [`/proc/${pid}/exe`]: { link: exe }, [exe]: "ELF" };
}

const HARDENED = JSON.stringify({ icc: false, "userland-proxy": false, "userns-remap": "default", "no-new-privileges": true, "live-restore": true });

const ALL_RULES = (dockerd: string) =>
    [
        `-w ${dockerd} -p wa -k docker`,
        "-w /run/containerd -p wa -k docker",
        "-w /var/lib/docker -p wa -k docker",
        "-w /etc/docker -p wa -k docker",
        "-w /etc/docker/daemon.json -p wa -k docker",
        "-w /usr/bin/containerd -p wa -k docker",
        "-w /run/containerd/containerd.sock -p wa -k docker",
    ].join("\n") + "\n";

async function scan(root: string, extra: Partial<Parameters<typeof scanHost>[0]> = {}): Promise<Report> {
    return scanHost({ root, ...extra }, { controls: CONTROLS });
}

const of = (r: Report, control: string): ReportFinding[] => r.findings.filter((f) => f.control === control);
const ids = (r: Report): string[] => [...new Set(r.findings.map((f) => f.control))].sort();

describe("scan host: Docker daemon", function () {
    this.timeout(30_000);
    const roots: string[] = [];
    const mk = (e: Record<string, Entry>) => {
        const r = tree(e);
        roots.push(r);
        return r;
    };
    after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

    for (const form of ["space", "equals"] as const) {
        it(`reads the daemon.json dockerd names with --config-file ${form === "space" ? "FILE" : "=FILE"}, not the default one`, async () => {
            const flag = form === "space" ? ["--config-file", "/srv/docker/daemon.json"] : ["--config-file=/srv/docker/daemon.json"];
            const root = mk({
                ...dockerdProc(4242, ["/usr/sbin/dockerd", "-H", "fd://", ...flag]),
                "/srv/docker/daemon.json": JSON.stringify({ ...JSON.parse(HARDENED), icc: true }),
                // The default path holds other settings that must not be read.
                "/etc/docker/daemon.json": JSON.stringify({ icc: false }),
            });
            const r = await scan(root);
            assert.deepEqual(r.errors, []);
            const icc = of(r, "docker-daemon-icc-disabled");
            assert.equal(icc.length, 1, JSON.stringify(r.findings, null, 1));
            assert.match(icc[0].message, /^Docker host \S+: \/srv\/docker\/daemon\.json "icc": is true: every container/);
            assert.deepEqual(of(r, "docker-daemon-hardening"), []);
            assert.equal(icc[0].resource.name, "dockerd (pid 4242)");
        });
    }

    it("reads the default daemon.json when the command line names none, and says a missing one was not there", async () => {
        const withFile = await scan(mk({ ...dockerdProc(7, ["dockerd"]), "/etc/docker/daemon.json": HARDENED }));
        assert.deepEqual(of(withFile, "docker-daemon-icc-disabled"), []);
        assert.deepEqual(of(withFile, "docker-daemon-hardening"), []);
        const without = await scan(mk({ ...dockerdProc(7, ["dockerd"]) }));
        const msgs = of(without, "docker-daemon-hardening").map((f) => f.message);
        assert.equal(msgs.length, 3);
        assert.match(
            msgs[0],
            /set neither in \/etc\/docker\/daemon\.json, which does not exist, nor in dockerd command line \(pid 7\), so dockerd's default applies/,
        );
    });

    it("takes command-line flags as dockerd does (--flag=value, --flag value, booleans alone) and names them", async () => {
        const root = mk({
            ...dockerdProc(9, ["dockerd", "--icc=false", "--userns-remap", "default", "--live-restore", "--no-new-privileges", "--userland-proxy=true"]),
        });
        const r = await scan(root);
        assert.deepEqual(
            r.findings.filter((f) => f.control.startsWith("docker-daemon-h") || f.control.startsWith("docker-daemon-i")).map((f) => f.message),
            [
                `Docker host ${root}: dockerd command line (pid 9) --userland-proxy: is true: published ports go through a userland proxy process instead of iptables rules. Set it to false. [CIS Docker 2.2, 2.4, 2.16 (legacy 2.1, 2.3, 2.14)]`,
            ],
        );
    });

    it("reports an invalid daemon.json by line without echoing it, and a setting given twice as dockerd would refuse it", async () => {
        const bad = await scan(mk({ ...dockerdProc(5, ["dockerd"]), "/etc/docker/daemon.json": '{\n  "icc": fals3-SECRET\n}' }));
        const f = of(bad, "docker-daemon-hardening");
        assert.equal(f.length, 1);
        assert.match(f[0].message, /is not valid daemon configuration \(invalid JSON near line 2\)/);
        assert.doesNotMatch(JSON.stringify(bad), /SECRET/);
        const twice = await scan(mk({ ...dockerdProc(5, ["dockerd", "--icc=false"]), "/etc/docker/daemon.json": HARDENED }));
        assert.match(
            of(twice, "docker-daemon-icc-disabled")[0].message,
            /"icc" is set both in \/etc\/docker\/daemon\.json and as dockerd command line \(pid 5\) --icc/,
        );
    });

    it("without a running dockerd, reads docker.service, its drop-ins (ExecStart= resets) and EnvironmentFile", async () => {
        for (const flag of ["--config-file /etc/docker/custom.json", "--config-file=/etc/docker/custom.json"]) {
            const root = mk({
                "/proc/1/cmdline": "/sbin/init\0",
                "/lib/systemd/system/docker.service": "[Service]\nEnvironmentFile=-/etc/default/docker\nExecStart=/usr/bin/dockerd -H fd:// $DOCKER_OPTS\n",
                "/etc/systemd/system/docker.service.d/override.conf": `[Service]\nExecStart=\nExecStart=dockerd ${flag} $DOCKER_OPTS\n`,
                "/etc/default/docker": 'DOCKER_OPTS="--userland-proxy=false --icc=false"\n',
                "/usr/sbin/dockerd": "ELF",
                "/etc/docker/custom.json": JSON.stringify({ "userns-remap": "default", "no-new-privileges": true }),
            });
            const r = await scan(root);
            assert.deepEqual(r.errors, []);
            assert.deepEqual(of(r, "docker-daemon-icc-disabled"), [], flag);
            const h = of(r, "docker-daemon-hardening");
            assert.equal(h.length, 1, flag);
            assert.match(h[0].message, /\/etc\/docker\/custom\.json "live-restore": is unset/);
            assert.match(
                r.target,
                /dockerd is not running: its settings are read from ExecStart of \/etc\/systemd\/system\/docker\.service\.d\/override\.conf \(with \/etc\/default\/docker\)/,
            );
            // The binary the unit names without a path is found where systemd looks, and audited there.
            assert.match(of(r, "docker-daemon-auditing")[0].message, /the Docker daemon at \/usr\/sbin\/dockerd \(1\.1\.3\)/);
        }
    });

    it("refuses FIFOs, oversized files and links out of the root", async () => {
        const root = mk({ ...dockerdProc(3, ["dockerd"]), "/etc/docker/x": "" });
        execFileSync("mkfifo", [path.join(root, "etc/docker/daemon.json")]);
        const fifo = await scan(root);
        assert.deepEqual(fifo.errors, ["/etc/docker/daemon.json: not a regular file"]);
        const big = await scan(mk({ ...dockerdProc(3, ["dockerd"]), "/etc/docker/daemon.json": " ".repeat(2 * 1024 * 1024) }));
        assert.deepEqual(big.errors, ["/etc/docker/daemon.json: larger than 1024 KiB"]);
        // An absolute link resolves inside the root: /etc/docker/daemon.json -> /outside.json is ROOT/outside.json.
        const outside = tempDir("sg-outside-");
        roots.push(outside);
        fs.writeFileSync(path.join(outside, "daemon.json"), HARDENED);
        const linked = await scan(
            mk({ ...dockerdProc(3, ["dockerd"]), "/etc/docker/daemon.json": { link: path.join(outside, "daemon.json") }, "/etc/docker/other": "" }),
        );
        assert.deepEqual(linked.errors, []);
        assert.equal(of(linked, "docker-daemon-hardening").length, 3, "the outside file was not read");
        const dotdot = await scan(
            mk({ ...dockerdProc(3, ["dockerd"]), "/etc/docker/daemon.json": { link: "../../../../../../../../srv/d.json" }, "/srv/d.json": HARDENED }),
        );
        assert.deepEqual(of(dotdot, "docker-daemon-hardening"), [], ".. stops at the root");
    });

    it("reads /proc inside the root: a linked /proc/PID leads to the tree's own entry, never to this machine's /proc", async () => {
        // ROOT/proc/8 -> /proc/self is ROOT/proc/self; followed on this machine, its exe would be the scanner's node.
        const root = mk({
            "/proc/self/cmdline": "dockerd\0",
            "/proc/self/exe": { link: "/usr/sbin/dockerd" },
            "/proc/8": { link: "/proc/self" },
            "/usr/sbin/dockerd": "ELF",
        });
        const r = await scan(root);
        assert.match(of(r, "docker-daemon-auditing")[0]?.message ?? "", /the Docker daemon at \/usr\/sbin\/dockerd \(1\.1\.3\)/);
    });

    it("strips control characters from what the machine says, and refuses file names a terminal cannot show", async () => {
        const r = await scan(mk({ ...dockerdProc(11, ["dockerd", "--config-file", "/etc/docker/\u001b[31mevil\u0007.json"]) }));
        assert.doesNotMatch(JSON.stringify(r), /\\u001b|\\u0007/);
        const names = await scan(
            mk({
                ...dockerdProc(11, ["dockerd"]),
                "/etc/audit/rules.d/\u001b]0;pwned\u0007.rules": "-w /etc/docker -p wa\n",
                "/lib/systemd/system/docker.service": "[Service]\nEnvironmentFile=/etc/default/\u001b[2Jx\nExecStart=/usr/sbin/dockerd\n",
                "/etc/default/\u001b[2Jx": "",
            }),
        );
        assert.deepEqual([...names.errors].sort(), [
            "/etc/audit/rules.d: 1 file name with control characters, not read",
            "/etc/default/[2Jx: a path with control characters, not read",
        ]);
        assert.doesNotMatch(JSON.stringify(names), /\\u001b|\\u0007/);
    });

    it("judges the data root's partition from dockerd's own mount table (1.1.1)", async () => {
        const mounts = (extra: string) => `22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n${extra}30 22 0:5 / /proc rw - proc proc rw\n`;
        const own = await scan(
            mk({
                ...dockerdProc(12, ["dockerd"]),
                "/var/lib/docker": { dir: true },
                "/proc/12/mountinfo": mounts("25 22 253:1 / /var/lib/docker rw - xfs /dev/vg/docker rw\n"),
            }),
        );
        assert.deepEqual(of(own, "docker-host-data-root-partition"), []);
        const shared = await scan(
            mk({
                ...dockerdProc(12, ["dockerd", "--data-root=/srv/my\u0020docker"]),
                "/srv/my docker": { dir: true },
                "/proc/12/mountinfo": mounts("24 22 8:2 / /srv rw - ext4 /dev/sda2 rw\n"),
            }),
        );
        assert.deepEqual(
            of(shared, "docker-host-data-root-partition").map((f) => f.message.replace(/ \[CIS.*$/, "")),
            [
                `Docker host ${shared.target.split(" ")[1]}: data root /srv/my docker: is not a filesystem of its own (/proc/12/mountinfo): it shares the filesystem mounted at /srv, so a container that fills its layer, volumes or logs fills that filesystem too. Give it a partition of its own.`,
            ],
        );
        // dockerd bind-mounts its data root onto itself: a mount point of the same device is not a partition.
        const selfBind = await scan(
            mk({
                ...dockerdProc(12, ["dockerd"]),
                "/var/lib/docker": { dir: true },
                "/proc/12/mountinfo": mounts("25 22 8:1 /var/lib/docker /var/lib/docker rw - ext4 /dev/sda1 rw\n"),
            }),
        );
        assert.match(
            of(selfBind, "docker-host-data-root-partition")[0]?.message ?? "",
            /is not a filesystem of its own \(\/proc\/12\/mountinfo: a mount of the same device 8:1\): it shares the filesystem mounted at \//,
        );
        const escaped = await scan(
            mk({
                ...dockerdProc(12, ["dockerd", "--data-root=/srv/my docker"]),
                "/srv/my docker": { dir: true },
                "/proc/12/mountinfo": mounts("24 22 8:2 / /srv/my\\040docker rw - ext4 /dev/sda2 rw\n"),
            }),
        );
        assert.deepEqual(of(escaped, "docker-host-data-root-partition"), []);
    });

    it("finds no Docker daemon on a machine without Docker, and says so", async () => {
        const r = await scan(mk({ "/proc/1/cmdline": "/sbin/init\0", "/etc/hostname": "x\n" }));
        assert.deepEqual(r.findings, []);
        assert.deepEqual(r.errors, []);
        assert.match(r.target, /no Docker daemon: dockerd neither runs nor is installed/);
    });

    it("judges each running dockerd, or only the one --pid names", async () => {
        const root = mk({
            ...dockerdProc(20, ["dockerd"]),
            ...dockerdProc(21, ["dockerd", "--config-file", "/etc/docker/b.json"]),
            "/etc/docker/b.json": HARDENED,
        });
        const both = await scan(root);
        assert.deepEqual(
            of(both, "docker-daemon-icc-disabled").map((f) => f.resource.name),
            ["dockerd (pid 20)", "dockerd (pid 20)"],
        );
        const one = await scan(root, { pids: [21] });
        assert.deepEqual(of(one, "docker-daemon-icc-disabled"), []);
        const none = await scan(root, { pids: [99] });
        assert.deepEqual(none.errors, [`no dockerd runs with pid 99 (under ${root}/proc)`]);
    });
});

describe("scan host: audit rules by exact path", function () {
    this.timeout(30_000);
    const roots: string[] = [];
    const mk = (e: Record<string, Entry>) => {
        const r = tree(e);
        roots.push(r);
        return r;
    };
    after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

    const base = (exe: string, rules: string, extra: Record<string, Entry> = {}) => ({
        ...dockerdProc(100, ["dockerd"], exe),
        "/proc/200/cmdline": "/sbin/auditd\0",
        "/etc/docker/daemon.json": HARDENED,
        "/usr/bin/containerd": "ELF",
        "/var/lib/docker": { dir: true } as Entry,
        "/etc/audit/rules.d/docker.rules": rules,
        ...extra,
    });
    const missing = (r: Report) => {
        const m = /of (.*?)(?: \((?:rules read|judged by|and auditd).*\))?\. Add a watch/.exec(of(r, "docker-daemon-auditing")[0]?.message ?? "");
        return m ? m[1] : "";
    };

    it("a watch on the daemon's real path satisfies 1.1.3: /usr/sbin/dockerd (-w) and /usr/bin/dockerd (-a … -F path=)", async () => {
        const sbin = await scan(mk(base("/usr/sbin/dockerd", ALL_RULES("/usr/sbin/dockerd"))));
        assert.deepEqual(of(sbin, "docker-daemon-auditing"), []);
        const rules = ALL_RULES("/nothing").replace("-w /nothing -p wa -k docker", "-a always,exit -F path=/usr/bin/dockerd -F perm=wa -k docker");
        const bin = await scan(mk(base("/usr/bin/dockerd", rules)));
        assert.deepEqual(of(bin, "docker-daemon-auditing"), []);
    });

    it("a watch on /usr/bin/dockerd does not audit a daemon at /usr/sbin/dockerd", async () => {
        const r = await scan(mk(base("/usr/sbin/dockerd", ALL_RULES("/usr/bin/dockerd"))));
        assert.equal(missing(r), "the Docker daemon at /usr/sbin/dockerd (1.1.3)");
    });

    it("a watch on the rootless script /usr/bin/dockerd-rootless.sh does not audit /usr/bin/dockerd", async () => {
        const r = await scan(mk(base("/usr/bin/dockerd", ALL_RULES("/usr/bin/dockerd-rootless.sh"), { "/usr/bin/dockerd-rootless.sh": "#!/bin/sh\n" })));
        assert.equal(missing(r), "the Docker daemon at /usr/bin/dockerd (1.1.3)");
    });

    it("a symlinked binary is audited at its target, not at the link", async () => {
        const files = { "/usr/bin/dockerd": { link: "../libexec/docker/dockerd" } as Entry, "/usr/libexec/docker/dockerd": "ELF" };
        const atLink = await scan(mk({ ...base("/usr/bin/dockerd", ALL_RULES("/usr/bin/dockerd")), ...files }));
        assert.equal(missing(atLink), "the Docker daemon at /usr/libexec/docker/dockerd (1.1.3)");
        const atTarget = await scan(mk({ ...base("/usr/bin/dockerd", ALL_RULES("/usr/libexec/docker/dockerd")), ...files }));
        assert.deepEqual(of(atTarget, "docker-daemon-auditing"), []);
    });

    it("a watch through a linked directory is the file's own (/lib -> usr/lib), a watch on a linked file is not", async () => {
        const unit = "[Service]\nExecStart=/usr/sbin/dockerd\n";
        const files = { "/lib": { link: "usr/lib" } as Entry, "/usr/lib/systemd/system/docker.service": unit };
        const viaLib = await scan(
            mk({ ...base("/usr/sbin/dockerd", ALL_RULES("/usr/sbin/dockerd") + "-w /lib/systemd/system/docker.service -p wa\n"), ...files }),
        );
        assert.deepEqual(of(viaLib, "docker-daemon-auditing"), []);
        const none = await scan(mk({ ...base("/usr/sbin/dockerd", ALL_RULES("/usr/sbin/dockerd")), ...files }));
        assert.equal(missing(none), "docker.service at /usr/lib/systemd/system/docker.service (1.1.7)");
    });

    it("requires watches only on files the machine has, and -p wa on each", async () => {
        const extra = {
            "/etc/default/docker": "",
            "/usr/sbin/runc": { link: "/usr/bin/runc" } as Entry,
            "/usr/bin/runc": "ELF",
            "/usr/bin/containerd-shim": "ELF",
        };
        const r = await scan(mk(base("/usr/sbin/dockerd", ALL_RULES("/usr/sbin/dockerd") + "-w /usr/bin/runc -p x\n", extra)));
        assert.equal(missing(r), "/etc/default/docker (1.1.10), containerd-shim at /usr/bin/containerd-shim (1.1.15), runc at /usr/bin/runc (1.1.18)");
    });

    it("says that rules in files record nothing while auditd is not running", async () => {
        const entries = base("/usr/sbin/dockerd", ALL_RULES("/usr/sbin/dockerd"));
        delete (entries as Record<string, Entry>)["/proc/200/cmdline"];
        const r = await scan(mk(entries));
        const f = of(r, "docker-daemon-auditing");
        assert.equal(f.length, 1);
        assert.match(
            f[0].message,
            /auditd: the audit rules cover every path, but auditd is not running \(no auditd process in \/proc\), so none of them records anything/,
        );
    });

    it("with --auditctl, judges the kernel's loaded rules instead of the files", async () => {
        const root = mk(base("/usr/sbin/dockerd", ALL_RULES("/usr/sbin/dockerd")));
        const loaded = "-w /etc/docker -p wa -k docker\n";
        const r = await scan(root, { auditctl: true, runAuditctl: async () => ({ ok: true, text: loaded }) });
        assert.match(missing(r), /^the Docker daemon at \/usr\/sbin\/dockerd \(1\.1\.3\), \/run\/containerd \(1\.1\.4\)/);
        assert.match(of(r, "docker-daemon-auditing")[0].message, /^Docker host \S+: auditctl -l: /);
        const failed = await scan(root, { auditctl: true, runAuditctl: async () => ({ ok: false, why: "auditctl is not installed" }) });
        assert.deepEqual(failed.errors, ["auditctl is not installed"]);
    });
});

describe("scan host: Kubernetes node files (kubeadm layout)", function () {
    this.timeout(30_000);
    const roots: string[] = [];
    after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

    const APISERVER = `apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.34.1
    command: [kube-apiserver, --anonymous-auth=true, --authorization-mode=Node,RBAC, --profiling=false]
`;
    const ETCD = `apiVersion: v1
kind: Pod
metadata: {name: etcd, namespace: kube-system}
spec:
  containers:
  - name: etcd
    image: registry.k8s.io/etcd:3.5.21-0
    command: [etcd, --data-dir=/var/lib/etcd, --client-cert-auth=true]
`;

    it("judges modes and owners with lstat, and the components' flags from manifests, kubelet unit and config", async function () {
        if (process.getuid?.() !== 0) this.skip(); // owners other than the test's own need chown
        const root = tree({
            "/etc/passwd": PASSWD,
            "/etc/group": GROUP,
            "/etc/kubernetes/manifests/kube-apiserver.yaml": { text: APISERVER, mode: 0o644 },
            "/etc/kubernetes/manifests/etcd.yaml": { text: ETCD, mode: 0o600 },
            "/etc/kubernetes/admin.conf": { text: "secret-kubeconfig-content", mode: 0o600, uid: 1000 },
            "/etc/kubernetes/pki/ca.crt": { text: "c", mode: 0o644 },
            "/etc/kubernetes/pki/ca.key": { text: "k", mode: 0o640 },
            "/etc/kubernetes/pki/etcd/server.key": { text: "k", mode: 0o600 },
            "/var/lib/etcd": { dir: true, mode: 0o755, uid: 998 },
            "/lib/systemd/system/kubelet.service": { text: "[Service]\nExecStart=/usr/bin/kubelet\n", mode: 0o644 },
            "/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf": {
                text: '[Service]\nEnvironment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"\nEnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env\nEnvironmentFile=-/etc/default/kubelet\nExecStart=\nExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS\n',
                mode: 0o600,
            },
            "/var/lib/kubelet/kubeadm-flags.env":
                'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock --read-only-port=10255"\n',
            "/var/lib/kubelet/config.yaml": {
                text: "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous: {enabled: true}\n  webhook: {enabled: true}\nauthorization: {mode: Webhook}\n",
                mode: 0o600,
            },
        });
        roots.push(root);
        const r = await scan(root);
        assert.deepEqual(r.errors, []);
        const perms = of(r, "kubernetes-files-permissions").map((f) => f.message);
        const on = (p: string) => perms.filter((m) => m.includes(` ${p} on `));
        assert.match(on("/etc/kubernetes/manifests/kube-apiserver.yaml")[0], /lstat: its mode 0644 is more permissive than 600.*chmod 0600/);
        assert.equal(on("/etc/kubernetes/manifests/etcd.yaml").length, 0);
        assert.deepEqual(
            on("/etc/kubernetes/admin.conf").map((m) => /its (\w+) is "?(\w+)"?/.exec(m)?.slice(1).join("=")),
            ["owner=alice", "group=alice"],
        );
        assert.match(on("/etc/kubernetes/pki/ca.key")[0], /its mode 0640 is more permissive than 600/);
        assert.equal(on("/etc/kubernetes/pki/ca.crt").length + on("/etc/kubernetes/pki/etcd/server.key").length, 0);
        assert.match(on("/lib/systemd/system/kubelet.service")[0], /its mode 0644/);
        // etcd's data directory (from --data-dir) is lstat-ed: mode 0755 > 700; owner etcd:etcd is the default wish.
        const etcdDir = perms.filter((m) => m.startsWith("etcd data directory /var/lib/etcd"));
        assert.equal(etcdDir.length, 1, perms.join("\n"));
        assert.match(etcdDir[0], /its mode 0755 is more permissive than 700/);
        // Flags: the API server's from its manifest; the kubelet's through the drop-in, kubeadm-flags.env and config.yaml.
        assert.match(
            of(r, "kubernetes-apiserver-authentication")[0]?.message ?? "",
            /kube-apiserver \(static Pod \/etc\/kubernetes\/manifests\/kube-apiserver\.yaml on /,
        );
        const kubelet = r.findings.filter((f) => f.message.startsWith("kubelet (systemd unit /usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf"));
        assert.ok(
            kubelet.some((f) => f.control === "kubernetes-kubelet-authentication" && /anonymous/.test(f.message)),
            JSON.stringify(kubelet, null, 1),
        );
        assert.ok(
            kubelet.some((f) => /read-only-port|readOnlyPort/.test(f.message)),
            JSON.stringify(
                kubelet.map((f) => f.message),
                null,
                1,
            ),
        );
        // Kubeconfigs and keys are never read, only stat-ed.
        assert.doesNotMatch(JSON.stringify(r), /secret-kubeconfig-content/);
        assert.ok(!ids(r).some((c) => c.startsWith("docker-")), "no Docker on this node");
    });
});

describe("stride-guard scan host (CLI)", function () {
    this.timeout(30_000);

    it("exits 0 on a clean machine, 1 on a finding, 2 on an unreadable file, and rejects misused options", async () => {
        const clean = tree({ "/proc/1/cmdline": "/sbin/init\0" });
        const bad = tree({ ...dockerdProc(2, ["dockerd"]), "/etc/docker/daemon.json": HARDENED });
        const broken = tree({ ...dockerdProc(2, ["dockerd"]), "/etc/docker/x": "" });
        execFileSync("mkfifo", [path.join(broken, "etc/docker/daemon.json")]);
        try {
            const c = await cli(["scan", "host", "--root", clean]);
            assert.equal(c.code, 0, c.out + c.err);
            assert.match(c.out, /^host .*no Docker daemon.*: no findings/);
            const b = await cli(["scan", "host", "--root", bad, "--format", "json"]);
            assert.equal(b.code, 1);
            assert.ok(JSON.parse(b.out).reports[0].findings.some((f: ReportFinding) => f.control === "docker-daemon-auditing"));
            const x = await cli(["scan", "host", "--root", broken]);
            assert.equal(x.code, 2);
            assert.match(x.err, /could not read everything on the host:\n {2}\/etc\/docker\/daemon\.json: not a regular file\n/);
            const sarif = await cli(["scan", "host", "--root", bad, "--format", "sarif"]);
            assert.equal(JSON.parse(sarif.out).version, "2.1.0");
            for (const [args, msg] of [
                [["scan", "host", "--root", clean, "--auditctl"], /--auditctl lists this machine's kernel rules/],
                [["scan", "host", "--pid", "x1"], /--pid takes a process id/],
                [["scan", "docker", "--root", "/"], /--root is an option of scan host/],
                [["scan", "host", "somewhere"], /scan host takes no paths/],
            ] as const) {
                const r = await cli([...args]);
                assert.equal(r.code, 2, args.join(" "));
                assert.match(r.err, msg);
            }
        } finally {
            for (const d of [clean, bad, broken]) fs.rmSync(d, { recursive: true, force: true });
        }
    });
});
