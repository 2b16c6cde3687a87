// Smoke tests of the real-dockerd infrastructure with a hand-written hardened
// daemon.json: the TLS listener refuses plaintext and certificate-less
// clients, the hardening settings are in force and visible, and containers
// started the hardened and the insecure way show it in `docker inspect`.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { requireRealParts } from "./available";
import { leftoverCount, makeTempDir, removeDirSync } from "./cleanup";
import { Dockerd, DockerInfo, importBusyboxImage, startDockerd } from "./dockerd";
import { BUSYBOX_TAG, captureInspectFixtures, hardenedDaemonJson, HARDENED_RUN_FLAGS, InspectFixtures } from "./fixtures";
import { makePki, Pki } from "./pki";
import { pidAlive } from "./proc";
import { itRefusesAllButMutualTls } from "./tls-refusals";

/** Where the smoke tests leave the captured inspect/info JSON for humans (gitignored). */
const OUT = path.resolve(".stride-guard-tmp", "real", "docker");

function procStatus(status: string, field: string): string {
    const m = new RegExp(`^${field}:\\s*(.*)$`, "m").exec(status);
    return m ? m[1].trim() : "";
}

describe("real dockerd: hardened daemon.json", function () {
    let tmp: string;
    let pki: Pki;
    let rogue: Pki;
    let d: Dockerd | undefined;
    let info: DockerInfo;
    let fx: InspectFixtures;

    before(async function () {
        requireRealParts(this, ["dockerd"]);
        this.timeout(180_000);
        tmp = makeTempDir("pki");
        pki = makePki(path.join(tmp, "pki"), { serverNames: ["localhost"], serverIps: ["127.0.0.1"], clients: ["admin"] });
        rogue = makePki(path.join(tmp, "rogue"), { serverNames: ["localhost"], serverIps: ["127.0.0.1"], clients: ["intruder"], caName: "rogue CA" });
        const tls = { ca: pki.ca.cert, cert: pki.server.cert, key: pki.server.key };
        d = await startDockerd({ daemonJson: hardenedDaemonJson(tls), tls, clientCert: pki.clients.admin });
        console.log(`      dockerd ready in ${d.startupMs} ms`);
        info = await d.info();
        fx = await captureInspectFixtures(OUT, { dockerd: d });
    });

    after(async function () {
        this.timeout(60_000);
        await d?.stop();
        if (tmp) removeDirSync(tmp);
    });

    describe("TLS listener", function () {
        itRefusesAllButMutualTls(() => ({ daemon: d, rogue }));

        it("the TCP listener and the unix socket reach the same daemon", async function () {
            const i = JSON.parse(await d!.docker(["info", "--format", "{{json .}}"], { tls: "client" }));
            assert.strictEqual(i.ID, info.ID);
        });

        it("the unix socket (in the temp dir) answers too", async function () {
            assert.match((await d!.docker(["version", "--format", "{{.Server.Version}}"])).trim(), /^\d+\.\d+/);
            assert.ok(d!.unixSocket.startsWith(d!.dir));
        });
    });

    describe("docker info", function () {
        it("shows userns-remap as SecurityOptions name=userns and a remapped DockerRootDir", function () {
            assert.ok(info.SecurityOptions.includes("name=userns"), JSON.stringify(info.SecurityOptions));
            assert.match(info.DockerRootDir, /\/\d+\.\d+$/);
        });
        it("shows live-restore as LiveRestoreEnabled", function () {
            assert.strictEqual(info.LiveRestoreEnabled, true);
        });
        it("shows the log driver as LoggingDriver", function () {
            assert.strictEqual(info.LoggingDriver, "json-file");
        });
        it("shows insecure-registries: [] as only the built-in 127.0.0.0/8 in RegistryConfig.InsecureRegistryCIDRs", function () {
            assert.deepStrictEqual(info.RegistryConfig.InsecureRegistryCIDRs, ["127.0.0.0/8"]);
            for (const [name, ic] of Object.entries(info.RegistryConfig.IndexConfigs)) assert.strictEqual(ic.Secure, true, name);
        });
        it("does not expose no-new-privileges (checked on container processes instead)", function () {
            assert.ok(!info.SecurityOptions.some((s) => /no-new-priv/i.test(s)), JSON.stringify(info.SecurityOptions));
        });
    });

    describe("containers", function () {
        let hard: Record<string, any>;
        let insecure: Record<string, any>;
        let priv: Record<string, any>;
        before(function () {
            hard = JSON.parse(fs.readFileSync(fx.hardened, "utf8"))[0];
            insecure = JSON.parse(fs.readFileSync(fx.insecure, "utf8"))[0];
            priv = JSON.parse(fs.readFileSync(fx.privileged, "utf8"))[0];
        });

        it("saved the inspect JSON", function () {
            for (const f of [fx.hardened, fx.insecure, fx.privileged, fx.info, fx.daemonJson]) assert.ok(fs.statSync(f).size > 100, f);
        });

        it("hardened container: limits, restart policy, user, read-only, no-new-privileges, caps, log opts", function () {
            const h = hard.HostConfig;
            assert.strictEqual(hard.State.Running, true);
            assert.strictEqual(h.Memory, 64 * 1024 * 1024);
            assert.deepStrictEqual(h.RestartPolicy, { Name: "on-failure", MaximumRetryCount: 5 });
            assert.strictEqual(hard.Config.User, "1000:1000");
            assert.strictEqual(h.ReadonlyRootfs, true);
            assert.strictEqual(h.PidsLimit, 64);
            assert.deepStrictEqual(h.SecurityOpt, ["no-new-privileges"]);
            assert.deepStrictEqual(h.CapDrop, ["ALL"]);
            assert.strictEqual(h.Privileged, false);
            assert.strictEqual(h.UsernsMode, "");
            assert.deepStrictEqual(h.LogConfig, { Type: "json-file", Config: { "max-file": "3", "max-size": "10m" } });
            assert.deepStrictEqual(hard.Mounts, []);
        });

        it("insecure container: no limits, root, writable, added caps, host /etc bind, host userns", function () {
            const h = insecure.HostConfig;
            assert.strictEqual(insecure.State.Running, true);
            assert.strictEqual(h.Memory, 0);
            assert.ok(h.PidsLimit === null || h.PidsLimit === 0 || h.PidsLimit === -1, String(h.PidsLimit));
            assert.deepStrictEqual(h.RestartPolicy, { Name: "no", MaximumRetryCount: 0 });
            assert.strictEqual(insecure.Config.User, "");
            assert.strictEqual(h.ReadonlyRootfs, false);
            assert.deepStrictEqual(h.CapAdd, ["SYS_ADMIN", "NET_ADMIN"]);
            assert.deepStrictEqual(h.Binds, ["/etc:/host/etc"]);
            assert.strictEqual(h.UsernsMode, "host");
            assert.deepStrictEqual(
                insecure.Mounts.map((m: any) => [m.Type, m.Source, m.Destination, m.RW]),
                [["bind", "/etc", "/host/etc", true]],
            );
        });

        it("privileged container (created only): HostConfig.Privileged", function () {
            assert.strictEqual(priv.HostConfig.Privileged, true);
            assert.strictEqual(priv.State.Status, "created");
        });

        it("kernel view: daemon no-new-privileges reaches every container, userns maps root to a subordinate uid", async function () {
            for (const [c, remapped, capsNone] of [
                [hard, true, true],
                [insecure, false, false],
            ] as const) {
                const pid = c.State.Pid as number;
                assert.ok(pid > 0);
                const status = (await d!.nsExec(["cat", `/proc/${pid}/status`])).stdout;
                assert.strictEqual(procStatus(status, "NoNewPrivs"), "1", `${c.Name} NoNewPrivs`);
                assert.strictEqual(procStatus(status, "Seccomp"), "2", `${c.Name} Seccomp (2 = filter)`);
                if (capsNone) assert.strictEqual(procStatus(status, "CapEff"), "0000000000000000");
                const uidMap = (await d!.nsExec(["cat", `/proc/${pid}/uid_map`])).stdout.trim().split(/\s+/);
                if (remapped) assert.notStrictEqual(uidMap[1], "0", `${c.Name} uid_map ${uidMap.join(" ")}`);
                else assert.deepStrictEqual(uidMap.slice(0, 2), ["0", "0"]);
            }
        });

        it("a container started without --memory / --security-opt still gets NoNewPrivs from the daemon", async function () {
            const id = (await d!.docker(["run", "-d", BUSYBOX_TAG, "sleep", "60"])).trim();
            const [c] = await d!.inspect(id);
            assert.strictEqual(c.HostConfig.SecurityOpt, null);
            const status = (await d!.nsExec(["cat", `/proc/${c.State.Pid}/status`])).stdout;
            assert.strictEqual(procStatus(status, "NoNewPrivs"), "1");
            await d!.docker(["rm", "-f", id]);
        });
    });
});

describe("real dockerd: icc on the default bridge", function () {
    let d: Dockerd | undefined;
    before(async function () {
        requireRealParts(this, ["dockerd"]);
        this.timeout(120_000);
        d = await startDockerd({ daemonJson: { icc: false, iptables: true }, defaultBridge: true });
    });
    after(async function () {
        this.timeout(60_000);
        await d?.stop();
    });

    it("icc:false shows as the bridge network option com.docker.network.bridge.enable_icc=false and an iptables DROP rule", async function () {
        const [bridge] = JSON.parse(await d!.docker(["network", "inspect", "bridge"]));
        assert.strictEqual(bridge.Options["com.docker.network.bridge.enable_icc"], "false");
        const rules = (await d!.nsExec(["iptables", "-S", "FORWARD"])).stdout;
        assert.match(rules, /-A FORWARD -i docker0 -o docker0 -j DROP/);
    });

    it("a user-defined network does not inherit the daemon's icc (only its own -o option)", async function () {
        await d!.docker(["network", "create", "-o", "com.docker.network.bridge.enable_icc=false", "sg-noicc"]);
        await d!.docker(["network", "create", "sg-default"]);
        const [noicc, dflt] = JSON.parse(await d!.docker(["network", "inspect", "sg-noicc", "sg-default"]));
        assert.strictEqual(noicc.Options["com.docker.network.bridge.enable_icc"], "false");
        assert.strictEqual(dflt.Options["com.docker.network.bridge.enable_icc"], undefined);
    });
});

describe("real dockerd: live-restore across a daemon restart", function () {
    for (const liveRestore of [true, false]) {
        it(`live-restore ${liveRestore}: a running container ${liveRestore ? "survives" : "is stopped by"} a dockerd restart`, async function () {
            requireRealParts(this, ["dockerd"]);
            this.timeout(120_000);
            const d = await startDockerd({ daemonJson: { "live-restore": liveRestore } });
            try {
                await importBusyboxImage(d, "sg-live:test");
                const id = (await d.docker(["run", "-d", "--stop-timeout", "1", "sg-live:test", "sleep", "600"])).trim();
                const [c0] = await d.inspect(id);
                const oldPid = d.pid;
                await d.restart();
                assert.notStrictEqual(d.pid, oldPid);
                assert.strictEqual((await d.info()).LiveRestoreEnabled, liveRestore);
                const [c1] = await d.inspect(id);
                if (liveRestore) {
                    assert.strictEqual(c1.State.Running, true);
                    assert.strictEqual(c1.State.Pid, c0.State.Pid);
                    assert.strictEqual(c1.State.StartedAt, c0.State.StartedAt);
                } else {
                    assert.strictEqual(c1.State.Running, false);
                }
            } finally {
                await d.stop();
            }
        });
    }
});

describe("real dockerd: cleanup", function () {
    it("stop() kills every process of the daemon, its containers, mounts and temp dir", async function () {
        requireRealParts(this, ["dockerd"]);
        this.timeout(120_000);
        const before = leftoverCount();
        const d = await startDockerd({ daemonJson: { "live-restore": true } });
        await importBusyboxImage(d, "sg-cleanup:test");
        const id = (await d.docker(["run", "-d", "sg-cleanup:test", "sleep", "600"])).trim();
        const [c] = await d.inspect(id);
        assert.strictEqual(c.State.Running, true);
        assert.ok(leftoverCount() > before);
        const dir = d.dir;
        const pids = [d.holderPid, d.pid];
        await d.stop();
        await d.stop(); // idempotent
        for (const p of pids) assert.ok(!pidAlive(p), `pid ${p} still alive`);
        assert.ok(!fs.existsSync(dir), `${dir} still exists`);
        const mounts = fs.readFileSync("/proc/self/mounts", "utf8");
        assert.ok(!mounts.includes(dir), "mounts left under the temp dir");
        const sleeper = fs
            .readdirSync("/proc")
            .filter((p) => /^\d+$/.test(p))
            .some((p) => {
                try {
                    return fs.readFileSync(`/proc/${p}/cmdline`, "utf8").includes(id);
                } catch {
                    return false;
                }
            });
        assert.ok(!sleeper, "a containerd shim of the container survived");
        assert.strictEqual(leftoverCount(), before);
    });

    it("a daemon.json dockerd rejects fails fast with the log in the error", async function () {
        requireRealParts(this, ["dockerd"]);
        this.timeout(60_000);
        await assert.rejects(startDockerd({ daemonJson: { "no-such-option": true } }), /before becoming ready[\s\S]*no-such-option/);
    });

    it("captureInspectFixtures() works standalone (starts and stops its own daemon)", async function () {
        requireRealParts(this, ["dockerd"]);
        this.timeout(120_000);
        const out = makeTempDir("fixtures");
        try {
            const before = leftoverCount();
            const f = await captureInspectFixtures(out);
            const [h] = JSON.parse(fs.readFileSync(f.hardened, "utf8"));
            assert.deepStrictEqual(h.HostConfig.CapDrop, ["ALL"]);
            assert.deepStrictEqual(HARDENED_RUN_FLAGS.includes("--read-only"), h.HostConfig.ReadonlyRootfs);
            assert.strictEqual(leftoverCount(), before);
        } finally {
            removeDirSync(out);
        }
    });
});
