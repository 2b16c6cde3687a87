// Small process helpers shared by the real-daemon helpers.
import * as fs from "fs";
import * as net from "net";
import { spawn } from "child_process";

export interface ExecResult {
    /** Exit code, or null when killed by a signal (e.g. the timeout). */
    code: number | null;
    signal: string | null;
    stdout: string;
    stderr: string;
    /** The argv that ran (for error messages). */
    argv: string[];
    timedOut: boolean;
}

export interface RunOptions {
    input?: string | Buffer;
    timeoutMs?: number;
    env?: NodeJS.ProcessEnv;
    cwd?: string;
}

/** Run a command to completion, bounded by timeoutMs (default 60 s; SIGKILL on expiry). Never throws for a non-zero exit. */
export function run(argv: string[], opts: RunOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(argv[0], argv.slice(1), { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ["pipe", "pipe", "pipe"] });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let timedOut = false;
        const timer = setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
        }, opts.timeoutMs ?? 60_000);
        child.stdout.on("data", (b: Buffer) => out.push(b));
        child.stderr.on("data", (b: Buffer) => err.push(b));
        child.on("error", (e) => {
            clearTimeout(timer);
            reject(new Error(`cannot run ${argv[0]}: ${e.message}`));
        });
        child.on("close", (code, signal) => {
            clearTimeout(timer);
            resolve({ code, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), argv, timedOut });
        });
        child.stdin.on("error", () => {
            /* EPIPE when the command does not read its input */
        });
        if (opts.input !== undefined) child.stdin.end(opts.input);
        else child.stdin.end();
    });
}

/** Throw with the command's output unless it exited 0; returns stdout. */
export function ok(r: ExecResult): string {
    if (r.code !== 0) {
        throw new Error(`command failed (${r.timedOut ? "timed out" : (r.code ?? r.signal)}): ${r.argv.join(" ")}\n${r.stderr.trim() || r.stdout.trim()}`);
    }
    return r.stdout;
}

export function sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
}

/** Wait for p, at most ms (the timer is cleared, so it does not keep the process alive). True if p settled in time. */
export async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const t = new Promise<boolean>((r) => {
        timer = setTimeout(() => r(false), ms);
    });
    try {
        return await Promise.race([
            p.then(
                () => true,
                () => true,
            ),
            t,
        ]);
    } finally {
        clearTimeout(timer);
    }
}

/** Alive and not a zombie. */
export function pidAlive(pid: number): boolean {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
        return state !== "Z" && state !== "X";
    } catch {
        return false;
    }
}

/** All descendants of pid (depth first), read from /proc/PID/task/TID/children. */
export function descendants(pid: number): number[] {
    const out: number[] = [];
    const walk = (p: number): void => {
        let tids: string[];
        try {
            tids = fs.readdirSync(`/proc/${p}/task`);
        } catch {
            return;
        }
        for (const t of tids) {
            let kids: string[];
            try {
                kids = fs.readFileSync(`/proc/${p}/task/${t}/children`, "utf8").split(/\s+/).filter(Boolean);
            } catch {
                continue;
            }
            for (const k of kids) {
                const n = Number(k);
                if (!out.includes(n)) {
                    out.push(n);
                    walk(n);
                }
            }
        }
    };
    walk(pid);
    return out;
}

export function comm(pid: number): string | undefined {
    try {
        return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    } catch {
        return undefined;
    }
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const addr = srv.address();
            const port = typeof addr === "object" && addr ? addr.port : 0;
            srv.close(() => resolve(port));
        });
    });
}

/** Last n lines of a file ("" if unreadable). */
export function tail(file: string, n = 30): string {
    try {
        const lines = fs.readFileSync(file, "utf8").split("\n");
        return lines.slice(-n - 1).join("\n");
    } catch {
        return "";
    }
}

/** Copy of the environment without variables that would redirect the docker / etcd clients or servers. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (/^(DOCKER_|ETCD_|ETCDCTL_)/.test(k)) continue;
        env[k] = v;
    }
    const sbin = ["/usr/local/sbin", "/usr/sbin", "/sbin"];
    const pathDirs = (env.PATH ?? "/usr/local/bin:/usr/bin:/bin").split(":");
    for (const d of sbin) if (!pathDirs.includes(d)) pathDirs.push(d);
    env.PATH = pathDirs.join(":");
    return { ...env, ...extra };
}

/** A detached child whose output goes to a log file, with its exit observed: `exited()` says why once it has. */
export interface LoggedChild {
    readonly pid: number;
    /** Resolves when the process has exited (or failed to spawn). */
    readonly exit: Promise<void>;
    exited(): string | undefined;
}

export function spawnLogged(command: string, args: readonly string[], logFile: string, cwd: string): LoggedChild {
    const logFd = fs.openSync(logFile, "a");
    const child = spawn(command, [...args], { stdio: ["ignore", logFd, logFd], detached: true, env: cleanEnv(), cwd });
    fs.closeSync(logFd);
    child.unref();
    let why: string | undefined;
    const exit = new Promise<void>((resolve) => {
        child.on("exit", (code, sig) => {
            why = `exited with ${code ?? sig}`;
            resolve();
        });
        child.on("error", (e) => {
            why = `failed to spawn: ${e.message}`;
            resolve();
        });
    });
    return { pid: child.pid ?? -1, exit, exited: () => why };
}
