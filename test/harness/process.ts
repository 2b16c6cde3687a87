/**
 * Spawns a policy pack exactly as the Pulumi CLI's `pulumi-analyzer-policy` shim does:
 * `node <@pulumi/pulumi/cmd/run-policy-pack> <engine-address> .` with cwd = the pack folder, then reads the
 * port the pack prints as the first line of stdout.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";

export interface SpawnPackOptions {
    /** Extra environment for the pack (added on top of process.env). */
    env?: Record<string, string>;
    /** Give up if no port is printed within this time (default 20 s). */
    timeoutMs?: number;
}

export interface PackProcess {
    child: ChildProcess;
    port: number;
    /** Milliseconds from spawn until the port line was read. */
    startupMs: number;
    stdout(): string;
    stderr(): string;
    /** Resolves with the exit code (or signal name) once the process has exited. */
    exited: Promise<number | string | null>;
    kill(): Promise<void>;
}

export function runPolicyPackScript(): string {
    return require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
}

export function spawnPack(packDir: string, engineAddress: string, opts: SpawnPackOptions = {}): Promise<PackProcess> {
    const cwd = path.resolve(packDir);
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [runPolicyPackScript(), engineAddress, "."], {
        cwd,
        env: { ...process.env, ...(opts.env ?? {}) },
        stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout!.setEncoding("utf8");
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (d: string) => {
        err += d;
    });
    const exited = new Promise<number | string | null>((resolve) => {
        child.on("exit", (code, signal) => resolve(code ?? signal));
        child.on("error", () => resolve(null));
    });
    return new Promise<PackProcess>((resolve, reject) => {
        let settled = false;
        const fail = (why: string) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            child.kill("SIGKILL");
            reject(new Error(`policy pack at ${cwd} ${why}\n--- stderr ---\n${err}\n--- stdout ---\n${out}`));
        };
        const timer = setTimeout(() => fail(`did not print a port within ${opts.timeoutMs ?? 20000} ms`), opts.timeoutMs ?? 20000);
        child.on("error", (e) => fail(`failed to start: ${e.message}`));
        void exited.then((code) => fail(`exited (${String(code)}) before printing a port`));
        child.stdout!.on("data", (d: string) => {
            out += d;
            if (settled) return;
            const nl = out.indexOf("\n");
            if (nl < 0) return;
            const line = out.slice(0, nl).trim();
            const port = Number(line);
            if (!Number.isInteger(port) || port <= 0 || port > 65535) {
                fail(`printed an unexpected first line on stdout (not a port)`);
                return;
            }
            settled = true;
            clearTimeout(timer);
            const startupMs = Number(process.hrtime.bigint() - started) / 1e6;
            resolve({
                child,
                port,
                startupMs,
                stdout: () => out,
                stderr: () => err,
                exited,
                kill: async () => {
                    if (child.exitCode === null && child.signalCode === null) {
                        child.kill("SIGTERM");
                        const t = setTimeout(() => child.kill("SIGKILL"), 3000);
                        await exited;
                        clearTimeout(t);
                    }
                },
            });
        });
    });
}
