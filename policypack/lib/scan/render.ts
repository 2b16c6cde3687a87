/**
 * Rendering for `scan k8s`: a directory holding a `kustomization.yaml` is built with `kubectl kustomize DIR`,
 * a Helm chart directory (`Chart.yaml`) with `helm template`. The programs are found on PATH; a missing one
 * is reported for that input, never silently skipped (the CLI exits 2).
 *
 * The programs run bounded (time, stdout and stderr size; the whole process group is killed at the limit),
 * with an empty HOME of their own, and without network access: in a new network namespace when `unshare`
 * can make one, and in any case behind an unreachable proxy with git limited to local repositories, so a
 * kustomize remote base (`github.com/…?ref=…`, `https://…`) fails instead of being fetched. What they print
 * on stderr reaches the user only through `printable()`.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { printable } from "../core/text";

export type Renderer = "kustomize" | "helm";

export interface RenderOptions {
    /** Where programs are looked up (PATH) and what else they inherit; default process.env. */
    readonly env?: NodeJS.ProcessEnv;
    /** Per program run; default 60 s. */
    readonly timeoutMs?: number;
    /** Largest rendered output accepted; default 64 MiB. */
    readonly maxOutputBytes?: number;
    /** Network isolation: "auto" (a network namespace when possible, else the proxy and git settings alone) or "env-only". */
    readonly isolation?: "auto" | "env-only";
}

export interface Rendered {
    /** The directory as given. */
    readonly dir: string;
    readonly renderer: Renderer;
    /** The file that made the directory a kustomization or a chart (findings point at it). */
    readonly entry: string;
    readonly text?: string;
    /** Why it was not rendered: one line, safe to print. */
    readonly error?: string;
}

const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];
const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;
const MAX_STDERR = 64 * 1024;

function isFile(p: string): boolean {
    try {
        return fs.statSync(p).isFile();
    } catch {
        return false;
    }
}

/** What renders a directory: its kustomization file or Chart.yaml, or undefined for a plain directory of manifests. */
export function rendererOf(dir: string): { renderer: Renderer; entry: string } | undefined {
    for (const f of KUSTOMIZATION_FILES) if (isFile(path.join(dir, f))) return { renderer: "kustomize", entry: path.join(dir, f) };
    if (isFile(path.join(dir, "Chart.yaml"))) return { renderer: "helm", entry: path.join(dir, "Chart.yaml") };
    return undefined;
}

/** The first executable regular file named `name` in the PATH of `env`. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
    for (const dir of (env.PATH ?? "").split(path.delimiter)) {
        if (dir === "" || !path.isAbsolute(dir)) continue; // a relative PATH entry would run whatever the scanned tree holds
        const p = path.join(dir, name);
        try {
            if (fs.statSync(p).isFile()) {
                fs.accessSync(p, fs.constants.X_OK);
                return p;
            }
        } catch {
            // not here
        }
    }
    return undefined;
}

let netnsPrefix: string[] | null | undefined;

/** `unshare` arguments that give a child an empty network namespace, or null when this system allows none. */
function networkNamespace(env: NodeJS.ProcessEnv): string[] | null {
    if (netnsPrefix !== undefined) return netnsPrefix;
    netnsPrefix = null;
    const unshare = findOnPath("unshare", env) ?? (isFile("/usr/bin/unshare") ? "/usr/bin/unshare" : undefined);
    if (unshare) {
        // As root a network namespace alone; otherwise inside a user namespace, where the kernel allows one.
        for (const args of [["--net"], ["--user", "--map-root-user", "--net"]]) {
            const r = spawnSync(unshare, [...args, "--", "true"], { stdio: "ignore", timeout: 5_000 });
            if (r.status === 0) {
                netnsPrefix = [unshare, ...args, "--"];
                break;
            }
        }
    }
    return netnsPrefix;
}

/** The environment of a rendering program: PATH, an empty HOME, no proxy that works, git only for local repositories. */
function childEnv(env: NodeJS.ProcessEnv, home: string): NodeJS.ProcessEnv {
    const blackhole = "http://127.0.0.1:9"; // discard port: connections are refused
    return {
        PATH: env.PATH ?? "",
        HOME: home,
        LANG: "C",
        KUBECONFIG: path.join(home, "kubeconfig"),
        HELM_CACHE_HOME: path.join(home, "cache"),
        HELM_CONFIG_HOME: path.join(home, "config"),
        HELM_DATA_HOME: path.join(home, "data"),
        HTTP_PROXY: blackhole,
        HTTPS_PROXY: blackhole,
        http_proxy: blackhole,
        https_proxy: blackhole,
        ALL_PROXY: blackhole,
        NO_PROXY: "",
        no_proxy: "",
        GIT_ALLOW_PROTOCOL: "file",
        GIT_TERMINAL_PROMPT: "0",
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_SSH_COMMAND: "false",
    };
}

interface RunResult {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
    readonly failure?: string;
}

/** Runs a program bounded in time and output; never rejects. */
function run(argv: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number, maxOut: number): Promise<RunResult> {
    return new Promise((resolve) => {
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let outSize = 0;
        let errSize = 0;
        let failure: string | undefined;
        let settled = false;
        const child = spawn(argv[0], argv.slice(1), { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
        const kill = (why: string): void => {
            failure ??= why;
            // The child leads its own process group (detached): end it and whatever it started (git, plugins).
            try {
                if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
            } catch {
                // already gone
            }
            // A descendant that left the group could hold the pipes open: stop waiting for them.
            setTimeout(() => {
                child.stdout.destroy();
                child.stderr.destroy();
                done(null);
            }, 2_000).unref();
        };
        const timer = setTimeout(() => kill(`did not finish within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`), timeoutMs);
        child.stdout.on("data", (b: Buffer) => {
            outSize += b.length;
            if (outSize > maxOut) kill(`printed more than ${Math.round(maxOut / 1024 / 1024)} MiB`);
            else out.push(b);
        });
        child.stderr.on("data", (b: Buffer) => {
            if (errSize < MAX_STDERR) err.push(b.subarray(0, MAX_STDERR - errSize));
            errSize += b.length;
        });
        const done = (code: number | null, spawnError?: string): void => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), failure: failure ?? spawnError });
        };
        child.on("error", (e: NodeJS.ErrnoException) => done(null, `could not be started (${e.code ?? "error"})`));
        child.on("close", (code) => done(code));
    });
}

/**
 * A program's stderr as one printable line: kubectl's klog framing (`E1202 18:17:35.1 4526 run.go:72] "command
 * failed" err=< … >`) and runs of white space removed, at most 400 characters.
 */
export function reason(stderr: string): string {
    const s = printable(stderr, { max: 4000 })
        .replace(/^[IWEF]\d{4} [\d:.]+\s+\d+ [\w.-]+:\d+\] "command failed" err=<\s*/, "")
        .replace(/\s+>\s*$/, "")
        .replace(/\s+/g, " ")
        .trim();
    return s === "" ? "no message" : printable(s, { max: 400 });
}

/** Renders one kustomization or chart directory. */
export async function render(dir: string, found: { renderer: Renderer; entry: string }, opts: RenderOptions = {}): Promise<Rendered> {
    const env = opts.env ?? process.env;
    const shown = printable(dir, { max: 300 });
    const program = found.renderer === "kustomize" ? "kubectl" : "helm";
    const what = found.renderer === "kustomize" ? "kustomization" : "chart";
    const exe = findOnPath(program, env);
    if (!exe) return { dir, ...found, error: `${program} not found on PATH: ${what} ${shown} not rendered` };
    const abs = path.resolve(dir);
    const args =
        found.renderer === "kustomize"
            ? [exe, "kustomize", abs]
            : // No --dependency-update (it would download); no --validate (it would call a cluster).
              [exe, "template", "stride-guard-scan", abs, "--namespace", "default"];
    const netns = opts.isolation === "env-only" ? null : networkNamespace(env);
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "stride-guard-render-"));
    try {
        const r = await run([...(netns ?? []), ...args], childEnv(env, home), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT);
        const cmd = found.renderer === "kustomize" ? "kubectl kustomize" : "helm template";
        if (r.failure) return { dir, ...found, error: `${cmd} ${shown}: ${r.failure}; not rendered` };
        if (r.code !== 0) return { dir, ...found, error: `${cmd} ${shown} failed (exit ${r.code ?? "signal"}): ${reason(r.stderr)}` };
        return { dir, ...found, text: r.stdout };
    } finally {
        fs.rmSync(home, { recursive: true, force: true });
    }
}
