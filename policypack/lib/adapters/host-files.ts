/**
 * Host declarations: files a stack writes to machines over SSH with @pulumi/command
 * (`command:remote:Command` with content on stdin or in a heredoc, `command:remote:CopyToRemote`).
 * Stacks usually write daemon.json, audit rules, static Pod manifests and keys this way; the
 * hardened components in `stacks/` do it with `install -D -m MODE -o OWNER -g GROUP /dev/stdin PATH`.
 *
 * The `create` script is read with a small shell reader: quotes, backslash continuations, `&&` `||`
 * `;` lists, pipelines, `>`/`>>` redirects, heredocs (`<<EOF`, `<<-'EOF'`), `sudo`/`env` prefixes and
 * `sh -c '…'`. Writers understood: `install`, `tee`, `cat`/`echo`/`printf` with a redirect, `cp`/`mv`
 * of a file written earlier in the same script; `chmod`/`chown` update a file written earlier.
 */
import { HostFile, HostModel } from "../model/host";
import type { StackResourceInput } from "../contract/stack";
import { field, Invalid, str, UNKNOWN, V } from "../kernel/values";

export const REMOTE_COMMAND = "command:remote:Command";
export const COPY_TO_REMOTE = "command:remote:CopyToRemote";

interface Write {
    path: string;
    content: V<string>;
    mode: V<string>;
    owner: V<string>;
    group: V<string>;
    field: string;
    /** A directory made by `install -d` or `mkdir` (see HostModel.directories). */
    directory?: boolean;
}

/** Which machine a resource talks to: its connection host, or (unknown at preview) its parent component. */
function hostKey(r: StackResourceInput): string {
    const conn = field(r.props, "connection");
    const host = str(field(conn, "host"));
    if (typeof host === "string" && host !== "") {
        const port = field(conn, "port");
        return typeof port === "number" && port !== 22 ? `${host}:${port}` : host;
    }
    return r.parent ? `(host of ${r.parent})` : `(host of ${r.urn})`;
}

// ---- a small shell reader ---------------------------------------------------------------------

/** `dynamic`: the word holds a shell expansion (`$x`, `$(…)`, backticks), so its text is not what the shell uses. */
type Token = { readonly word: string; readonly dynamic: boolean } | { readonly op: string; heredoc?: string; fd?: string };

/** Splits a script into words and operators; heredoc bodies are attached to their `<<` operator. */
function lex(script: string): Token[] {
    const out: Token[] = [];
    const pending: { tok: { op: string; heredoc?: string }; delim: string; strip: boolean; literal: boolean }[] = [];
    let cur: string | null = null;
    let dynamic = false;
    let i = 0;
    const flush = () => {
        if (cur !== null) out.push({ word: cur, dynamic });
        cur = null;
        dynamic = false;
    };
    const readHeredocs = () => {
        for (const h of pending) {
            const body: string[] = [];
            while (i < script.length) {
                const nl = script.indexOf("\n", i);
                const line = script.slice(i, nl < 0 ? script.length : nl);
                i = nl < 0 ? script.length : nl + 1;
                const cmp = h.strip ? line.replace(/^\t+/, "") : line;
                if (cmp === h.delim) break;
                body.push(cmp);
            }
            const text = body.length ? body.join("\n") + "\n" : "";
            // An unquoted delimiter lets the shell expand the body: its text is then not the file's content.
            h.tok.heredoc = h.literal || !/\$[\w{(]|`/.test(text) ? text : undefined;
        }
        pending.length = 0;
    };
    while (i < script.length) {
        const c = script[i];
        if (c === "'") {
            const j = script.indexOf("'", i + 1);
            const end = j < 0 ? script.length : j;
            cur = (cur ?? "") + script.slice(i + 1, end);
            i = end + 1;
            continue;
        }
        if (c === '"') {
            let j = i + 1;
            let buf = "";
            while (j < script.length && script[j] !== '"') {
                if (script[j] === "\\" && j + 1 < script.length && '"\\$`\n'.includes(script[j + 1])) {
                    if (script[j + 1] !== "\n") buf += script[j + 1];
                    j += 2;
                } else {
                    if (script[j] === "$" || script[j] === "`") dynamic = true;
                    buf += script[j++];
                }
            }
            cur = (cur ?? "") + buf;
            i = j + 1;
            continue;
        }
        if (c === "\\") {
            if (script[i + 1] !== "\n" && i + 1 < script.length) cur = (cur ?? "") + script[i + 1];
            i += 2;
            continue;
        }
        if (c === "\n") {
            flush();
            out.push({ op: "\n" });
            i++;
            readHeredocs();
            continue;
        }
        if (c === " " || c === "\t" || c === "\r") {
            flush();
            i++;
            continue;
        }
        if (c === "#" && cur === null) {
            while (i < script.length && script[i] !== "\n") i++;
            continue;
        }
        const op = /^(?:&&|\|\||;|\||>>|>&|&>|>|<<-?|<|&)/.exec(script.slice(i, i + 3));
        if (op) {
            let fd: string | undefined;
            if (cur !== null && /^\d$/.test(cur) && op[0].startsWith(">")) {
                fd = cur;
                cur = null;
            }
            flush();
            i += op[0].length;
            if (op[0].startsWith("<<")) {
                while (script[i] === " " || script[i] === "\t") i++;
                const m = /^(['"]?)([\w.-]+)\1/.exec(script.slice(i));
                const tok: { op: string; heredoc?: string } = { op: "<<" };
                out.push(tok);
                if (m) {
                    pending.push({ tok, delim: m[2], strip: op[0] === "<<-", literal: m[1] !== "" });
                    i += m[0].length;
                }
                continue;
            }
            out.push(fd ? { op: op[0], fd } : { op: op[0] });
            continue;
        }
        if (c === "$" || c === "`") dynamic = true;
        cur = (cur ?? "") + c;
        i++;
    }
    flush();
    readHeredocs();
    return out;
}

interface Simple {
    readonly words: string[];
    /** Some word holds a shell expansion. */
    dynamic: boolean;
    /** `>`/`>>` targets of standard output. */
    readonly out: { path: string; append: boolean }[];
    /** Heredoc body or `<` file (undefined content) when stdin is redirected. */
    stdin?: { content: V<string> };
}

/** Groups tokens into lists of pipelines of simple commands. */
function pipelinesOf(tokens: readonly Token[]): Simple[][] {
    const lists: Simple[][] = [];
    let pipeline: Simple[] = [];
    let cmd: Simple = { words: [], out: [], dynamic: false };
    const endCmd = () => {
        if (cmd.words.length > 0) pipeline.push(cmd);
        cmd = { words: [], out: [], dynamic: false };
    };
    const endPipeline = () => {
        endCmd();
        if (pipeline.length > 0) lists.push(pipeline);
        pipeline = [];
    };
    for (let k = 0; k < tokens.length; k++) {
        const t = tokens[k];
        if ("word" in t) {
            cmd.words.push(t.word);
            if (t.dynamic) cmd.dynamic = true;
            continue;
        }
        switch (t.op) {
            case "|":
                endCmd();
                break;
            case ">":
            case "&>":
            case ">>": {
                const next = tokens[k + 1];
                if (next && "word" in next) {
                    k++;
                    if (t.fd === undefined || t.fd === "1") cmd.out.push({ path: next.word, append: t.op === ">>" });
                }
                break;
            }
            case ">&":
                if (tokens[k + 1] && "word" in tokens[k + 1]) k++;
                break;
            case "<": {
                if (tokens[k + 1] && "word" in tokens[k + 1]) k++;
                cmd.stdin = { content: undefined };
                break;
            }
            case "<<":
                cmd.stdin = { content: t.heredoc };
                break;
            default: // && || ; newline
                endPipeline();
        }
    }
    endPipeline();
    return lists;
}

const SUDO_ARG_FLAGS = new Set(["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U"]);

/** Drops `sudo [opts]`, `env [VAR=x]`, `exec`, `command`, `nohup` prefixes. */
function stripPrefixes(ws: readonly string[]): string[] {
    let i = 0;
    for (;;) {
        const w = ws[i];
        if (w === "sudo") {
            i++;
            while (i < ws.length && ws[i].startsWith("-")) i += SUDO_ARG_FLAGS.has(ws[i]) ? 2 : 1;
        } else if (w === "env") {
            i++;
            while (i < ws.length && (ws[i].startsWith("-") || /^\w+=/.test(ws[i]))) i++;
        } else if (w === "exec" || w === "command" || w === "nohup") i++;
        else if (w !== undefined && /^\w+=/.test(w)) i++;
        else break;
    }
    return ws.slice(i);
}

function unescapePrintf(s: string): string {
    return s.replace(/\\n/g, "\n").replace(/\\t/g, "\t").replace(/\\\\/g, "\\");
}

/** What a command prints, when it can be known (cat of stdin, echo, printf). */
function outputOf(ws: readonly string[], input: V<string>): V<string> {
    const [cmd, ...args] = ws;
    if (cmd === "cat") return args.filter((a) => a !== "-").length === 0 ? input : undefined;
    if (cmd === "echo") {
        let n = false;
        let k = 0;
        for (; k < args.length && /^-[neE]+$/.test(args[k]); k++) if (args[k].includes("n")) n = true;
        return args.slice(k).join(" ") + (n ? "" : "\n");
    }
    if (cmd === "printf" && args.length > 0) {
        const fmt = args[0];
        if (args.length === 1 && !fmt.includes("%")) return unescapePrintf(fmt);
        if (/^%s(\\n)?$/.test(fmt)) return args.slice(1).join("") + (fmt.endsWith("\\n") ? "\n" : "");
    }
    return undefined;
}

function optionArgs(ws: readonly string[], withValue: ReadonlySet<string>): { opts: Map<string, string>; rest: string[]; flags: Set<string> } {
    const opts = new Map<string, string>();
    const flags = new Set<string>();
    const rest: string[] = [];
    for (let i = 1; i < ws.length; i++) {
        const w = ws[i];
        const eq = /^(--[\w-]+)=(.*)$/.exec(w);
        if (eq) opts.set(eq[1], eq[2]);
        else if (withValue.has(w)) opts.set(w, ws[++i] ?? "");
        else if (/^-[a-zA-Z]+$/.test(w) || w.startsWith("--")) {
            // Short flags may be bundled (`-Dm 0644`); the last one may take a value.
            if (w.length > 2 && !w.startsWith("--")) {
                for (const ch of w.slice(1, -1)) flags.add(`-${ch}`);
                const last = `-${w[w.length - 1]}`;
                if (withValue.has(last)) opts.set(last, ws[++i] ?? "");
                else flags.add(last);
            } else flags.add(w);
        } else rest.push(w);
    }
    return { opts, rest, flags };
}

const INSTALL_VALUES = new Set(["-m", "--mode", "-o", "--owner", "-g", "--group", "-t", "--target-directory", "-S", "--suffix"]);
const TEE_VALUES = new Set<string>();
const CP_VALUES = new Set(["-t", "--target-directory", "-S", "--suffix"]);
const MKDIR_VALUES = new Set(["-m", "--mode"]);

/** `/var/lib/etcd/` → `/var/lib/etcd`, so that a later chmod/chown of the same directory finds it. */
const dirPath = (p: string) => p.replace(/(.)\/+$/, "$1");

/** Reads the files a remote command writes, with modes and owners set by the same command. */
export function writesOfCommand(create: V<string>, stdin: V<string>): Write[] | typeof UNKNOWN {
    const all = allWritesOf(create, stdin);
    return all === UNKNOWN ? all : all.filter((w) => !w.directory);
}

/** Files and directories (`install -d`, `mkdir`) a remote command makes. */
function allWritesOf(create: V<string>, stdin: V<string>): Write[] | typeof UNKNOWN {
    if (create === UNKNOWN) return UNKNOWN;
    if (typeof create !== "string") return [];
    const writes: Write[] = [];
    run(create, stdin, writes, 0);
    return writes;
}

function byPath(writes: readonly Write[], p: string): Write | undefined {
    for (let i = writes.length - 1; i >= 0; i--) if (writes[i].path === p) return writes[i];
    return undefined;
}

function run(script: string, stdin: V<string>, writes: Write[], depth: number): void {
    const stdinField = depth === 0 ? "stdin" : "create";
    const write = (path: string, content: V<string>, from: string, append = false, mode?: V<string>, owner?: V<string>, group?: V<string>) => {
        if (append) {
            const prev = byPath(writes, path);
            if (prev) {
                prev.content =
                    typeof prev.content === "string" && typeof content === "string"
                        ? prev.content + content
                        : prev.content === UNKNOWN || content === UNKNOWN
                          ? UNKNOWN
                          : undefined;
                return;
            }
        }
        writes.push({ path, content, mode, owner, group, field: from });
    };
    for (const pipeline of pipelinesOf(lex(script))) {
        let input: V<string> = stdin;
        let inputField = stdinField;
        for (const cmd of pipeline) {
            if (cmd.stdin) {
                input = cmd.stdin.content;
                inputField = "create";
            }
            const ws = stripPrefixes(cmd.words);
            const name = ws[0];
            let output: V<string> = undefined;
            let outputField = "create";
            if ((name === "sh" || name === "bash" || name === "dash") && ws[1] === "-c" && ws[2] !== undefined && depth < 3) {
                run(ws[2], input, writes, depth + 1);
            } else if (name === "install") {
                const { opts, rest, flags } = optionArgs(ws, INSTALL_VALUES);
                const mode = opts.get("-m") ?? opts.get("--mode");
                const owner = opts.get("-o") ?? opts.get("--owner");
                const group = opts.get("-g") ?? opts.get("--group");
                if (flags.has("-d") || flags.has("--directory")) {
                    for (const p of rest) writes.push({ path: dirPath(p), content: undefined, mode, owner, group, field: "create", directory: true });
                } else {
                    const target = opts.get("-t") ?? opts.get("--target-directory");
                    const sources = target !== undefined ? rest : rest.slice(0, -1);
                    const dests = target !== undefined ? rest.map((s) => `${target.replace(/\/$/, "")}/${s.split("/").pop()}`) : rest.slice(-1);
                    if (sources.length >= 1 && dests.length >= 1) {
                        sources.forEach((src, k) => {
                            const dest = dests[target !== undefined ? k : 0];
                            const fromStdin = src === "/dev/stdin" || src === "-";
                            const content = fromStdin ? input : byPath(writes, src)?.content;
                            write(dest, content, fromStdin ? inputField : "create", false, mode, owner, group);
                        });
                    }
                }
            } else if (name === "tee") {
                const { rest, flags } = optionArgs(ws, TEE_VALUES);
                const append = flags.has("-a") || flags.has("--append");
                for (const p of rest) write(p, input, inputField, append);
                output = input;
                outputField = inputField;
            } else if (name === "cp" || name === "mv") {
                const { opts, rest } = optionArgs(ws, CP_VALUES);
                const target = opts.get("-t") ?? opts.get("--target-directory");
                const sources = target !== undefined ? rest : rest.slice(0, -1);
                for (const src of sources) {
                    const prev = byPath(writes, src);
                    const dest = target !== undefined ? `${target.replace(/\/$/, "")}/${src.split("/").pop()}` : rest[rest.length - 1];
                    if (prev && dest) write(dest, prev.content, prev.field, false, prev.mode, prev.owner, prev.group);
                }
            } else if (name === "mkdir") {
                const { opts, rest } = optionArgs(ws, MKDIR_VALUES);
                const mode = opts.get("-m") ?? opts.get("--mode");
                for (const p of rest)
                    writes.push({ path: dirPath(p), content: undefined, mode, owner: undefined, group: undefined, field: "create", directory: true });
            } else if (name === "chmod") {
                const args = ws.slice(1).filter((w) => !w.startsWith("-"));
                for (const p of args.slice(1)) {
                    const w = byPath(writes, p);
                    if (w) w.mode = args[0];
                }
            } else if (name === "chown") {
                const args = ws.slice(1).filter((w) => !w.startsWith("-"));
                const [owner, group] = (args[0] ?? "").split(/[:.]/);
                for (const p of args.slice(1)) {
                    const w = byPath(writes, p);
                    if (w) {
                        w.owner = owner;
                        if (group !== undefined && group !== "") w.group = group;
                    }
                }
            } else if (name !== undefined) {
                output = cmd.dynamic ? undefined : outputOf(ws, input);
                outputField = name === "cat" ? inputField : "create";
            }
            for (const o of cmd.out) {
                if (o.path === "/dev/null" || o.path.startsWith("&")) continue;
                write(o.path, output, outputField, o.append);
            }
            input = output;
            inputField = outputField;
        }
    }
}

/** Groups every file write of the stack by machine; directories made on a machine the stack writes files to are kept beside them. */
export function hostsOf(resources: readonly StackResourceInput[]): HostModel[] {
    const hosts = new Map<string, HostFile[]>();
    const dirs = new Map<string, HostFile[]>();
    const add = (key: string, f: HostFile, to = hosts) => {
        const list = to.get(key);
        if (list) list.push(f);
        else to.set(key, [f]);
    };
    for (const r of resources) {
        if (r.type === REMOTE_COMMAND) {
            const writes = allWritesOf(str(field(r.props, "create")), str(field(r.props, "stdin")));
            if (writes === UNKNOWN) continue;
            const host = hostKey(r);
            for (const w of writes) {
                add(
                    host,
                    {
                        host,
                        path: w.path,
                        content: w.content,
                        mode: w.mode,
                        owner: w.owner,
                        group: w.group,
                        source: { urn: r.urn, name: r.name, field: w.field },
                    },
                    w.directory ? dirs : hosts,
                );
            }
        } else if (r.type === COPY_TO_REMOTE) {
            const path = str(field(r.props, "remotePath"));
            if (typeof path !== "string") continue;
            const src = field(r.props, "source");
            const content: V<string> = typeof src === "string" || src === UNKNOWN || src instanceof Invalid ? (src as V<string>) : undefined;
            const host = hostKey(r);
            add(host, { host, path, content, mode: undefined, owner: undefined, group: undefined, source: { urn: r.urn, name: r.name, field: "source" } });
        }
    }
    return [...hosts].map(([host, files]) => (dirs.has(host) ? { host, files, directories: dirs.get(host) } : { host, files }));
}
