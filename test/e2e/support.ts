/**
 * The real Pulumi CLI for the end-to-end suite: `.toolchain/bin` (built by `npm run toolchain`) on PATH and
 * nothing else, a local file backend in a temp dir, a passphrase secrets provider, no update check, no plugin
 * downloads. Each project lives under the repository's `.stride-guard-tmp/` so that the program and the language
 * host find the repository's node_modules (@pulumi/pulumi, @pulumi/kubernetes) the way an installed project does.
 */
import * as fs from "fs";
import * as path from "path";
import { spawn } from "child_process";

export const REPO = ((): string => {
    for (let d = __dirname; d !== path.dirname(d); d = path.dirname(d)) if (fs.existsSync(path.join(d, "Pulumi.yaml"))) return d;
    throw new Error(`no Pulumi.yaml above ${__dirname}`);
})();
export const TOOLCHAIN_BIN = path.join(REPO, ".toolchain", "bin");
export const PACK_DIR = path.join(REPO, "policypack");

const NEEDED = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-kubernetes"];

/** Why the toolchain cannot be used, or undefined when it can. */
export function toolchainMissing(bins: string[] = NEEDED): string | undefined {
    const missing = bins.filter((b) => {
        try {
            fs.accessSync(path.join(TOOLCHAIN_BIN, b), fs.constants.X_OK);
            return false;
        } catch {
            return true;
        }
    });
    if (missing.length) return `.toolchain/bin lacks ${missing.join(", ")} (run npm run toolchain)`;
    if (!fs.existsSync(path.join(PACK_DIR, "bin", "index.js"))) return "policypack/bin/index.js is not built (run npx tsc -b)";
    return undefined;
}

export function underCi(): boolean {
    const v = (process.env.CI ?? "").trim().toLowerCase();
    return v !== "" && v !== "0" && v !== "false";
}

/** Skip (locally) or fail (under CI) when the toolchain is absent. Call with mocha's `this`. */
export function requireToolchain(ctx: Mocha.Context, bins?: string[]): void {
    const why = toolchainMissing(bins);
    if (!why) return;
    if (underCi()) throw new Error(`e2e: ${why}; CI is set, so this fails instead of skipping`);
    console.log(`      (skipped: ${why})`);
    ctx.skip();
}

export interface CliResult {
    code: number | null;
    stdout: string;
    stderr: string;
    /** stdout + stderr, for matching what a person sees. */
    all: string;
    ms: number;
}

export interface Project {
    dir: string;
    /** Run the real `pulumi` in the project dir; never throws for a non-zero exit. */
    pulumi(args: string[], opts?: { env?: Record<string, string>; timeoutMs?: number }): Promise<CliResult>;
    write(file: string, text: string): string;
    remove(): void;
}

let seq = 0;

/**
 * A Pulumi project in a fresh directory with its own file backend and PULUMI_HOME, and a stack `dev` selected.
 * `files` are written into it (index.js at least); Pulumi.yaml is written unless given. `env` is added to the CLI's
 * environment (which is otherwise only the settings above).
 */
export async function newProject(name: string, files: Record<string, string>, env: Record<string, string> = {}, wrap: string[] = []): Promise<Project> {
    const base = path.join(REPO, ".stride-guard-tmp", "e2e");
    fs.mkdirSync(base, { recursive: true });
    const dir = fs.mkdtempSync(path.join(base, `${name}-${process.pid}-${seq++}-`));
    const state = path.join(dir, ".state");
    const home = path.join(dir, ".pulumi-home");
    fs.mkdirSync(state);
    fs.mkdirSync(home);
    const write = (file: string, text: string): string => {
        const p = path.join(dir, file);
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, text);
        return p;
    };
    if (!files["Pulumi.yaml"]) write("Pulumi.yaml", `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n`);
    for (const [f, t] of Object.entries(files)) write(f, t);
    const baseEnv: Record<string, string> = {
        // Only the built toolchain and node: no ambient pulumi, no plugins from elsewhere.
        PATH: [TOOLCHAIN_BIN, path.dirname(process.execPath), "/usr/bin", "/bin"].join(":"),
        HOME: home,
        PULUMI_HOME: home,
        PULUMI_BACKEND_URL: `file://${state}`,
        PULUMI_CONFIG_PASSPHRASE: "stride-guard-e2e",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_SKIP_CONFIRMATIONS: "true",
        PULUMI_ENABLE_LEGACY_DIFF: "false",
        NO_COLOR: "1",
        ...env,
    };
    const pulumi = (args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> =>
        new Promise((resolve, reject) => {
            const t0 = Date.now();
            // `wrap` runs the CLI inside another command (nsenter into the control plane's network namespace).
            const argv = [...wrap, path.join(TOOLCHAIN_BIN, "pulumi"), ...args, "--non-interactive", "--color", "never"];
            const child = spawn(argv[0], argv.slice(1), {
                cwd: dir,
                env: { ...baseEnv, ...opts.env },
                stdio: ["ignore", "pipe", "pipe"],
            });
            let out = "";
            let err = "";
            child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
            child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
            const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 300_000);
            child.on("error", (e) => {
                clearTimeout(timer);
                reject(e);
            });
            child.on("close", (code) => {
                clearTimeout(timer);
                resolve({ code, stdout: out, stderr: err, all: out + err, ms: Date.now() - t0 });
            });
        });
    const init = await pulumi(["stack", "init", "dev"]);
    if (init.code !== 0) throw new Error(`pulumi stack init failed (${init.code}): ${init.all.trim()}`);
    return { dir, pulumi, write, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A kubeconfig for a cluster that is not there: a loopback port nothing listens on. The provider then previews
 * client-side (it cannot ask the API server for defaults), which is what a policy gate in CI sees.
 */
export function unreachableKubeconfig(dir: string): string {
    const p = path.join(dir, "kubeconfig-unreachable.yaml");
    fs.writeFileSync(
        p,
        [
            "apiVersion: v1",
            "kind: Config",
            "clusters: [{name: none, cluster: {server: 'https://127.0.0.1:1'}}]",
            "users: [{name: none, user: {token: unused}}]",
            "contexts: [{name: none, context: {cluster: none, user: none}}]",
            "current-context: none",
            "",
        ].join("\n"),
    );
    return p;
}

/** One policy violation as the CLI prints it under "Policies:". */
export interface CliViolation {
    level: string;
    policy: string;
    /** The resource as printed: `type: name`, empty for stack policies. */
    resource: string;
    text: string;
}

/**
 * Parses the CLI's "Policies:" section: lines `    - [mandatory]  policy-name  (type: name)` followed by the
 * description and message lines, indented further.
 */
export function parseViolations(output: string): CliViolation[] {
    const lines = output.split("\n");
    const out: CliViolation[] = [];
    let cur: CliViolation | undefined;
    let indent = 0;
    for (const line of lines) {
        const m = /^(\s*)- \[(mandatory|advisory|remediate|disabled)\]\s+(\S+)\s*(?:\((.*)\))?\s*$/.exec(line);
        if (m) {
            cur = { level: m[2], policy: m[3], resource: m[4] ?? "", text: "" };
            indent = m[1].length;
            out.push(cur);
            continue;
        }
        if (cur && line.trim() && line.length - line.trimStart().length > indent) cur.text += (cur.text ? "\n" : "") + line.trim();
        else cur = undefined;
    }
    return out;
}
