/**
 * `scan host`: the controls that judge the machines of a stack (daemon.json and dockerd flags, audit rules,
 * static Pod manifests, kubelet configuration, control-plane file modes and owners) over a real machine's
 * files, read-only under a root directory. The files become the same host and stack models a stack's
 * declarations become, and the same stack controls judge them, with the same ids and messages.
 *
 * Nothing is executed, except `auditctl -l` when asked (it lists the kernel's rules; it never loads any).
 * Every file is hostile: bounded, regular files only, symlinks resolved without leaving the root, names
 * made printable. What files cannot show is said in the report's target, not guessed.
 */
import { execFile } from "child_process";
import * as os from "os";
import { Control } from "../core/control";
import { evaluateStack, Settings } from "../core/evaluate";
import { CommonSettings } from "../core/settings";
import { buildStackModel, StackModel } from "../core/stack";
import { printable } from "../core/text";
import { controlPlaneOf } from "../adapters/kubernetes/control-plane";
import { DAEMON_JSON, DockerdCommand, dockerdOption, dockerHostOf, DaemonJsonRead } from "../adapters/host/docker-host";
import { dropInOrder, effectiveUnit, EXEC_SEARCH_PATH, execWords, parseEnvironmentFile, UNIT_DIRS, UnitText } from "../adapters/host/systemd";
import { DOCKER_AUDIT_TARGETS } from "../controls/docker/docker-daemon-auditing";
import { parseAuditRules } from "../audit/rules";
import { DockerHostModel } from "../model/docker-daemon";
import { HostFile, HostModel } from "../model/host";
import { findingOf, Report, ReportFinding } from "../check/report";
import { PolicyConfigEntry } from "../config/reconcile";
import { defaultsOf, settingsFrom } from "../pack";
import { Accounts, accountsOf, HostFs, modeText, Stat } from "./host-fs";

export interface HostScanInput {
    /** The machine's root directory; default `/`. */
    readonly root?: string;
    /** Judge only these dockerd processes (pids as /proc under the root names them). */
    readonly pids?: readonly number[];
    /** Run `auditctl -l` and judge the kernel's loaded rules (root `/` only). */
    readonly auditctl?: boolean;
    /** Runs `auditctl -l` (tests replace it); default: the real program, bounded in time and output. */
    readonly runAuditctl?: () => Promise<{ ok: true; text: string } | { ok: false; why: string }>;
}

export interface HostScanOptions {
    readonly controls: readonly Control[];
    readonly config?: Readonly<Record<string, PolicyConfigEntry>>;
}

const MAX_PROCESSES = 100_000;
const MAX_CMDLINE = 128 * 1024;
const MAX_REFERENCED_FILES = 64;

const P = (s: string) => printable(s, { max: 300 });

/** One process: its argument vector and (for daemons) where its binary is. */
interface Proc {
    readonly pid: number;
    readonly argv: readonly string[];
}

class Reader {
    readonly fs: HostFs;
    readonly accounts: Accounts;
    readonly errors: string[] = [];
    readonly notes: string[] = [];
    readonly files: HostFile[] = [];
    readonly directories: HostFile[] = [];
    readonly resources = new Map<string, ReportFinding["resource"]>();
    private readonly seen = new Map<string, HostFile | null>();

    constructor(
        readonly root: string,
        readonly host: string,
    ) {
        this.fs = new HostFs(root);
        this.accounts = accountsOf(this.fs);
    }

    urnOf(kind: string, name: string): string {
        return `urn:stride-guard:host::${this.host}::host:${kind}::${name}`;
    }

    private record(p: string, st: Stat, content: string | undefined, directory = false): HostFile {
        const urn = this.urnOf(directory ? "directory" : "file", p);
        this.resources.set(urn, { urn, type: directory ? "host:directory" : "host:file", name: p, file: this.fs.onMachine(p) });
        const f: HostFile = {
            host: this.host,
            path: p,
            content,
            mode: modeText(st.mode),
            owner: this.accounts.user(st.uid),
            group: this.accounts.group(st.gid),
            source: { urn, name: p, field: content === undefined ? "lstat" : "content" },
            observed: true,
        };
        return f;
    }

    /**
     * Reads a file into the host model (`content`: its text too, else mode and owner only). Absent files are
     * undefined; unreadable ones are errors of the scan.
     */
    file(p: string, content: boolean): HostFile | undefined {
        const key = `${content ? "c" : "s"} ${p}`;
        if (this.seen.has(key)) return this.seen.get(key) ?? undefined;
        if (printable(p) !== p) {
            // Named by a file's content (EnvironmentFile=, a flag): a name a terminal cannot show is not followed.
            this.errors.push(`${P(p)}: a path with control characters, not read`);
            this.seen.set(key, null);
            return undefined;
        }
        let f: HostFile | undefined;
        if (content) {
            const r = this.fs.readText(p);
            if (r.state === "error") this.errors.push(P(r.why));
            else if (r.state === "ok") f = this.record(p, r, r.text);
        } else {
            const r = this.fs.stat(p);
            if (r.state === "error") this.errors.push(P(r.why));
            else if (r.state === "ok") {
                if (r.kind === "file") f = this.record(p, r, undefined);
                else this.errors.push(P(`${p}: not a regular file`));
            }
        }
        this.seen.set(key, f ?? null);
        if (f) this.files.push(f);
        return f;
    }

    directory(p: string): HostFile | undefined {
        const r = this.fs.stat(p);
        if (r.state === "error") this.errors.push(P(r.why));
        if (r.state !== "ok") return undefined;
        if (r.kind !== "directory") {
            this.errors.push(P(`${p}: not a directory`));
            return undefined;
        }
        const d = this.record(p, r, undefined, true);
        this.directories.push(d);
        return d;
    }

    /** Names in a directory (empty when absent; an error when unreadable, or for a name a terminal cannot show). */
    list(dir: string): readonly string[] {
        const r = this.fs.list(dir);
        if (r.state === "error") this.errors.push(P(r.why));
        if (r.state !== "ok") return [];
        const bad = r.names.filter((n) => printable(n) !== n);
        if (bad.length > 0) this.errors.push(`${P(dir)}: ${bad.length} file name${bad.length === 1 ? "" : "s"} with control characters, not read`);
        return bad.length > 0 ? r.names.filter((n) => printable(n) === n) : r.names;
    }

    exists(p: string): boolean {
        return this.fs.stat(p).state === "ok";
    }

    /** The real path of a file inside the root, or undefined when it is not there. */
    real(p: string): string | undefined {
        const r = this.fs.stat(p);
        return r.state === "ok" && r.kind === "file" ? r.real : undefined;
    }

    /** `which`: the real path of a program named without a path, searched where systemd searches. */
    which(program: string): string | undefined {
        if (program.startsWith("/")) return this.real(program);
        for (const dir of EXEC_SEARCH_PATH) {
            const r = this.real(`${dir}/${program}`);
            if (r) return r;
        }
        return undefined;
    }
}

// ---- processes ---------------------------------------------------------------------------------

type Processes = { readonly known: false } | { readonly known: true; readonly list: readonly Proc[] };

/** Every process's argument vector from /proc under the root; unknown when there is no /proc there. */
function processes(r: Reader): Processes {
    const names = r.fs.list("/proc");
    if (names.state !== "ok") return { known: false };
    const list: Proc[] = [];
    for (const name of names.names) {
        if (!/^\d{1,10}$/.test(name)) continue;
        if (list.length >= MAX_PROCESSES) break;
        const c = r.fs.readText(`/proc/${name}/cmdline`, MAX_CMDLINE);
        // A process that ended since the listing, or a kernel thread (empty cmdline), has nothing to say.
        if (c.state !== "ok" || c.text === "") continue;
        const argv = c.text.replace(/\0$/, "").split("\0");
        list.push({ pid: Number(name), argv });
    }
    return { known: true, list };
}

const programName = (argv0: string) => argv0.slice(argv0.lastIndexOf("/") + 1);

/** The real path of a process's binary: /proc/PID/exe resolved inside the root. */
function exeOf(r: Reader, pid: number): string | undefined {
    const link = r.fs.readLink(`/proc/${pid}/exe`);
    if (link === undefined) return undefined;
    return r.real(link.replace(/ \(deleted\)$/, ""));
}

// ---- systemd -----------------------------------------------------------------------------------

interface Unit {
    /** The unit file's real path, when it exists. */
    readonly real?: string;
    readonly path?: string;
    readonly texts: readonly UnitText[];
    /** Environment from `Environment=` and the `EnvironmentFile=`s, in systemd's order. */
    readonly env: ReadonlyMap<string, string>;
    readonly execStart?: { readonly line: string; readonly file: string };
    readonly envFiles: readonly string[];
}

/** Reads a unit, its drop-ins and its environment files, adding each to the host model. */
function unit(r: Reader, name: string, modelContent: boolean): Unit | undefined {
    let main: string | undefined;
    for (const dir of UNIT_DIRS) {
        if (r.exists(`${dir}/${name}`)) {
            main = `${dir}/${name}`;
            break;
        }
    }
    const dropIns = dropInOrder(UNIT_DIRS.flatMap((dir) => r.list(`${dir}/${name}.d`).map((n) => ({ dir, name: `${name}.d/${n}` }))));
    if (main === undefined && dropIns.length === 0) return undefined;
    const texts: UnitText[] = [];
    for (const p of [...(main ? [main] : []), ...dropIns]) {
        const t = r.fs.readText(p);
        if (t.state === "error") r.errors.push(P(t.why));
        if (t.state === "ok") {
            texts.push({ path: p, text: t.text });
            if (modelContent) r.file(p, true);
            else r.file(p, false);
        }
    }
    const eff = effectiveUnit(texts);
    const env = new Map<string, string>();
    for (const [k, v] of eff.environment) env.set(k, v);
    const envFiles: string[] = [];
    for (const ef of eff.environmentFiles) {
        const t = r.fs.readText(ef.path);
        if (t.state === "error") r.errors.push(P(t.why));
        else if (t.state === "absent") {
            if (!ef.optional) r.notes.push(P(`${ef.file} needs EnvironmentFile ${ef.path}, which does not exist (systemd would not start the unit)`));
        } else {
            envFiles.push(P(ef.path));
            r.file(ef.path, false);
            for (const [k, v] of parseEnvironmentFile(t.text)) env.set(k, v);
        }
    }
    return { real: main ? r.real(main) : undefined, path: main, texts, env, ...(eff.execStart ? { execStart: eff.execStart } : {}), envFiles };
}

// ---- Docker ------------------------------------------------------------------------------------

function dockerHosts(r: Reader, procs: Processes, input: HostScanInput, auditctl: { source: string; text: string } | undefined): DockerHostModel[] {
    const service = unit(r, "docker.service", true);
    const socket = unit(r, "docker.socket", true);
    const containerdUnit = unit(r, "containerd.service", true);
    const all = procs.known ? procs.list : [];
    let dockerds = all.filter((p) => programName(p.argv[0] ?? "") === "dockerd");
    if (input.pids && input.pids.length > 0) {
        const want = new Set(input.pids);
        for (const pid of want) if (!dockerds.some((p) => p.pid === pid)) r.errors.push(`no dockerd runs with pid ${pid} (under ${r.root}/proc)`);
        dockerds = dockerds.filter((p) => want.has(p.pid));
    }
    const dockerdBinary = r.which("dockerd");
    const installed = dockerds.length > 0 || service !== undefined || r.exists("/etc/docker") || dockerdBinary !== undefined;
    if (!installed) {
        r.notes.push("no Docker daemon: dockerd neither runs nor is installed");
        return [];
    }
    const defaults = r.file("/etc/default/docker", false);
    const sysconfig = r.file("/etc/sysconfig/docker", false);
    const containerdConfig = r.file("/etc/containerd/config.toml", false);

    // Audit rules: every file auditd would load, and the kernel's list when asked.
    const ruleFiles: HostFile[] = [];
    for (const n of r.list("/etc/audit/rules.d")) if (n.endsWith(".rules")) ruleFiles.push(...opt(r.file(`/etc/audit/rules.d/${n}`, true)));
    ruleFiles.push(...opt(r.file("/etc/audit/audit.rules", true)));
    // Where each rule's path is on this machine: `-w /lib/systemd/system/docker.service` watches the same file as
    // /usr/lib/… where /lib links to usr/lib, but `-w /usr/bin/runc` watches the link, not the binary it names.
    const watchPaths = new Map<string, string>();
    for (const text of auditctl ? [auditctl.text] : ruleFiles.map((f) => (typeof f.content === "string" ? f.content : ""))) {
        for (const w of parseAuditRules(text).watches) if (!watchPaths.has(w.path)) watchPaths.set(w.path, r.fs.watched(w.path));
    }
    const auditds = all.filter((p) => programName(p.argv[0] ?? "") === "auditd");
    let auditNote: string | undefined;
    let auditdStopped: string | undefined;
    if (auditctl) auditNote = `judged by the rules the kernel holds (${auditctl.source})`;
    else if (!procs.known)
        auditNote = `rules read from files; whether auditd runs and loaded them cannot be told without ${r.root === "/" ? "" : `${r.root}`}/proc`;
    else if (auditds.length === 0) {
        auditdStopped = "auditd is not running (no auditd process in /proc)";
        auditNote = `and ${auditdStopped}, so no rule records anything`;
    } else auditNote = "rules read from files; whether auditd loaded them is shown by `auditctl -l` (--auditctl)";

    // containerd: the running binary, else the one its unit starts, else the one on the search path.
    const containerdProc = all.find((p) => programName(p.argv[0] ?? "") === "containerd");
    const containerdExec = containerdUnit?.execStart ? execWords(containerdUnit.execStart.line, containerdUnit.env)[0] : undefined;
    const containerdBin =
        (containerdProc && exeOf(r, containerdProc.pid)) ??
        (containerdExec !== undefined && programName(containerdExec) === "containerd" ? r.which(containerdExec) : undefined) ??
        r.which("containerd");
    const shim = r.which("containerd-shim-runc-v2");
    const runc = r.which("runc");
    const existing = (p: string) => (r.exists(p) ? [p] : []);

    const hosts: DockerHostModel[] = [];
    const judge = (
        command: DockerdCommand | undefined,
        binary: string | undefined,
        label: string,
        anchor: { urn: string; name: string },
        pid: number | undefined,
    ) => {
        const named = command ? dockerdOption(command.words, "--config-file") : undefined;
        const configPath = named ?? DAEMON_JSON;
        const jf = r.fs.readText(configPath);
        let read: DaemonJsonRead;
        if (jf.state === "ok") {
            read = { state: "ok", text: jf.text };
            r.file(configPath, true);
        } else if (jf.state === "error") {
            read = { state: "error", why: P(jf.why) };
            r.errors.push(P(jf.why));
        } else read = jf;
        const realConfig = jf.state === "ok" ? jf.real : undefined;
        // The data root dockerd uses (`--data-root`, daemon.json "data-root"), where CIS names the default.
        const dataRoot =
            (command ? dockerdOption(command.words, "--data-root") : undefined) ?? (jf.state === "ok" ? dataRootOf(jf.text) : undefined) ?? "/var/lib/docker";
        const dataRootStat = r.fs.stat(dataRoot);
        const realDataRoot = dataRootStat.state === "ok" ? dataRootStat.real : dataRoot;
        const auditPaths = new Map<string, readonly string[]>([
            ["1.1.3", binary ? [binary] : []],
            ["1.1.4", ["/run/containerd"]],
            ["1.1.5", [realDataRoot]],
            ["1.1.6", ["/etc/docker"]],
            ["1.1.7", service?.real ? [service.real] : []],
            ["1.1.8", ["/run/containerd/containerd.sock"]],
            ["1.1.9", socket?.real ? [socket.real] : []],
            ["1.1.10", defaults ? [defaults.path] : []],
            ["1.1.11", realConfig ? [realConfig] : []],
            ["1.1.12", containerdConfig ? [containerdConfig.path] : []],
            ["1.1.13", sysconfig ? [sysconfig.path] : []],
            ["1.1.14", containerdBin ? [containerdBin] : []],
            ["1.1.15", opt(r.which("containerd-shim"))],
            ["1.1.16", opt(r.which("containerd-shim-runc-v1"))],
            ["1.1.17", shim ? [shim] : []],
            ["1.1.18", runc ? [runc] : []],
        ]);
        for (const t of DOCKER_AUDIT_TARGETS) if (!auditPaths.has(t.cis)) auditPaths.set(t.cis, t.paths.flatMap(existing));
        hosts.push(
            dockerHostOf({
                host: label,
                command,
                configFile: { path: configPath, explicit: named !== undefined, read },
                files: [...r.files],
                anchor,
                audit: {
                    dataRoot: { path: realDataRoot, mount: mountOf(r, realDataRoot, pid) },
                    auditPaths,
                    watchPaths,
                    ...(auditctl ? { loadedRules: auditctl } : {}),
                    ...(auditNote ? { auditNote } : {}),
                    ...(auditdStopped ? { auditdStopped } : {}),
                },
            }),
        );
    };
    for (const d of dockerds) {
        const urn = r.urnOf("process", `dockerd[${d.pid}]`);
        r.resources.set(urn, { urn, type: "host:process", name: `dockerd (pid ${d.pid})` });
        const label = dockerds.length > 1 || (input.pids?.length ?? 0) > 0 ? `${r.host} (dockerd pid ${d.pid})` : r.host;
        const command = { words: d.argv.map((w) => P(w)), where: `dockerd command line (pid ${d.pid})`, running: true };
        judge(command, exeOf(r, d.pid), label, { urn, name: `dockerd (pid ${d.pid})` }, d.pid);
    }
    if (dockerds.length === 0 && (input.pids?.length ?? 0) === 0) {
        const exec = service?.execStart;
        const words = exec ? execWords(exec.line, service?.env ?? new Map()) : undefined;
        const program = words?.[0];
        const isDockerd = program !== undefined && programName(program) === "dockerd";
        const command: DockerdCommand | undefined =
            words && isDockerd
                ? {
                      words,
                      where: `ExecStart of ${exec?.file}${service && service.envFiles.length > 0 ? ` (with ${service.envFiles.join(", ")})` : ""}`,
                      running: false,
                  }
                : undefined;
        r.notes.push(
            procs.known
                ? `dockerd is not running: its settings are read from ${command ? command.where : "the files alone"}`
                : `no /proc under ${r.root}: dockerd's settings are read from ${command ? command.where : "the files alone"}`,
        );
        const binary = isDockerd ? r.which(program) : dockerdBinary;
        const anchorFile = service?.path ? r.file(service.path, true) : (r.files.find((f) => f.path.startsWith("/etc/docker/")) ?? undefined);
        const urn = anchorFile?.source.urn ?? r.urnOf("directory", "/etc/docker");
        if (!r.resources.has(urn)) r.resources.set(urn, { urn, type: "host:directory", name: "/etc/docker" });
        judge(command, binary, r.host, { urn, name: anchorFile?.path ?? "/etc/docker" }, undefined);
    }
    return hosts;
}

const opt = <T>(v: T | undefined): T[] => (v === undefined ? [] : [v]);

type Mount = NonNullable<NonNullable<DockerHostModel["observed"]>["dataRoot"]>["mount"];

/** `\040` in mountinfo is a space (the kernel escapes space, tab, newline and backslash in octal). */
const unescapeMount = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/**
 * Whether `path` holds a filesystem of its own in the mount table of dockerd's mount namespace (/proc/PID/mountinfo),
 * or of the scanning process when dockerd does not run and the root is this machine's. A mount point alone is not
 * enough: dockerd bind-mounts its data root onto itself, so the mount must be of another device than its parent's.
 */
function mountOf(r: Reader, path: string, pid: number | undefined): Mount {
    const file = pid !== undefined ? `/proc/${pid}/mountinfo` : r.root === "/" ? "/proc/self/mountinfo" : undefined;
    if (file === undefined) return { state: "unknown", why: `dockerd is not running, so no mount table of its under ${r.root} shows it` };
    const t = r.fs.readText(file, 4 * 1024 * 1024);
    if (t.state !== "ok") return { state: "unknown", why: t.state === "absent" ? `${file} is not there` : P(t.why) };
    let own: string | undefined;
    let parent: { mp: string; dev: string } | undefined;
    for (const line of t.text.split("\n")) {
        const f = line.split(" ");
        if (f.length < 5) continue;
        const mp = unescapeMount(f[4]);
        // Later lines mount over earlier ones at the same point.
        if (mp === path) own = f[2];
        else if ((mp === "/" || path.startsWith(`${mp}/`)) && (parent === undefined || mp.length >= parent.mp.length)) parent = { mp, dev: f[2] };
    }
    if (own !== undefined && (parent === undefined || own !== parent.dev)) return { state: "own", source: file };
    return { state: "shared", on: P(parent?.mp ?? "/"), source: `${file}${own !== undefined ? `: a mount of the same device ${P(own)}` : ""}` };
}

/** daemon.json's "data-root", when the file is a JSON object that sets it to a string. */
function dataRootOf(text: string): string | undefined {
    try {
        const doc: unknown = JSON.parse(text);
        if (doc !== null && typeof doc === "object" && Object.prototype.hasOwnProperty.call(doc, "data-root")) {
            const v = (doc as Record<string, unknown>)["data-root"];
            return typeof v === "string" && v.startsWith("/") ? v : undefined;
        }
    } catch {
        // parseDaemonJson reports the file.
    }
    return undefined;
}

// ---- Kubernetes node ---------------------------------------------------------------------------

const KUBECONFIGS = ["admin.conf", "super-admin.conf", "scheduler.conf", "controller-manager.conf", "kubelet.conf"];

function kubernetesFiles(r: Reader): void {
    for (const n of r.list("/etc/kubernetes/manifests")) if (/\.(ya?ml|json)$/i.test(n)) r.file(`/etc/kubernetes/manifests/${n}`, true);
    // Kubeconfigs and keys hold credentials: only their modes and owners are read.
    for (const n of KUBECONFIGS) r.file(`/etc/kubernetes/${n}`, false);
    r.file("/var/lib/kube-proxy/kubeconfig.conf", false);
    const pki = (dir: string, depth: number) => {
        for (const n of r.list(dir)) {
            const p = `${dir}/${n}`;
            if (/\.(key|crt)$/.test(n)) r.file(p, false);
            else if (depth < 2 && r.fs.stat(p).state === "ok" && (r.fs.stat(p) as Stat).kind === "directory") pki(p, depth + 1);
        }
    };
    pki("/etc/kubernetes/pki", 0);
    r.file("/var/lib/kubelet/config.yaml", true);
    const kubelet = unit(r, "kubelet.service", false);
    if (kubelet?.execStart) {
        // The control-plane adapter reads one unit: the file that carries the effective ExecStart, with the
        // environment systemd gives it applied (an unset variable is empty, as systemd makes it).
        const words = execWords(kubelet.execStart.line, kubelet.env).map((w) => (/^[^\s"'\\$]+$/.test(w) ? w : JSON.stringify(w)));
        const content = ["[Service]", `ExecStart=${words.join(" ")}`, ""].join("\n");
        const i = r.files.findIndex((f) => f.path === kubelet.execStart?.file);
        if (i >= 0) r.files[i] = { ...r.files[i], content };
    }
}

/** Files the components name by flag (audit policy, encryption configuration, kubelet config) and etcd data directories. */
function referencedFiles(r: Reader, model: StackModel["controlPlane"]): boolean {
    let added = false;
    let budget = MAX_REFERENCED_FILES;
    for (const c of model.components) {
        for (const [name, list] of c.settings) {
            const v = list[list.length - 1]?.value;
            if (typeof v !== "string" || !v.startsWith("/")) continue;
            if (c.kind === "etcd" && name === "data-dir") {
                if (!r.directories.some((d) => d.path === v.replace(/\/+$/, "")) && budget-- > 0) {
                    r.directory(v.replace(/\/+$/, "") || "/");
                }
                continue;
            }
            if (!/\.(ya?ml|json)$/i.test(v) || r.files.some((f) => f.path === v) || budget-- <= 0) continue;
            if (r.file(v, true)) added = true;
        }
    }
    return added;
}

// ---- the scan ----------------------------------------------------------------------------------

/** `auditctl -l`, bounded: 10 s, 1 MiB of output. */
export function runAuditctl(): Promise<{ ok: true; text: string } | { ok: false; why: string }> {
    return new Promise((resolve) => {
        execFile("auditctl", ["-l"], { timeout: 10_000, maxBuffer: 1024 * 1024, env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" } }, (err, stdout) => {
            if (err) {
                const code = (err as NodeJS.ErrnoException).code;
                resolve({
                    ok: false,
                    why: code === "ENOENT" ? "auditctl is not installed" : `auditctl -l failed (${typeof code === "string" ? code : `exit ${String(code)}`})`,
                });
            } else resolve({ ok: true, text: stdout });
        });
    });
}

export async function scanHost(input: HostScanInput, opts: HostScanOptions): Promise<Report> {
    const root = input.root ?? "/";
    const label = root === "/" ? P(os.hostname()) : P(root);
    const r = new Reader(root, label);
    const top = r.fs.stat("/");
    if (top.state !== "ok" || top.kind !== "directory") {
        return { target: `host ${label}`, controls: 0, resources: 0, findings: [], errors: [`${P(root)}: not a readable directory`] };
    }
    let auditctl: { source: string; text: string } | undefined;
    if (input.auditctl) {
        const out = await (input.runAuditctl ?? runAuditctl)();
        if (out.ok) auditctl = { source: "auditctl -l", text: out.text };
        else r.errors.push(out.why);
    }
    const procs = processes(r);
    kubernetesFiles(r);
    const docker = dockerHosts(r, procs, input, auditctl);
    const hostModel = (): HostModel => ({ host: label, files: r.files, directories: r.directories });
    let controlPlane = controlPlaneOf([], [hostModel()]);
    if (referencedFiles(r, controlPlane) || r.directories.length > 0) controlPlane = controlPlaneOf([], [hostModel()]);
    const stack: StackModel = {
        ...buildStackModel([]),
        hosts: [hostModel()],
        controlPlane,
        dockerHosts: docker,
        dockerLogConfigs: [],
        dockerProviders: [],
    };
    const findings: ReportFinding[] = [];
    let count = 0;
    for (const c of opts.controls) {
        if (c.scope !== "stack") continue;
        const entry = opts.config?.[c.id];
        const level = entry?.enforcementLevel ?? c.enforcementLevel;
        if (level === "disabled") continue;
        count++;
        const settings = settingsFrom(defaultsOf(c), entry?.properties) as Settings<CommonSettings>;
        const out = evaluateStack(c, stack, settings);
        for (const v of out.violations) {
            const res = r.resources.get(v.urn) ?? { urn: v.urn, type: "", name: "" };
            findings.push(findingOf(c, level === "advisory" ? "advisory" : "mandatory", res, v.message, v.unknown));
        }
        for (let i = 0; i < out.unknownPaths.length; i++) {
            const res = r.resources.get(out.unknownUrns?.[i] ?? "") ?? { urn: "", type: "", name: "" };
            findings.push(findingOf(c, "advisory", res, `cannot be decided from the files: ${out.unknownPaths[i]}.`, true));
        }
    }
    const daemons = docker.length === 0 ? "no Docker daemon" : docker.length === 1 ? "1 Docker daemon" : `${docker.length} Docker daemons`;
    const components = controlPlane.components.length;
    const summary = [`${r.files.length} files`, daemons, `${components} Kubernetes component${components === 1 ? "" : "s"}`, ...r.notes];
    return { target: `host ${label} (${summary.join("; ")})`, controls: count, resources: r.files.length + r.directories.length, findings, errors: r.errors };
}
