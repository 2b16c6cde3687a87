// The rendered documents in force on real daemons: dockerd started with the daemon.json the docker-host stack
// writes (and its docker.service drop-in verified by systemd against the distribution's unit), etcd started
// with the command line kubeadm runs for the kubernetes-cluster stack's configuration.
// Certificates come from a throwaway openssl PKI (the stack's own come from @pulumi/tls at deploy time).
// Missing binaries skip these tests locally and fail them under CI.
import * as assert from "assert";
import * as path from "path";
import * as fs from "fs";
import { requireRealParts, underCi, which } from "../real/available";
import { makeTempDir, removeDirSync } from "../real/cleanup";
import { Dockerd, DockerInfo, importBusyboxImage, startDockerd } from "../real/dockerd";
import { Etcd, parseFlags, putGet, startEtcd } from "../real/etcd";
import { makePki, Pki } from "../real/pki";
import { run } from "../real/proc";
import { itRefusesAllButMutualTls } from "../real/tls-refusals";
import { daemonJsonObject, hardenedDaemonOptions, renderDockerServiceDropIn } from "../../stacks/render/daemon-json";
import { HARDENED_CONTROL_PLANE, KubeadmOptions, kubeadmEtcdFlags } from "../../stacks/render/kubeadm";

const CLUSTER: KubeadmOptions = {
    nodeName: "cp-1",
    advertiseAddress: "10.0.0.10",
    certSANs: ["10.0.0.10"],
    kubernetesVersion: "v1.34.2",
    podSubnet: "10.244.0.0/16",
    serviceSubnet: "10.96.0.0/12",
    schedulable: true,
    security: HARDENED_CONTROL_PLANE,
};

function procStatus(status: string, field: string): string {
    return new RegExp(`^${field}:\\s*(.*)$`, "m").exec(status)?.[1].trim() ?? "";
}

describe("docker-host daemon.json on a real dockerd", function () {
    let tmp: string;
    let pki: Pki;
    let rogue: Pki;
    let d: Dockerd | undefined;
    let info: DockerInfo;
    const rendered = daemonJsonObject(hardenedDaemonOptions());

    before(async function () {
        requireRealParts(this, ["dockerd"]);
        this.timeout(180_000);
        tmp = makeTempDir("stacks-docker-pki");
        pki = makePki(path.join(tmp, "pki"), { serverNames: ["localhost"], serverIps: ["127.0.0.1"], clients: ["pulumi"] });
        rogue = makePki(path.join(tmp, "rogue"), { serverNames: ["localhost"], serverIps: ["127.0.0.1"], clients: ["intruder"], caName: "rogue CA" });
        // The helper keeps every setting of the rendered daemon.json and replaces only the isolation ones
        // (hosts → its own unix socket + tcp://127.0.0.1:2376 in a private netns, TLS file paths, data/exec roots).
        d = await startDockerd({
            daemonJson: rendered,
            tls: { ca: pki.ca.cert, cert: pki.server.cert, key: pki.server.key },
            clientCert: pki.clients.pulumi,
            tcpPort: 2376,
            defaultBridge: true,
        });
        info = await d.info();
    });

    after(async function () {
        this.timeout(60_000);
        await d?.stop();
        if (tmp) removeDirSync(tmp);
    });

    it("runs with the rendered settings (only the isolation keys replaced)", function () {
        for (const k of [
            "tls",
            "tlsverify",
            "icc",
            "userland-proxy",
            "userns-remap",
            "live-restore",
            "no-new-privileges",
            "log-driver",
            "log-opts",
            "insecure-registries",
        ]) {
            assert.deepStrictEqual(d!.daemonJson[k], rendered[k], k);
        }
        assert.strictEqual(d!.tcpUrl, "tcp://127.0.0.1:2376");
    });

    itRefusesAllButMutualTls(() => ({ daemon: d, rogue }));

    it("docker info shows userns-remap, live-restore, json-file logging, no insecure registries", function () {
        assert.ok(info.SecurityOptions.includes("name=userns"), JSON.stringify(info.SecurityOptions));
        assert.strictEqual(info.LiveRestoreEnabled, true);
        assert.strictEqual(info.LoggingDriver, "json-file");
        // Docker always trusts loopback over plain HTTP (127.0.0.0/8); nothing else may be listed.
        assert.deepStrictEqual(
            info.RegistryConfig.InsecureRegistryCIDRs.filter((c) => c !== "127.0.0.0/8" && c !== "::1/128"),
            [],
        );
        assert.ok(
            Object.values(info.RegistryConfig.IndexConfigs).every((i) => i.Secure),
            JSON.stringify(info.RegistryConfig.IndexConfigs),
        );
    });

    it("icc off on the default bridge (network option and the iptables DROP rule)", async function () {
        const [bridge] = JSON.parse(await d!.docker(["network", "inspect", "bridge"]));
        assert.strictEqual(bridge.Options["com.docker.network.bridge.enable_icc"], "false");
        const rules = (await d!.nsExec(["iptables", "-S", "FORWARD"])).stdout;
        assert.match(rules, /-A FORWARD -i docker0 -o docker0 -j DROP/);
    });

    it("the userland proxy is off: publishing a port starts no docker-proxy", async function () {
        await importBusyboxImage(d!, "stride-guard/busybox:stacks");
        const id = (
            await d!.docker(["run", "-d", "-p", "127.0.0.1:18080:8080", "--user", "1000:1000", "stride-guard/busybox:stacks", "sleep", "300"], {
                tls: "client",
            })
        ).trim();
        try {
            const ps = (await d!.nsExec(["ps", "-eo", "comm"])).stdout;
            assert.match(ps, /^dockerd$/m, "the process listing works");
            assert.ok(!/docker-proxy/.test(ps), ps);
            const [c] = await d!.inspect(id);
            const status = (await d!.nsExec(["cat", `/proc/${c.State.Pid}/status`])).stdout;
            // daemon-wide no-new-privileges reaches a container started without --security-opt
            assert.strictEqual(procStatus(status, "NoNewPrivs"), "1");
            // userns-remap: uid 0 in the container is not uid 0 on the host
            const uidMap = (await d!.nsExec(["cat", `/proc/${c.State.Pid}/uid_map`])).stdout.trim().split(/\s+/);
            assert.notStrictEqual(uidMap[1], "0", uidMap.join(" "));
            assert.deepStrictEqual(c.HostConfig.LogConfig, { Type: "json-file", Config: { "max-file": "3", "max-size": "10m" } });
        } finally {
            await d!.docker(["rm", "-f", id]);
        }
    });
});

describe("docker.service drop-in against the distribution's unit", function () {
    const UNIT_DIR = "/lib/systemd/system";
    let dir: string;

    /** systemd-analyze verify on docker.service (+ docker.socket) from the docker.io package with a drop-in. */
    async function verify(dropIn: string) {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(path.join(dir, "docker.service.d"), { recursive: true });
        for (const u of ["docker.service", "docker.socket"]) fs.copyFileSync(path.join(UNIT_DIR, u), path.join(dir, u));
        fs.writeFileSync(path.join(dir, "docker.service.d", "10-stride-guard.conf"), dropIn);
        // the trailing ":" keeps the default unit path after ours (targets, sockets.target, ...)
        return run(["systemd-analyze", "verify", "docker.service"], { env: { ...process.env, SYSTEMD_UNIT_PATH: `${dir}:` }, timeoutMs: 30_000 });
    }

    before(function () {
        requireRealParts(this, ["dockerd"]);
        if (!which("systemd-analyze")) {
            if (underCi()) throw new Error("systemd-analyze missing (apt-get install systemd); CI is set, so this fails instead of skipping");
            this.skip();
        }
        dir = makeTempDir("stacks-unit");
    });

    after(function () {
        if (dir) removeDirSync(dir);
    });

    it("the unit with the drop-in verifies: one ExecStart, dockerd found on systemd's search path", async function () {
        this.timeout(30_000);
        assert.match(
            fs.readFileSync(path.join(UNIT_DIR, "docker.service"), "utf8"),
            /^ExecStart=\S*dockerd -H fd:\/\//m,
            "the distribution unit passes -H, which is what the drop-in removes",
        );
        const r = await verify(renderDockerServiceDropIn());
        assert.strictEqual(r.code, 0, r.stderr + r.stdout);
    });

    it("verification sees the drop-in: without clearing ExecStart it is refused", async function () {
        this.timeout(30_000);
        const r = await verify(renderDockerServiceDropIn().replace(/^ExecStart=\n/m, ""));
        assert.notStrictEqual(r.code, 0);
        assert.match(r.stderr, /more than one ExecStart/);
    });
});

describe("kubernetes-cluster etcd flags on a real etcd", function () {
    let tmp: string;
    let pki: Pki;
    let rogue: Pki;
    let e: Etcd | undefined;
    const flags = kubeadmEtcdFlags(CLUSTER);

    before(async function () {
        requireRealParts(this, ["etcd"]);
        this.timeout(120_000);
        tmp = makeTempDir("stacks-etcd-pki");
        pki = makePki(path.join(tmp, "pki"), { serverNames: ["localhost", "cp-1"], serverIps: ["127.0.0.1"], clients: ["kube-apiserver-etcd-client"] });
        rogue = makePki(path.join(tmp, "rogue"), { serverNames: ["localhost"], serverIps: ["127.0.0.1"], clients: ["intruder"], caName: "rogue CA" });
        e = await startEtcd({
            flags,
            certs: { ca: pki.ca.cert, cert: pki.server.cert, key: pki.server.key, client: pki.clients["kube-apiserver-etcd-client"] },
        });
    });

    after(async function () {
        this.timeout(60_000);
        await e?.stop();
        if (tmp) removeDirSync(tmp);
    });

    it("runs with the rendered security flags (only addresses, ports, paths rewritten)", function () {
        const f = parseFlags(e!.args);
        for (const k of ["client-cert-auth", "peer-client-cert-auth", "auto-tls", "peer-auto-tls", "cipher-suites"]) {
            assert.strictEqual(f.get(k), parseFlags(flags).get(k), k);
        }
        assert.match(e!.clientUrl, /^https:/);
        assert.match(e!.peerUrl, /^https:/);
    });

    const refused = async (opts: Parameters<Etcd["etcdctl"]>[1], reason: RegExp): Promise<void> => {
        const mark = e!.logOffset();
        const r = await e!.etcdctl(["get", "/k"], { ...opts, commandTimeout: "2s" });
        assert.notStrictEqual(r.code, 0, r.stdout);
        assert.match(e!.logFrom(mark), reason);
    };

    it("refuses a plaintext client", async function () {
        this.timeout(30_000);
        await refused({ tls: "none" }, /rejected connection .*first record does not look like a TLS handshake/);
    });

    it("refuses a TLS client without a certificate", async function () {
        this.timeout(30_000);
        await refused({ tls: "ca-only" }, /rejected connection .*client didn't provide a certificate/);
    });

    it("refuses a client certificate from another CA", async function () {
        this.timeout(30_000);
        await refused({ tls: "client", client: rogue.clients.intruder }, /rejected connection .*certificate signed by unknown authority/);
    });

    it("serves the API server's client certificate (put/get)", async function () {
        this.timeout(30_000);
        assert.strictEqual(await putGet(e!, "/registry/stride-guard", "ok"), "ok");
    });

    it("negotiates only the rendered cipher suites over TLS 1.2", async function () {
        this.timeout(30_000);
        const hostPort = e!.clientUrl.replace(/^https:\/\//, "");
        const c = pki.clients["kube-apiserver-etcd-client"];
        const handshake = (cipher: string) =>
            run(["openssl", "s_client", "-connect", hostPort, "-tls1_2", "-cipher", cipher, "-CAfile", pki.ca.cert, "-cert", c.cert, "-key", c.key], {
                input: "",
                timeoutMs: 15_000,
            });
        const weak = await handshake("ECDHE-ECDSA-AES128-SHA");
        assert.notStrictEqual(weak.code, 0, "a CBC suite outside --cipher-suites was negotiated");
        assert.match(weak.stderr, /handshake failure|alert/i, weak.stderr);
        const strong = await handshake("ECDHE-ECDSA-AES128-GCM-SHA256");
        assert.strictEqual(strong.code, 0, strong.stderr);
        assert.match(strong.stdout, /Cipher\s*(is|:)\s*ECDHE-ECDSA-AES128-GCM-SHA256/);
    });
});

describe("insecure-demo etcd flags on a real etcd", function () {
    let tmp: string;
    let pki: Pki;
    let e: Etcd | undefined;

    before(async function () {
        requireRealParts(this, ["etcd"]);
        this.timeout(120_000);
        tmp = makeTempDir("stacks-etcd-insecure");
        pki = makePki(path.join(tmp, "pki"), { serverNames: ["localhost", "cp-1"], serverIps: ["127.0.0.1"], clients: [] });
        const insecure = {
            ...CLUSTER,
            security: { ...HARDENED_CONTROL_PLANE, etcd: { ...HARDENED_CONTROL_PLANE.etcd, clientCertAuth: false, peerClientCertAuth: false } },
        };
        const flags = kubeadmEtcdFlags(insecure);
        // The rendering clears --trusted-ca-file (etcd would demand client certificates otherwise); startEtcd keeps
        // flags rendered empty as they are.
        const rendered = parseFlags(flags);
        assert.strictEqual(rendered.get("trusted-ca-file"), "");
        e = await startEtcd({ flags, certs: { ca: pki.ca.cert, cert: pki.server.cert, key: pki.server.key } });
    });

    after(async function () {
        this.timeout(60_000);
        await e?.stop();
        if (tmp) removeDirSync(tmp);
    });

    it("serves a client without any certificate: the refusals of the hardened etcd come from the rendered flags", async function () {
        this.timeout(30_000);
        assert.strictEqual(await putGet(e!, "/registry/anyone", "in", { tls: "ca-only" }), "in");
    });
});
