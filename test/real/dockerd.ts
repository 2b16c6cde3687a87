// A real, isolated dockerd for tests.
//
// Layout: setpriv --pdeathsig KILL -> unshare --net --pid --mount-proc --fork --kill-child
//           -> docker-init (tini, pid 1 of the new pid namespace)
//              -> sh -c 'ip link set lo up && exec dockerd --config-file DIR/daemon.json'
// - own network namespace (only lo): the TCP listener on 127.0.0.1 and any
//   bridge exist only there; nothing can reach the outside.
// - own pid + mount namespace: killing the holder kills every process of
//   the daemon (dockerd, containerd, shims, containers: the kernel kills a pid
//   namespace whose init dies) and drops every mount it made, so cleanup is
//   one kill plus `rm -rf DIR`. Also when the test process dies: the holder
//   has pdeathsig=KILL, tini has pdeathsig=KILL via --kill-child.
// - own data-root, exec-root, pidfile, unix socket, cgroup-parent in DIR.
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { dockerCli, which } from "./available";
import { makeTempDir, register, removeCgroupParent, removeDirSync, sweepStale, unregister } from "./cleanup";
import { CertKey } from "./pki";
import { cleanEnv, comm, descendants, ExecResult, ok, pidAlive, run, sleep, spawnLogged, tail, within } from "./proc";

export { ExecResult } from "./proc";

export interface TlsFiles {
    ca: string;
    cert: string;
    key: string;
}

export type ClientTlsMode = "none" | "ca-only" | "client";

export interface StartDockerdOptions {
    /** The daemon.json under test. Isolation keys (data-root, exec-root, pidfile, hosts, bridge) are overridden. */
    daemonJson: Record<string, unknown>;
    /** Server TLS files: sets tlscacert/tlscert/tlskey and adds a tcp://127.0.0.1:PORT listener. tls/tlsverify come from daemonJson. */
    tls?: TlsFiles;
    /** Port of the TCP listener (inside the private network namespace). Default 2376. */
    tcpPort?: number;
    /** Default client certificate for exec(..., { tls: "client" }). */
    clientCert?: CertKey;
    /** Keep the default bridge (docker0, created inside the private netns) instead of "bridge": "none" — needed to observe the daemon's icc setting. */
    defaultBridge?: boolean;
    /** Readiness bound (default 90 s; the very first start with userns-remap also creates the dockremap user). */
    readyTimeoutMs?: number;
}

export interface DockerExecOptions {
    /** Given: talk to the TCP listener through nsenter, with "none" = plain HTTP, "ca-only" = --tls with the CA (no client cert), "client" = --tlsverify with a client cert. Omitted: unix socket. */
    tls?: ClientTlsMode;
    /** Client cert for tls "client" (default: startDockerd's clientCert). */
    client?: CertKey;
    /** CA the client trusts (default: the server's CA). */
    ca?: string;
    input?: string | Buffer;
    timeoutMs?: number;
}

/** The client side used by importBusyboxImage and the fixture capture. */
export interface DockerClient {
    exec(args: string[], opts?: DockerExecOptions): Promise<ExecResult>;
}

export interface Dockerd extends DockerClient {
    /** Host pid of dockerd (inside the private namespaces); changes on restart(). */
    pid: number;
    /** Host pid of the namespace holder (unshare); killing it tears everything down. */
    holderPid: number;
    /** Host pid of the namespaces' init (tini); stable across restart(), used for nsenter. */
    initPid: number;
    /** Temp dir holding everything of this daemon. */
    dir: string;
    unixSocket: string;
    /** tcp://127.0.0.1:PORT when TLS was given (reachable only inside the daemon's network namespace). */
    tcpUrl?: string;
    /** The effective daemon.json (caller's + isolation settings) and where it was written. */
    daemonJson: Record<string, unknown>;
    daemonJsonPath: string;
    logFile: string;
    /** Milliseconds from spawn to the API answering /_ping. */
    startupMs: number;
    /** Like exec, but throws on a non-zero exit and returns stdout. */
    docker(args: string[], opts?: DockerExecOptions): Promise<string>;
    /** `docker info --format '{{json .}}'`, parsed. */
    info(): Promise<DockerInfo>;
    /** `docker inspect`, parsed (one element per id). */
    inspect(...ids: string[]): Promise<Record<string, any>[]>;
    /** Run a command inside the daemon's net+pid+mount namespaces (e.g. `iptables -S`, `cat /proc/PID/status` for a container's State.Pid). */
    nsExec(argv: string[], opts?: { timeoutMs?: number }): Promise<ExecResult>;
    /** Tail of the daemon's log. */
    log(lines?: number): string;
    /**
     * Stop dockerd with SIGTERM and start it again with the same daemon.json,
     * inside the same namespaces (containers survive only with live-restore).
     * Resolves when the API answers again; updates pid. Bounded by timeoutMs (default 60 s).
     */
    restart(opts?: { timeoutMs?: number }): Promise<void>;
    /** Kill everything, remove the temp dir and cgroups. Idempotent. */
    stop(): Promise<void>;
}

/** The part of `docker info` the tests use (everything else is there too). */
export interface DockerInfo {
    ServerVersion: string;
    SecurityOptions: string[];
    LiveRestoreEnabled: boolean;
    LoggingDriver: string;
    DockerRootDir: string;
    RegistryConfig: { InsecureRegistryCIDRs: string[]; IndexConfigs: Record<string, { Name: string; Secure: boolean; Mirrors: string[] }> };
    ServerErrors?: string[];
    [k: string]: unknown;
}

function ping(socket: string): Promise<boolean> {
    return new Promise((resolve) => {
        const req = http.get({ socketPath: socket, path: "/_ping", timeout: 1000 }, (res) => {
            res.resume();
            resolve(res.statusCode === 200);
        });
        req.on("timeout", () => req.destroy());
        req.on("error", () => resolve(false));
    });
}

// Inside the private namespaces, before exec'ing dockerd: bring lo up, and put
// tmpfs over /run/containerd and /run/docker (hardcoded paths: containerd 1.6
// shims make their sockets in /run/containerd/s/, dockerd its plugin dir in
// /run/docker/plugins, and dockerd would use a system containerd whose socket
// is at /run/containerd/containerd.sock). The tmpfs vanish with the namespace.
// dockerd runs again after it exits only while the restart flag file ($1) exists.
const DOCKERD_INIT = [
    "set -e",
    "ip link set lo up",
    "for d in /run/containerd /run/docker; do mkdir -p $d; mount -t tmpfs -o mode=0711 sg-run $d; done",
    'while :; do dockerd --config-file "$0" || true; [ -e "$1" ] || exit 0; rm -f "$1"; done',
].join("; ");

let counter = 0;

export async function startDockerd(opts: StartDockerdOptions): Promise<Dockerd> {
    const docker = dockerCli();
    if (!docker) throw new Error("docker CLI not found (apt-get install docker.io)");
    for (const b of ["dockerd", "unshare", "setpriv", "docker-init"]) if (!which(b)) throw new Error(`${b} not found (bash .ci/run installs it)`);
    sweepStale();
    const dir = makeTempDir("dockerd");
    const id = path.basename(dir);
    const unixSocket = path.join(dir, "docker.sock");
    const tcpPort = opts.tcpPort ?? 2376;
    const tcpUrl = opts.tls ? `tcp://127.0.0.1:${tcpPort}` : undefined;
    const cgroupParent = typeof opts.daemonJson["cgroup-parent"] === "string" ? (opts.daemonJson["cgroup-parent"] as string) : `/stride-guard-${id}`;
    const daemonJson: Record<string, unknown> = {
        ...opts.daemonJson,
        "data-root": path.join(dir, "data"),
        "exec-root": path.join(dir, "exec"),
        pidfile: path.join(dir, "docker.pid"),
        hosts: [`unix://${unixSocket}`, ...(tcpUrl ? [tcpUrl] : [])],
        "cgroup-parent": cgroupParent,
    };
    if (!opts.defaultBridge) daemonJson.bridge = "none";
    if (opts.tls) {
        daemonJson.tlscacert = opts.tls.ca;
        daemonJson.tlscert = opts.tls.cert;
        daemonJson.tlskey = opts.tls.key;
    }
    const daemonJsonPath = path.join(dir, "daemon.json");
    fs.writeFileSync(daemonJsonPath, JSON.stringify(daemonJson, null, 2) + "\n");
    fs.writeFileSync(path.join(dir, "cgroup-parent"), cgroupParent);
    fs.mkdirSync(path.join(dir, "client-config"), { mode: 0o700 });
    const logFile = path.join(dir, "dockerd.log");
    const t0 = Date.now();
    const child = spawnLogged(
        "setpriv",
        [
            "--pdeathsig",
            "KILL",
            "--",
            "unshare",
            "--net",
            "--pid",
            "--mount-proc",
            "--fork",
            "--kill-child",
            "docker-init",
            "--",
            "sh",
            "-c",
            DOCKERD_INIT,
            daemonJsonPath,
            path.join(dir, "restart.flag"),
        ],
        logFile,
        dir,
    );
    const exitP = child.exit;
    const holderPid = child.pid;
    const key = register(`dockerd:${id}:${counter++}`, { pids: holderPid > 0 ? [holderPid] : [], dirs: [dir], cgroupParents: [cgroupParent] });
    fs.writeFileSync(path.join(dir, "pids"), String(holderPid));

    let stopped = false;
    const stop = async (): Promise<void> => {
        if (stopped) return;
        stopped = true;
        const procs = holderPid > 0 ? [holderPid, ...descendants(holderPid)] : [];
        if (!child.exited() && holderPid > 0) {
            try {
                process.kill(holderPid, "SIGKILL");
            } catch {
                /* gone */
            }
        }
        const deadline = Date.now() + 15_000;
        await within(exitP, 15_000);
        while (procs.some(pidAlive) && Date.now() < deadline) await sleep(50);
        removeCgroupParent(cgroupParent);
        removeDirSync(dir);
        unregister(key);
    };

    // bounded readiness wait
    const timeout = opts.readyTimeoutMs ?? 90_000;
    for (;;) {
        if (child.exited()) {
            const log = tail(logFile, 40);
            await stop();
            throw new Error(`dockerd ${child.exited()} before becoming ready; daemon.json:\n${JSON.stringify(daemonJson, null, 2)}\nlog:\n${log}`);
        }
        if (fs.existsSync(unixSocket) && (await ping(unixSocket))) break;
        if (Date.now() - t0 > timeout) {
            const log = tail(logFile, 40);
            await stop();
            throw new Error(`dockerd not ready after ${timeout} ms; log:\n${log}`);
        }
        await sleep(100);
    }
    const startupMs = Date.now() - t0;
    const findDockerd = (): number | undefined => descendants(holderPid).find((p) => comm(p) === "dockerd");
    const pid = findDockerd();
    const initPid = descendants(holderPid).find((p) => comm(p) === "docker-init");
    if (pid === undefined || initPid === undefined) {
        await stop();
        throw new Error("dockerd answered but its process was not found under the namespace holder");
    }

    const env = cleanEnv({ DOCKER_CONFIG: path.join(dir, "client-config") });
    const exec = (args: string[], eo: DockerExecOptions = {}): Promise<ExecResult> => {
        if (eo.tls === undefined) return run([docker, "-H", `unix://${unixSocket}`, ...args], { env, input: eo.input, timeoutMs: eo.timeoutMs });
        if (!tcpUrl) throw new Error("exec with tls: this dockerd has no TCP listener (start it with tls)");
        const ca = eo.ca ?? opts.tls!.ca;
        let tlsArgs: string[];
        if (eo.tls === "none") tlsArgs = [];
        else if (eo.tls === "ca-only") tlsArgs = ["--tls", "--tlscacert", ca];
        else {
            const c = eo.client ?? opts.clientCert;
            if (!c) throw new Error('exec with tls "client" needs a client cert (startDockerd clientCert or exec client)');
            tlsArgs = ["--tlsverify", "--tlscacert", ca, "--tlscert", c.cert, "--tlskey", c.key];
        }
        return run(["nsenter", `--net=/proc/${initPid}/ns/net`, "--", docker, "-H", tcpUrl, ...tlsArgs, ...args], {
            env,
            input: eo.input,
            timeoutMs: eo.timeoutMs,
        });
    };
    const d: Dockerd = {
        pid,
        holderPid,
        initPid,
        dir,
        unixSocket,
        tcpUrl,
        daemonJson,
        daemonJsonPath,
        logFile,
        startupMs,
        exec,
        docker: async (args, eo) => ok(await exec(args, eo)),
        info: async () => JSON.parse(ok(await exec(["info", "--format", "{{json .}}"]))) as DockerInfo,
        inspect: async (...ids) => JSON.parse(ok(await exec(["inspect", ...ids]))) as Record<string, any>[],
        nsExec: (argv, o = {}) =>
            run(["nsenter", "-t", String(initPid), "--net", "--pid", "--mount", "--", ...argv], { env: cleanEnv(), timeoutMs: o.timeoutMs }),
        log: (lines = 40) => tail(logFile, lines),
        restart: async (ro = {}) => {
            const limit = ro.timeoutMs ?? 60_000;
            const t = Date.now();
            const old = d.pid;
            fs.writeFileSync(path.join(dir, "restart.flag"), "");
            process.kill(old, "SIGTERM");
            for (;;) {
                if (child.exited()) throw new Error(`dockerd ${child.exited()} during restart; log:\n${tail(logFile, 40)}`);
                const now = findDockerd();
                if (now !== undefined && now !== old && (await ping(unixSocket))) {
                    d.pid = now;
                    return;
                }
                if (Date.now() - t > limit) throw new Error(`dockerd not back after ${limit} ms; log:\n${tail(logFile, 40)}`);
                await sleep(100);
            }
        },
        stop,
    };
    return d;
}

let rootfsTar: string | undefined;

/** Build (once per process) a tar of a minimal rootfs: busybox-static as /bin/busybox plus applet symlinks, /etc/passwd with root and uid 1000, /tmp. */
async function busyboxRootfsTar(): Promise<string> {
    if (rootfsTar && fs.existsSync(rootfsTar)) return rootfsTar;
    const busybox = which("busybox");
    if (!busybox) throw new Error("busybox not found (apt-get install busybox-static)");
    const dir = makeTempDir("rootfs");
    register(`cache:rootfs:${dir}`, { dirs: [dir] });
    const root = path.join(dir, "root");
    for (const d of ["bin", "etc", "tmp", "proc", "sys", "dev", "home/app"]) fs.mkdirSync(path.join(root, d), { recursive: true });
    fs.chmodSync(path.join(root, "tmp"), 0o1777);
    fs.copyFileSync(busybox, path.join(root, "bin/busybox"));
    fs.chmodSync(path.join(root, "bin/busybox"), 0o755);
    const applets = ok(await run([busybox, "--list"]))
        .split("\n")
        .map((s) => s.trim())
        .filter((s) => /^[a-z0-9_.[-]+$/i.test(s) && s !== "busybox");
    for (const a of applets) {
        try {
            fs.symlinkSync("busybox", path.join(root, "bin", a));
        } catch {
            /* duplicate */
        }
    }
    fs.writeFileSync(
        path.join(root, "etc/passwd"),
        "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n",
    );
    fs.writeFileSync(path.join(root, "etc/group"), "root:x:0:\napp:x:1000:\nnogroup:x:65534:\n");
    fs.chownSync(path.join(root, "home/app"), 1000, 1000);
    const tar = path.join(dir, "rootfs.tar");
    ok(await run(["tar", "--numeric-owner", "-C", root, "-cf", tar, "."]));
    fs.rmSync(root, { recursive: true, force: true });
    rootfsTar = tar;
    return tar;
}

/** `docker import` a busybox image as `tag` (CMD ["/bin/sh"]); returns the image id. No registry needed. */
export async function importBusyboxImage(client: DockerClient, tag: string): Promise<string> {
    const tar = await busyboxRootfsTar();
    const r = await client.exec(["import", "-c", 'CMD ["/bin/sh"]', "-m", "stride-guard busybox test image", tar, tag], { timeoutMs: 120_000 });
    return ok(r).trim();
}

/** Remove the rootfs tar cache (call from a root-level after hook if you like; the exit hook does it anyway). */
export function clearImageCache(): void {
    if (!rootfsTar) return;
    const dir = path.dirname(rootfsTar);
    removeDirSync(dir);
    unregister(`cache:rootfs:${dir}`);
    rootfsTar = undefined;
}
