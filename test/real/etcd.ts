// A real etcd for tests, configured by the flags a stack renders (e.g. the
// kubeadm etcd static pod command line), with every address rewritten to
// 127.0.0.1 and free ports, the data dir moved to a temp dir (0700) and the
// certificate flags pointed at the given files. Schemes (http/https) and all
// other flags (--client-cert-auth, --peer-client-cert-auth, --auto-tls,
// --cipher-suites, ...) are kept as rendered, so the test sees the rendered
// security settings in force.
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { which } from "./available";
import { makeTempDir, register, removeDirSync, sweepStale, unregister } from "./cleanup";
import { CertKey } from "./pki";
import { cleanEnv, ExecResult, freePort, ok, pidAlive, run, sleep, spawnLogged, tail, within } from "./proc";

export interface EtcdCerts {
    /** CA that signed the server and client certs: used for --trusted-ca-file (and --peer-trusted-ca-file unless peerCa). */
    ca: string;
    /** Server cert/key for --cert-file/--key-file (and the peer flags unless peerCert/peerKey). */
    cert: string;
    key: string;
    peerCa?: string;
    peerCert?: string;
    peerKey?: string;
    /** Default client cert for etcdctl(..., { tls: "client" }). */
    client?: CertKey;
}

export interface StartEtcdOptions {
    /** Flags as rendered, `--name=value` or bare `--name` (boolean). `--name value` (two tokens) is not supported. */
    flags: string[];
    certs?: EtcdCerts;
    /** Applied after the rewrite: value sets (or adds) a flag, null removes it (e.g. a flag etcd 3.4 does not know). */
    overrides?: Record<string, string | null>;
    /** Readiness bound (default 30 s). */
    readyTimeoutMs?: number;
}

export type EtcdTlsMode = "none" | "ca-only" | "client";

export interface EtcdctlOptions {
    /** "none": plain http to the client port; "ca-only": https trusting the CA, no client cert; "client": https with a client cert. Default: "client" for an https listener when a client cert is known, else "ca-only"; "none" for http. */
    tls?: EtcdTlsMode;
    client?: CertKey;
    /** CA the client trusts (default certs.ca). */
    ca?: string;
    /** etcdctl --command-timeout (default "5s"); refused clients take this long to fail, as etcdctl retries. */
    commandTimeout?: string;
    timeoutMs?: number;
}

export interface Etcd {
    pid: number;
    /** e.g. https://127.0.0.1:40123 */
    clientUrl: string;
    peerUrl: string;
    metricsUrl?: string;
    dir: string;
    dataDir: string;
    /** The effective argv after rewriting (without the binary). */
    args: string[];
    logFile: string;
    startupMs: number;
    /** Run etcdctl (API v3) against clientUrl; never throws for a non-zero exit. */
    etcdctl(args: string[], opts?: EtcdctlOptions): Promise<ExecResult>;
    log(lines?: number): string;
    /** Current size of the log (a mark for logFrom). */
    logOffset(): number;
    /** Log text written since a mark, e.g. to read etcd's reason for rejecting a connection ("tls: client didn't provide a certificate"). */
    logFrom(offset: number): string;
    stop(): Promise<void>;
}

type FlagMap = Map<string, string | undefined>;

export function parseFlags(flags: string[]): FlagMap {
    const m: FlagMap = new Map();
    for (const f of flags) {
        const mm = /^--?([A-Za-z0-9][A-Za-z0-9-]*)(?:=(.*))?$/s.exec(f.trim());
        if (!mm) throw new Error(`startEtcd: cannot parse flag ${JSON.stringify(f)} (use --name=value)`);
        m.set(mm[1], mm[2]);
    }
    return m;
}

function scheme(v: string | undefined, fallback: "http" | "https"): "http" | "https" {
    const first = (v ?? "").split(",")[0].trim();
    if (/^https:/i.test(first)) return "https";
    if (/^http:/i.test(first)) return "http";
    return fallback;
}

function tcpOpen(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const s = net.connect({ host: "127.0.0.1", port, timeout: 500 });
        s.on("connect", () => {
            s.destroy();
            resolve(true);
        });
        s.on("timeout", () => {
            s.destroy();
            resolve(false);
        });
        s.on("error", () => resolve(false));
    });
}

let counter = 0;

export async function startEtcd(opts: StartEtcdOptions): Promise<Etcd> {
    const etcdBin = which("etcd");
    const etcdctlBin = which("etcdctl");
    if (!etcdBin || !etcdctlBin) throw new Error("etcd/etcdctl not found (apt-get install etcd-server etcd-client)");
    sweepStale();
    const dir = makeTempDir("etcd");
    fs.chmodSync(dir, 0o700);
    const dataDir = path.join(dir, "data");
    fs.mkdirSync(dataDir, { mode: 0o700 });
    fs.chmodSync(dataDir, 0o700);
    const key = register(`etcd:${path.basename(dir)}:${counter++}`, { dirs: [dir] });

    const f = parseFlags(opts.flags);
    const name = f.get("name") || "default";
    const [cport, pport, mport] = [await freePort(), await freePort(), await freePort()];
    const cs = scheme(f.get("listen-client-urls") ?? f.get("advertise-client-urls"), "http");
    const ps = scheme(f.get("listen-peer-urls") ?? f.get("initial-advertise-peer-urls"), "http");
    const clientUrl = `${cs}://127.0.0.1:${cport}`;
    const peerUrl = `${ps}://127.0.0.1:${pport}`;
    f.set("name", name);
    f.set("data-dir", dataDir);
    f.delete("wal-dir");
    f.set("listen-client-urls", clientUrl);
    f.set("advertise-client-urls", clientUrl);
    f.delete("listen-client-http-urls");
    f.set("listen-peer-urls", peerUrl);
    f.set("initial-advertise-peer-urls", peerUrl);
    f.set("initial-cluster", `${name}=${peerUrl}`);
    f.set("initial-cluster-state", "new");
    f.delete("discovery");
    f.delete("discovery-srv");
    let metricsUrl: string | undefined;
    if (f.has("listen-metrics-urls")) {
        metricsUrl = `${scheme(f.get("listen-metrics-urls"), "http")}://127.0.0.1:${mport}`;
        f.set("listen-metrics-urls", metricsUrl);
    }
    const c = opts.certs;
    const certFlag = (flag: string, value: string | undefined): void => {
        // An absent flag, or one rendered empty on purpose (an insecure config), stays as rendered.
        if (!f.has(flag) || f.get(flag) === "") return;
        if (!value) throw new Error(`startEtcd: flag --${flag} is rendered but no certs were given for it`);
        f.set(flag, value);
    };
    certFlag("cert-file", c?.cert);
    certFlag("key-file", c?.key);
    certFlag("trusted-ca-file", c?.ca);
    certFlag("peer-cert-file", c?.peerCert ?? c?.cert);
    certFlag("peer-key-file", c?.peerKey ?? c?.key);
    certFlag("peer-trusted-ca-file", c?.peerCa ?? c?.ca);
    for (const [k, v] of Object.entries(opts.overrides ?? {})) {
        if (v === null) f.delete(k);
        else f.set(k, v);
    }
    const args = [...f.entries()].map(([k, v]) => (v === undefined ? `--${k}` : `--${k}=${v}`));

    const logFile = path.join(dir, "etcd.log");
    const t0 = Date.now();
    const child = spawnLogged("setpriv", ["--pdeathsig", "KILL", "--", etcdBin, ...args], logFile, dir);
    const exitP = child.exit;
    const pid = child.pid;
    if (pid > 0) register(key, { pids: [pid] });
    fs.writeFileSync(path.join(dir, "pids"), String(pid));

    let stopped = false;
    const stop = async (): Promise<void> => {
        if (stopped) return;
        stopped = true;
        if (!child.exited() && pid > 0) {
            try {
                process.kill(pid, "SIGTERM");
            } catch {
                /* gone */
            }
            await within(exitP, 5000);
            if (pidAlive(pid)) {
                try {
                    process.kill(pid, "SIGKILL");
                } catch {
                    /* gone */
                }
                await within(exitP, 5000);
            }
        }
        removeDirSync(dir);
        unregister(key);
    };

    const timeout = opts.readyTimeoutMs ?? 30_000;
    for (;;) {
        if (child.exited()) {
            const log = tail(logFile, 40);
            await stop();
            throw new Error(`etcd ${child.exited()} before becoming ready; args: ${args.join(" ")}\nlog:\n${log}`);
        }
        let logText = "";
        try {
            logText = fs.readFileSync(logFile, "utf8");
        } catch {
            /* not yet */
        }
        if (/ready to serve client requests|serving client traffic/i.test(logText) && (await tcpOpen(cport))) break;
        if (Date.now() - t0 > timeout) {
            const log = tail(logFile, 40);
            await stop();
            throw new Error(`etcd not ready after ${timeout} ms; log:\n${log}`);
        }
        await sleep(50);
    }
    const startupMs = Date.now() - t0;

    const etcdctl = (cargs: string[], eo: EtcdctlOptions = {}): Promise<ExecResult> => {
        const client = eo.client ?? c?.client;
        const mode: EtcdTlsMode = eo.tls ?? (cs === "http" ? "none" : client ? "client" : "ca-only");
        const ca = eo.ca ?? c?.ca;
        const endpoint = mode === "none" ? clientUrl.replace(/^https:/, "http:") : clientUrl.replace(/^http:/, "https:");
        const tlsArgs: string[] = [];
        if (mode !== "none") {
            if (!ca) throw new Error("etcdctl over TLS needs a CA (certs.ca or opts.ca)");
            tlsArgs.push(`--cacert=${ca}`);
        }
        if (mode === "client") {
            if (!client) throw new Error('etcdctl tls "client" needs a client cert (certs.client or opts.client)');
            tlsArgs.push(`--cert=${client.cert}`, `--key=${client.key}`);
        }
        return run([etcdctlBin, `--endpoints=${endpoint}`, "--dial-timeout=3s", `--command-timeout=${eo.commandTimeout ?? "5s"}`, ...tlsArgs, ...cargs], {
            env: cleanEnv({ ETCDCTL_API: "3" }),
            timeoutMs: eo.timeoutMs ?? 30_000,
        });
    };

    return {
        pid,
        clientUrl,
        peerUrl,
        metricsUrl,
        dir,
        dataDir,
        args,
        logFile,
        startupMs,
        etcdctl,
        log: (lines = 40) => tail(logFile, lines),
        logOffset: () => {
            try {
                return fs.statSync(logFile).size;
            } catch {
                return 0;
            }
        },
        logFrom: (offset: number) => {
            try {
                return fs.readFileSync(logFile).subarray(offset).toString();
            } catch {
                return "";
            }
        },
        stop,
    };
}

/** Convenience: put then get a key, returning the value read back (throws on failure). */
export async function putGet(e: Etcd, k: string, v: string, opts?: EtcdctlOptions): Promise<string> {
    ok(await e.etcdctl(["put", k, v], opts));
    const out = ok(await e.etcdctl(["get", k, "--print-value-only"], opts));
    return out.trim();
}
