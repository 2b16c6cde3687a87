/**
 * Host declarations: files a stack writes to machines over SSH with @pulumi/command
 * (`command:remote:Command` with content on stdin or in a heredoc, `command:remote:CopyToRemote`).
 * Stacks usually write daemon.json, audit rules, static Pod manifests and keys this way; the
 * hardened components in `stacks/` do it with `install -m MODE -o OWNER -g GROUP /dev/stdin PATH`.
 */
import { HostFile, HostModel } from "../model/host";
import type { StackResourceInput } from "../core/stack";
import { field, Invalid, str, UNKNOWN, V } from "../core/values";

export const REMOTE_COMMAND = "command:remote:Command";
export const COPY_TO_REMOTE = "command:remote:CopyToRemote";


interface Write {
    path: string;
    content: V<string>;
    mode: V<string>;
    owner: V<string>;
    group: V<string>;
    field: string;
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

const SEPARATORS = /\s*(?:&&|;|\n)\s*/;

/** Splits a shell script into simple commands, keeping heredoc bodies with their command. */
function commandsOf(script: string): { cmd: string; heredoc?: string }[] {
    const out: { cmd: string; heredoc?: string }[] = [];
    const lines = script.split("\n");
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        const hd = /<<-?\s*(['"]?)(\w+)\1/.exec(line);
        if (hd) {
            const body: string[] = [];
            let j = i + 1;
            for (; j < lines.length && lines[j].trim() !== hd[2]; j++) body.push(lines[j]);
            out.push({ cmd: line.replace(hd[0], "").trim(), heredoc: body.join("\n") + (body.length ? "\n" : "") });
            i = j;
            continue;
        }
        for (const part of line.split(SEPARATORS)) if (part.trim() !== "") out.push({ cmd: part.trim() });
    }
    return out;
}

function words(cmd: string): string[] {
    return (cmd.match(/'[^']*'|"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^(['"])(.*)\1$/, "$2"));
}

function stripSudo(ws: string[]): string[] {
    let i = 0;
    while (i < ws.length && (ws[i] === "sudo" || ws[i] === "-n" || ws[i] === "env")) i++;
    return ws.slice(i);
}

/** Reads the files a remote command writes, with modes and owners set by the same command. */
export function writesOfCommand(create: V<string>, stdin: V<string>): Write[] | typeof UNKNOWN {
    if (create === UNKNOWN) return UNKNOWN;
    if (typeof create !== "string") return [];
    const writes: Write[] = [];
    const byPath = (p: string): Write | undefined => {
        for (let i = writes.length - 1; i >= 0; i--) if (writes[i].path === p) return writes[i];
        return undefined;
    };
    for (const { cmd, heredoc } of commandsOf(create)) {
        const redirect = /(?:^|\s)(>>?)\s*(\S+)\s*$/.exec(cmd);
        const ws = stripSudo(words(redirect ? cmd.slice(0, redirect.index) : cmd));
        const body: V<string> = heredoc !== undefined ? heredoc : stdin;
        if (ws[0] === "install") {
            let mode: V<string>, owner: V<string>, group: V<string>;
            const rest: string[] = [];
            for (let i = 1; i < ws.length; i++) {
                const w = ws[i];
                if (w === "-m" || w === "--mode") mode = ws[++i];
                else if (w.startsWith("--mode=")) mode = w.slice(7);
                else if (w === "-o" || w === "--owner") owner = ws[++i];
                else if (w.startsWith("--owner=")) owner = w.slice(8);
                else if (w === "-g" || w === "--group") group = ws[++i];
                else if (w.startsWith("--group=")) group = w.slice(8);
                else if (w === "-d" || w === "--directory") rest.length = 0;
                else if (!w.startsWith("-")) rest.push(w);
            }
            if (rest.length >= 2) {
                const [src, dest] = [rest[rest.length - 2], rest[rest.length - 1]];
                const content = src === "/dev/stdin" || src === "-" ? body : undefined;
                writes.push({ path: dest, content, mode, owner, group, field: "create" });
            }
        } else if (ws[0] === "tee") {
            for (const p of ws.slice(1).filter((w) => !w.startsWith("-"))) {
                writes.push({ path: p, content: body, mode: undefined, owner: undefined, group: undefined, field: heredoc !== undefined ? "create" : "stdin" });
            }
        } else if (redirect && (ws[0] === "cat" || ws[0] === "echo" || ws[0] === "printf")) {
            const content: V<string> = ws[0] === "cat" && ws.length === 1 ? body : ws[0] === "cat" ? undefined : ws.slice(1).join(" ") + "\n";
            writes.push({ path: redirect[2], content, mode: undefined, owner: undefined, group: undefined, field: heredoc !== undefined || ws[0] !== "cat" ? "create" : "stdin" });
        } else if (ws[0] === "chmod") {
            const args = ws.slice(1).filter((w) => !w.startsWith("-"));
            for (const p of args.slice(1)) {
                const w = byPath(p);
                if (w) w.mode = args[0];
            }
        } else if (ws[0] === "chown") {
            const args = ws.slice(1).filter((w) => !w.startsWith("-"));
            const [owner, group] = (args[0] ?? "").split(/[:.]/);
            for (const p of args.slice(1)) {
                const w = byPath(p);
                if (w) {
                    w.owner = owner;
                    if (group !== undefined) w.group = group;
                }
            }
        }
    }
    return writes;
}

/** Groups every file write of the stack by machine. */
export function hostsOf(resources: readonly StackResourceInput[]): HostModel[] {
    const hosts = new Map<string, HostFile[]>();
    const add = (key: string, f: HostFile) => {
        const list = hosts.get(key);
        if (list) list.push(f);
        else hosts.set(key, [f]);
    };
    for (const r of resources) {
        if (r.type === REMOTE_COMMAND) {
            const writes = writesOfCommand(str(field(r.props, "create")), str(field(r.props, "stdin")));
            if (writes === UNKNOWN) continue;
            const host = hostKey(r);
            for (const w of writes) {
                add(host, { host, path: w.path, content: w.content, mode: w.mode, owner: w.owner, group: w.group, source: { urn: r.urn, name: r.name, field: w.field } });
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
    return [...hosts].map(([host, files]) => ({ host, files }));
}
