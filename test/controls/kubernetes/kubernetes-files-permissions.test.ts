import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-files-permissions";
import { messages, Res, run, secret, UNKNOWN_STRING } from "../../support/run-control";
import { controlPlaneDockerContainer, controlPlaneNode, hostFile, onlyMessage, outcome } from "../../support/control-plane-fixtures";

const API = "/etc/kubernetes/manifests/kube-apiserver.yaml";
const nodeWithFile = (path: string, o: Parameters<typeof hostFile>[2], content: unknown = "x") =>
    controlPlaneNode({ files: { [path]: hostFile(path, content, o) } });

describe("kubernetes-files-permissions", () => {
    it("passes a node whose files are written 0600 (certificates 0644) root:root", () => {
        assert.deepEqual(outcome(run(control, controlPlaneNode())), { violations: [], unknownPaths: [] });
    });

    it("ignores files that are not control-plane files", () => {
        assert.deepEqual(messages(control, [hostFile("/etc/motd", "hi", { mode: "0666", owner: "nobody" })]), []);
    });

    const cases: [string, string, Parameters<typeof hostFile>[2], RegExp][] = [
        [
            "a world-readable API server manifest",
            API,
            { mode: "0644" },
            /^static Pod manifest \/etc\/kubernetes\/manifests\/kube-apiserver\.yaml on 10\.0\.0\.5: create: its mode 0644 is more permissive than 600.*\(1\.1\.1, 1\.1\.2\)/,
        ],
        [
            "an etcd manifest owned by a user",
            "/etc/kubernetes/manifests/etcd.yaml",
            { owner: "ubuntu" },
            /its owner is "ubuntu", not root.*\(1\.1\.7, 1\.1\.8\)/,
        ],
        [
            "a scheduler manifest with another group",
            "/etc/kubernetes/manifests/kube-scheduler.yaml",
            { group: "staff" },
            /its group is "staff", not root.*\(1\.1\.5, 1\.1\.6\)/,
        ],
        [
            "admin.conf without a mode",
            "/etc/kubernetes/admin.conf",
            { mode: null },
            /^kubeconfig \/etc\/kubernetes\/admin\.conf on 10\.0\.0\.5: create: its mode is not set.*\(1\.1\.13, 1\.1\.14\)/,
        ],
        [
            "super-admin.conf group-readable",
            "/etc/kubernetes/super-admin.conf",
            { mode: "0640" },
            /its mode 0640 is more permissive than 600.*\(1\.1\.13, 1\.1\.14\)/,
        ],
        [
            "scheduler.conf without owner",
            "/etc/kubernetes/scheduler.conf",
            { owner: null },
            /its owner is not set, so it belongs to the connecting user.*\(1\.1\.15, 1\.1\.16\)/,
        ],
        ["controller-manager.conf world-writable", "/etc/kubernetes/controller-manager.conf", { mode: "0666" }, /\(1\.1\.17, 1\.1\.18\)/],
        ["kubelet.conf world-readable", "/etc/kubernetes/kubelet.conf", { mode: "0644" }, /\(4\.1\.5, 4\.1\.6\)/],
        [
            "a readable private key",
            "/etc/kubernetes/pki/etcd/peer.key",
            { mode: "0644" },
            /^private key \/etc\/kubernetes\/pki\/etcd\/peer\.key.*\(1\.1\.19, 1\.1\.21\)/,
        ],
        [
            "a writable certificate",
            "/etc/kubernetes/pki/apiserver.crt",
            { mode: "0664" },
            /^certificate .*its mode 0664 is more permissive than 644.*\(1\.1\.19, 1\.1\.20\)/,
        ],
        ["a readable kubelet configuration", "/var/lib/kubelet/config.yaml", { mode: "0644" }, /^kubelet configuration .*\(4\.1\.9, 4\.1\.10\)/],
        [
            "a kubelet unit drop-in owned by a user",
            "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
            { owner: "deploy" },
            /^kubelet service file .*\(4\.1\.1, 4\.1\.2\)/,
        ],
        ["a setuid manifest", API, { mode: "4600" }, /its mode 4600 is more permissive than 600/],
        ["a symbolic mode", API, { mode: "u=rw" }, /its mode \(a value\) is not an octal mode/],
        [
            "a readable encryption configuration",
            "/etc/kubernetes/encryption.yaml",
            { mode: "0644" },
            /^encryption configuration \/etc\/kubernetes\/encryption\.yaml on 10\.0\.0\.5: create: its mode 0644 is more permissive than 600/,
        ],
    ];
    for (const [name, path, o, re] of cases) {
        it(`fails on ${name}`, () => {
            onlyMessage(control, nodeWithFile(path, o), re);
        });
    }

    describe("etcd data directory (1.1.11, 1.1.12)", () => {
        const dir = (create: string): Res => ({ type: "command:remote:Command", name: "etcd-dir", props: { connection: { host: "10.0.0.5" }, create } });
        it("passes a directory created 0700 etcd:etcd, and ignores an undeclared one", () => {
            assert.deepEqual(messages(control, [...controlPlaneNode(), dir("install -d -m 0700 -o etcd -g etcd /var/lib/etcd")]), []);
            assert.deepEqual(messages(control, [...controlPlaneNode(), dir("install -d -m 0755 -o etcd -g etcd /var/lib/other")]), []);
        });
        it("fails a world-readable data directory", () => {
            onlyMessage(
                control,
                [...controlPlaneNode(), dir("install -d -m 0755 -o etcd -g etcd /var/lib/etcd")],
                /^etcd data directory \/var\/lib\/etcd on 10\.0\.0\.5: create: its mode 0755 is more permissive than 700.*install -d -m 0700 -o etcd -g etcd.*\(1\.1\.11, 1\.1\.12\)/,
            );
        });
        it("follows mkdir, chown and chmod, and honours the configured owner", () => {
            const rootOwned = dir("mkdir -p /var/lib/etcd/ && chown -R root:root /var/lib/etcd && chmod 700 /var/lib/etcd");
            const msgs = messages(control, [...controlPlaneNode(), rootOwned]);
            assert.equal(msgs.length, 2, msgs.join("\n"));
            assert.match(msgs[0], /its owner is "root", not etcd/);
            assert.deepEqual(messages(control, [...controlPlaneNode(), rootOwned], { etcdDataDirOwner: "root:root" }), []);
        });
        it("checks on each host the data directories of its own etcd and of etcds whose host is unknown, in component order", () => {
            const kubeadm = (host: string, dataDir: string) =>
                hostFile(
                    "/etc/kubernetes/kubeadm.yaml",
                    `apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\netcd:\n  local:\n    dataDir: ${dataDir}\n`,
                    { host, name: `kubeadm-${host}` },
                );
            const dirs = (host: string): Res => ({
                type: "command:remote:Command",
                name: `dirs-${host}`,
                props: { connection: { host }, create: "install -d -m 0755 -o etcd -g etcd /data/a /data/b /data/any /data/c" },
            });
            const stack = [
                kubeadm("10.0.0.5", "/data/a"),
                kubeadm("10.0.0.6", "/data/b"),
                kubeadm("10.0.0.7", "/data/c"),
                controlPlaneDockerContainer("etcd", ["--data-dir=/data/any"]),
                dirs("10.0.0.5"),
                dirs("10.0.0.6"),
                dirs("10.0.0.8"),
            ];
            const found = messages(control, stack)
                .filter((m) => m.startsWith("etcd data directory"))
                .map((m) => /^etcd data directory (\S+) on (\S+):/.exec(m)?.slice(1).join(" on "));
            assert.deepEqual(found, ["/data/a on 10.0.0.5", "/data/any on 10.0.0.5", "/data/b on 10.0.0.6", "/data/any on 10.0.0.6"]);
        });
        it("uses the data directory of a kubeadm etcd", () => {
            const kubeadm = hostFile(
                "/etc/kubernetes/kubeadm.yaml",
                "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\netcd:\n  local:\n    dataDir: /data/etcd\n",
            );
            onlyMessage(
                control,
                [kubeadm, dir("install -d -o etcd -g etcd /data/etcd")],
                /^etcd data directory \/data\/etcd on 10\.0\.0\.5: create: its mode is not set/,
            );
        });
    });

    it("uses the last write of a file, and chmod/chown after it", () => {
        const fix = {
            type: "command:remote:Command",
            name: "fix",
            props: { connection: { host: "10.0.0.5" }, create: `chmod 0600 ${API} && chown root:root ${API}` },
        };
        const rewrite = {
            type: "command:remote:Command",
            name: "rewrite",
            props: { connection: { host: "10.0.0.5" }, create: `tee ${API} >/dev/null && chmod 600 ${API} && chown root:root ${API}`, stdin: "x" },
        };
        assert.deepEqual(messages(control, [...nodeWithFile(API, { mode: "0644" }), rewrite]), []);
        assert.equal(fix.type, "command:remote:Command");
    });

    it("honours a configured manifest mode (the threat model's 644)", () => {
        assert.deepEqual(messages(control, nodeWithFile(API, { mode: "0644" }), { manifestMode: "644" }), []);
    });

    it("cannot see a write whose command is unknown at preview, and reports nothing for it", () => {
        // The host-files adapter reads mode and owner from the command text; an unknown command has no known path.
        const unknownWrite = { type: "command:remote:Command", name: "later", props: { connection: { host: "10.0.0.5" }, create: UNKNOWN_STRING, stdin: "x" } };
        assert.deepEqual(outcome(run(control, [...controlPlaneNode(), unknownWrite], { unknownValues: "fail" })), { violations: [], unknownPaths: [] });
    });

    it("never shows secret content or a secret owner", () => {
        const msgs = messages(control, [hostFile("/etc/kubernetes/admin.conf", secret("token: s3cr3t"), { mode: "0644", owner: "s3cr3t-user" })]);
        assert.equal(msgs.length, 2);
        assert.ok(msgs.every((m) => !m.includes("token: s3cr3t")));
    });

    it("reports malformed writes clearly without throwing", () => {
        const odd = [
            { type: "command:remote:Command", name: "n", props: null },
            { type: "command:remote:Command", name: "t", props: { create: 42 } },
            { type: "command:remote:Command", name: "i", props: { create: `install -m -o root /dev/stdin ${API}`, stdin: "x" } },
        ];
        let msgs: string[] = [];
        assert.doesNotThrow(() => (msgs = messages(control, odd)));
        assert.ok(msgs.length >= 1);
        for (const m of msgs) assert.ok(!/undefined|\[object Object\]/.test(m), m);
    });
});
