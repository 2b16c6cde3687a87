// Smoke tests of the real-etcd infrastructure: started from kubeadm-style
// flags (mutual TLS on the client and peer ports), plaintext and
// certificate-less clients are refused, a CA-signed client cert works.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { requireRealParts } from "./available";
import { leftoverCount, makeTempDir, removeDirSync } from "./cleanup";
import { Etcd, parseFlags, putGet, startEtcd } from "./etcd";
import { makePki, Pki } from "./pki";
import { pidAlive } from "./proc";

/** What kubeadm renders into the etcd static pod (addresses and paths are rewritten by startEtcd). */
export const KUBEADM_ETCD_FLAGS = [
    "--advertise-client-urls=https://10.0.0.10:2379",
    "--cert-file=/etc/kubernetes/pki/etcd/server.crt",
    "--client-cert-auth=true",
    "--data-dir=/var/lib/etcd",
    "--experimental-initial-corrupt-check=true",
    "--initial-advertise-peer-urls=https://10.0.0.10:2380",
    "--initial-cluster=cp-1=https://10.0.0.10:2380",
    "--key-file=/etc/kubernetes/pki/etcd/server.key",
    "--listen-client-urls=https://127.0.0.1:2379,https://10.0.0.10:2379",
    "--listen-metrics-urls=http://127.0.0.1:2381",
    "--listen-peer-urls=https://10.0.0.10:2380",
    "--name=cp-1",
    "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt",
    "--peer-client-cert-auth=true",
    "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key",
    "--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
    "--snapshot-count=10000",
    "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
];

describe("real etcd: mutual TLS from kubeadm-style flags", function () {
    let tmp: string;
    let pki: Pki;
    let rogue: Pki;
    let e: Etcd | undefined;

    before(async function () {
        requireRealParts(this, ["etcd"]);
        this.timeout(120_000);
        tmp = makeTempDir("etcd-pki");
        pki = makePki(path.join(tmp, "pki"), { serverNames: ["localhost", "cp-1"], serverIps: ["127.0.0.1"], clients: ["apiserver-etcd-client"] });
        rogue = makePki(path.join(tmp, "rogue"), { serverNames: ["localhost"], serverIps: ["127.0.0.1"], clients: ["intruder"], caName: "rogue CA" });
        e = await startEtcd({
            flags: KUBEADM_ETCD_FLAGS,
            certs: { ca: pki.ca.cert, cert: pki.server.cert, key: pki.server.key, client: pki.clients["apiserver-etcd-client"] },
        });
        console.log(`      etcd ready in ${e.startupMs} ms`);
    });

    after(async function () {
        this.timeout(60_000);
        await e?.stop();
        if (tmp) removeDirSync(tmp);
    });

    it("listens on 127.0.0.1 only, with the rendered schemes, and a 0700 data dir", function () {
        const f = parseFlags(e!.args);
        assert.match(e!.clientUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
        for (const k of ["listen-client-urls", "advertise-client-urls", "listen-peer-urls", "initial-advertise-peer-urls", "listen-metrics-urls"]) {
            for (const u of f.get(k)!.split(",")) assert.match(u, /^https?:\/\/127\.0\.0\.1:\d+$/, `${k}=${u}`);
        }
        assert.strictEqual(f.get("client-cert-auth"), "true");
        assert.strictEqual(f.get("peer-client-cert-auth"), "true");
        assert.strictEqual(f.get("trusted-ca-file"), pki.ca.cert);
        assert.strictEqual(fs.statSync(e!.dataDir).mode & 0o777, 0o700);
    });

    // etcdctl only says "context deadline exceeded"; etcd's log tells why it rejected the connection
    const refused = async (opts: Parameters<Etcd["etcdctl"]>[1], reason: RegExp): Promise<void> => {
        const mark = e!.logOffset();
        const r = await e!.etcdctl(["get", "/k"], { ...opts, commandTimeout: "2s" });
        assert.notStrictEqual(r.code, 0, r.stdout);
        assert.match(r.stderr, /deadline exceeded|connection|tls|certificate/i);
        assert.match(e!.logFrom(mark), reason);
    };

    it("refuses a plaintext client", async function () {
        await refused({ tls: "none" }, /rejected connection .*first record does not look like a TLS handshake/);
    });

    it("refuses a TLS client without a certificate", async function () {
        await refused({ tls: "ca-only" }, /rejected connection .*client didn't provide a certificate/);
    });

    it("refuses a client certificate signed by another CA", async function () {
        await refused({ tls: "client", client: rogue.clients.intruder }, /rejected connection .*certificate signed by unknown authority/);
    });

    it("accepts a client certificate signed by the CA (put/get)", async function () {
        assert.strictEqual(await putGet(e!, "/stride-guard/smoke", "ok"), "ok");
    });
});

describe("real etcd: plaintext flags and cleanup", function () {
    it("an http listener (no TLS flags) serves plaintext clients; stop() removes everything", async function () {
        requireRealParts(this, ["etcd"]);
        this.timeout(60_000);
        const before = leftoverCount();
        const e = await startEtcd({ flags: ["--name=insecure", "--listen-client-urls=http://0.0.0.0:2379", "--advertise-client-urls=http://0.0.0.0:2379"] });
        assert.match(e.clientUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
        assert.strictEqual(await putGet(e, "/open", "door"), "door");
        const { pid, dir } = e;
        await e.stop();
        await e.stop();
        assert.ok(!pidAlive(pid));
        assert.ok(!fs.existsSync(dir));
        assert.strictEqual(leftoverCount(), before);
    });

    it("a flag etcd rejects fails fast with the log in the error", async function () {
        requireRealParts(this, ["etcd"]);
        this.timeout(60_000);
        await assert.rejects(startEtcd({ flags: ["--no-such-flag=1"] }), /before becoming ready[\s\S]*no-such-flag/);
    });
});
