/**
 * Read-only access to a machine's files under a root directory (`/` for the running machine, or a mounted
 * image or test tree), as `scan host` needs it. Every path is resolved inside the root as if the root were
 * `/`: absolute symlink targets start again at the root and `..` stops there, so no link leads out of it.
 * Only regular files are read (never a FIFO, a device or a socket, which could block or never end), and
 * only up to a size bound. Nothing here writes, and nothing throws: each read says what it found.
 */
import * as fs from "fs";
import * as path from "path";

/** Larger configuration files are refused (daemon.json, units, manifests and rule files are a few KiB). */
export const MAX_HOST_FILE_BYTES = 1024 * 1024;
/** Entries read from one directory at most. */
export const MAX_DIR_ENTRIES = 4096;
const MAX_LINK_HOPS = 40;
const MAX_LINK_BYTES = 4096;

export interface Stat {
    /** The path inside the root after every symlink was resolved. */
    readonly real: string;
    readonly kind: "file" | "directory" | "other";
    /** Permission bits (mode & 0o7777). */
    readonly mode: number;
    readonly uid: number;
    readonly gid: number;
}

export type Found<T> = { readonly state: "absent" } | { readonly state: "error"; readonly why: string } | ({ readonly state: "ok" } & T);

export type ReadText = Found<Stat & { readonly text: string }>;

function errnoText(e: unknown): string {
    const code = (e as NodeJS.ErrnoException).code;
    switch (code) {
        case "EACCES":
        case "EPERM":
            return "permission denied";
        case "ELOOP":
            return "too many levels of symbolic links";
        case "ENOTDIR":
            return "a path component is not a directory";
        case "EISDIR":
            return "is a directory";
        default:
            return code ?? "unreadable";
    }
}

const isAbsent = (e: unknown) => (e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR";

export class HostFs {
    /** The root on this machine, absolute, without a trailing slash ("" for `/`). */
    private readonly base: string;

    constructor(readonly root: string) {
        const abs = path.resolve(root);
        this.base = abs === "/" ? "" : abs;
    }

    /** Where a path inside the root is on this machine. */
    onMachine(p: string): string {
        return this.base + (p.startsWith("/") ? p : `/${p}`);
    }

    /** Resolves every symlink of `p` (absolute, inside the root) without leaving the root. */
    resolve(p: string): Found<{ readonly real: string }> {
        const todo = p.split("/").filter((c) => c !== "" && c !== ".");
        todo.reverse(); // a stack: the next component is at the end
        const cur: string[] = [];
        let hops = 0;
        while (todo.length > 0) {
            const c = todo.pop() as string;
            if (c === "." || c === "") continue;
            if (c === "..") {
                cur.pop();
                continue;
            }
            const inside = `/${[...cur, c].join("/")}`;
            let st: fs.Stats;
            try {
                st = fs.lstatSync(this.onMachine(inside));
            } catch (e) {
                return isAbsent(e) ? { state: "absent" } : { state: "error", why: `${inside}: ${errnoText(e)}` };
            }
            if (!st.isSymbolicLink()) {
                cur.push(c);
                continue;
            }
            if (++hops > MAX_LINK_HOPS) return { state: "error", why: `${p}: too many levels of symbolic links` };
            let target: string;
            try {
                target = fs.readlinkSync(this.onMachine(inside));
            } catch (e) {
                return { state: "error", why: `${inside}: ${errnoText(e)}` };
            }
            if (target.length > MAX_LINK_BYTES) return { state: "error", why: `${inside}: a symbolic link target longer than ${MAX_LINK_BYTES} bytes` };
            // /proc/PID/exe of a replaced binary reads "/usr/sbin/dockerd (deleted)".
            if (target.startsWith("/")) cur.length = 0;
            const parts = target.split("/").filter((x) => x !== "" && x !== ".");
            for (let i = parts.length - 1; i >= 0; i--) todo.push(parts[i]);
        }
        return { state: "ok", real: `/${cur.join("/")}` };
    }

    /**
     * The path the kernel watches for an audit rule on `p`: its directory resolved (links included), its last
     * component not followed, as `auditctl -w` watches a name in a directory. `p` itself when the directory is not there.
     */
    watched(p: string): string {
        const i = p.lastIndexOf("/");
        if (i < 0 || p.length <= 1) return p;
        const dir = this.resolve(p.slice(0, i) || "/");
        if (dir.state !== "ok") return p;
        return `${dir.real === "/" ? "" : dir.real}/${p.slice(i + 1)}`;
    }

    /** lstat of the resolved path: what the path names, after its links. */
    stat(p: string): Found<Stat> {
        const r = this.resolve(p);
        if (r.state !== "ok") return r;
        try {
            const st = fs.lstatSync(this.onMachine(r.real));
            return { state: "ok", ...statOf(r.real, st) };
        } catch (e) {
            return isAbsent(e) ? { state: "absent" } : { state: "error", why: `${p}: ${errnoText(e)}` };
        }
    }

    /** The text of a regular file, at most `max` bytes (more is an error, never a silent cut). */
    readText(p: string, max = MAX_HOST_FILE_BYTES): ReadText {
        const r = this.resolve(p);
        if (r.state !== "ok") return r;
        let fd: number;
        try {
            // O_NOFOLLOW: the last component was resolved above and must not have become a link since;
            // O_NONBLOCK: a FIFO put there since cannot hang the open.
            fd = fs.openSync(this.onMachine(r.real), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
        } catch (e) {
            return isAbsent(e) ? { state: "absent" } : { state: "error", why: `${p}: cannot read: ${errnoText(e)}` };
        }
        try {
            const st = fs.fstatSync(fd);
            if (!st.isFile()) return { state: "error", why: `${p}: not a regular file` };
            // procfs files say size 0: the bound is on what is read, not on what stat says.
            const buf = Buffer.alloc(Math.min(max + 1, Math.max(st.size + 1, 64 * 1024)));
            let chunks: Buffer[] = [];
            let total = 0;
            for (;;) {
                const n = fs.readSync(fd, buf, 0, buf.length, null);
                if (n === 0) break;
                total += n;
                if (total > max) return { state: "error", why: `${p}: larger than ${Math.round(max / 1024)} KiB` };
                chunks.push(Buffer.from(buf.subarray(0, n)));
            }
            const text = Buffer.concat(chunks)
                .toString("utf8")
                .replace(/^\uFEFF/, "");
            chunks = [];
            return { state: "ok", ...statOf(r.real, st), text };
        } catch (e) {
            return { state: "error", why: `${p}: cannot read: ${errnoText(e)}` };
        } finally {
            fs.closeSync(fd);
        }
    }

    /** Names in a directory, sorted; absent when it is not there, an error past MAX_DIR_ENTRIES. */
    list(dir: string): Found<{ readonly names: readonly string[]; readonly real: string }> {
        const r = this.resolve(dir);
        if (r.state !== "ok") return r;
        let d: fs.Dir | undefined;
        try {
            d = fs.opendirSync(this.onMachine(r.real));
            const names: string[] = [];
            for (let e = d.readSync(); e !== null; e = d.readSync()) {
                if (names.length >= MAX_DIR_ENTRIES) return { state: "error", why: `${dir}: more than ${MAX_DIR_ENTRIES} entries` };
                names.push(e.name);
            }
            return { state: "ok", real: r.real, names: names.sort() };
        } catch (e) {
            return isAbsent(e) ? { state: "absent" } : { state: "error", why: `${dir}: cannot list: ${errnoText(e)}` };
        } finally {
            d?.closeSync();
        }
    }

    /** The target of one link, as written (for /proc/PID/exe); undefined when it is not a readable link. */
    readLink(p: string): string | undefined {
        // The directory is resolved inside the root first: a linked /proc in a tree must not lead to this machine's.
        const i = p.lastIndexOf("/");
        const dir = this.resolve(p.slice(0, i) || "/");
        if (dir.state !== "ok") return undefined;
        try {
            const t = fs.readlinkSync(this.onMachine(`${dir.real === "/" ? "" : dir.real}/${p.slice(i + 1)}`));
            return t.length > MAX_LINK_BYTES ? undefined : t;
        } catch {
            return undefined;
        }
    }
}

function statOf(real: string, st: fs.Stats): Stat {
    return {
        real,
        kind: st.isFile() ? "file" : st.isDirectory() ? "directory" : "other",
        mode: st.mode & 0o7777,
        uid: st.uid,
        gid: st.gid,
    };
}

/** `0o600` → "0600". */
export function modeText(mode: number): string {
    return mode.toString(8).padStart(4, "0");
}

/** uid/gid → name from the root's /etc/passwd and /etc/group (numbers when absent, as `ls -n` shows them). */
export interface Accounts {
    user(uid: number): string;
    group(gid: number): string;
}

export function accountsOf(fsys: HostFs): Accounts {
    const table = (file: string): Map<number, string> => {
        const m = new Map<number, string>();
        const r = fsys.readText(file);
        if (r.state !== "ok") return m;
        for (const line of r.text.split("\n")) {
            const f = line.split(":");
            const id = Number(f[2]);
            if (f.length >= 3 && /^[\w.-]{1,64}$/.test(f[0]) && /^\d{1,10}$/.test(f[2]) && !m.has(id)) m.set(id, f[0]);
        }
        return m;
    };
    const users = table("/etc/passwd");
    const groups = table("/etc/group");
    return { user: (uid) => users.get(uid) ?? String(uid), group: (gid) => groups.get(gid) ?? String(gid) };
}
