/**
 * Inputs of `scan`: files, directories (walked recursively for the given extensions) and `-` for stdin.
 * Never throws: an unreadable input becomes an error that names it, and the other inputs are still read.
 *
 * Only regular files are read (a FIFO would block forever, /dev/zero never ends), and no more than
 * MAX_SOURCE_BYTES of anything, counted while reading: a reported size can be 0 (/proc) or grow meanwhile.
 */
import * as fs from "fs";
import * as path from "path";

export interface SourceText {
    /** The path as given (or found under a given directory); `STDIN` for `-`. */
    readonly name: string;
    readonly text: string;
}

export interface Sources {
    readonly texts: readonly SourceText[];
    readonly errors: readonly string[];
    /** Directories a walk skipped without reading (dot-directories such as .git, and node_modules), for the summary. */
    readonly skippedDirs: number;
}

export const STDIN = "(stdin)";

/**
 * Larger inputs are refused rather than risking the process's time and memory: the YAML parser reads about
 * 1 MB a second of dense YAML on a busy machine (see MAX_TOKENS in ./yaml for the bound on parsing itself).
 */
export const MAX_SOURCE_BYTES = 16 * 1024 * 1024;

/** An input that is not readable text; the message says why, without quoting it. */
export class SourceError extends Error {}

const tooLarge = () => new SourceError(`larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MiB`);

/**
 * Text of a file's bytes: UTF-8 (a byte-order mark is dropped), or UTF-16 with a byte-order mark (what
 * PowerShell's `>` writes). Anything else holding NUL bytes is not YAML or JSON, and is refused with a reason
 * rather than read as nonsense ("not a Kubernetes object").
 */
export function decodeText(b: Buffer): string {
    if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.toString("utf8", 3);
    if (b.length >= 4 && ((b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) || (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff))) {
        throw new SourceError("UTF-32 text is not supported: convert it to UTF-8");
    }
    if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return b.toString("utf16le", 2, b.length - (b.length % 2));
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
        const swapped = Buffer.from(b.subarray(2, b.length - (b.length % 2)));
        return swapped.swap16().toString("utf16le");
    }
    if (b.includes(0)) throw new SourceError("holds NUL bytes, so it is not UTF-8 text (UTF-16 without a byte-order mark?)");
    return b.toString("utf8");
}

/** Reads all of a stream (stdin), counting bytes as they arrive: more than MAX_SOURCE_BYTES is refused. */
export function readStream(stream: NodeJS.ReadableStream): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let done = false;
        stream.on("data", (c: Buffer | string) => {
            if (done) return;
            const b = typeof c === "string" ? Buffer.from(c) : c;
            size += b.length;
            if (size > MAX_SOURCE_BYTES) {
                done = true;
                chunks.length = 0;
                stream.removeAllListeners("data");
                stream.pause();
                reject(tooLarge());
                return;
            }
            chunks.push(b);
        });
        stream.on("end", () => {
            if (done) return;
            done = true;
            try {
                resolve(decodeText(Buffer.concat(chunks)));
            } catch (e) {
                reject(e);
            }
        });
        stream.on("error", (e) => {
            done = true;
            reject(e);
        });
    });
}

const CHUNK = 1024 * 1024;

/** All of a regular file, read until its end or MAX_SOURCE_BYTES + 1 bytes, whatever size it reports. */
function readRegularFile(file: string): Buffer {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
    const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    try {
        const st = fs.fstatSync(fd);
        if (st.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
        if (!st.isFile()) throw new SourceError(`not a regular file (${fileKind(st)})`);
        const chunks: Buffer[] = [];
        let size = 0;
        for (;;) {
            const buf = Buffer.allocUnsafe(Math.min(CHUNK, MAX_SOURCE_BYTES + 1 - size));
            const n = fs.readSync(fd, buf, 0, buf.length, null);
            if (n === 0) break;
            chunks.push(n === buf.length ? buf : buf.subarray(0, n));
            size += n;
            if (size > MAX_SOURCE_BYTES) throw tooLarge();
        }
        return Buffer.concat(chunks, size);
    } finally {
        fs.closeSync(fd);
    }
}

function fileKind(st: fs.Stats): string {
    if (st.isFIFO()) return "a FIFO";
    if (st.isCharacterDevice()) return "a character device";
    if (st.isBlockDevice()) return "a block device";
    if (st.isSocket()) return "a socket";
    return "not a file";
}

function errnoText(e: unknown): string {
    const code = (e as NodeJS.ErrnoException).code;
    switch (code) {
        case "ENOENT":
            return "no such file or directory";
        case "EACCES":
        case "EPERM":
            return "permission denied";
        case "EISDIR":
            return "is a directory";
        case "ELOOP":
            return "too many levels of symbolic links";
        case "ENXIO":
            return "not a regular file (a socket or a device without a reader)";
        default:
            return code ?? (e instanceof Error ? e.message : "unreadable");
    }
}

/** The text of a regular file, bounded and decoded as `scan` reads it; throws SourceError or the system's error. */
export function readTextFile(file: string): string {
    return decodeText(readRegularFile(file));
}

/** Why a file could not be read, in a few words. */
export function unreadable(e: unknown): string {
    return e instanceof SourceError ? e.message : errnoText(e);
}

function readFile(file: string, errors: string[]): string | undefined {
    try {
        return decodeText(readRegularFile(file));
    } catch (e) {
        errors.push(`${file}: cannot read: ${e instanceof SourceError ? e.message : errnoText(e)}`);
        return undefined;
    }
}

/** Files under `dir` whose name ends with one of `exts`, sorted, skipping dot-directories and symlink loops. */
function walk(dir: string, exts: readonly string[], errors: string[], seen: Set<string>, skipped: { n: number }): string[] {
    let real: string;
    try {
        real = fs.realpathSync(dir);
    } catch (e) {
        errors.push(`${dir}: cannot read: ${errnoText(e)}`);
        return [];
    }
    if (seen.has(real)) return [];
    seen.add(real);
    let entries: fs.Dirent[];
    try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
        errors.push(`${dir}: cannot read the directory: ${errnoText(e)}`);
        return [];
    }
    const out: string[] = [];
    for (const ent of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const p = path.join(dir, ent.name);
        let isDir = ent.isDirectory();
        let isFile = ent.isFile();
        if (ent.isSymbolicLink()) {
            try {
                const st = fs.statSync(p);
                isDir = st.isDirectory();
                isFile = st.isFile();
            } catch {
                continue; // a dangling link in a tree is not an input the user named
            }
        }
        if (isDir) {
            if (!ent.name.startsWith(".") && ent.name !== "node_modules") out.push(...walk(p, exts, errors, seen, skipped));
            else skipped.n++;
        } else if (isFile && exts.some((x) => ent.name.toLowerCase().endsWith(x))) out.push(p);
    }
    return out;
}

/**
 * Reads the inputs: `-` is stdin (read once), a directory contributes every file with one of `exts`
 * below it, anything else is read as a file whatever its name.
 */
export async function readSources(inputs: readonly string[], exts: readonly string[], stdin: () => Promise<string>): Promise<Sources> {
    const texts: SourceText[] = [];
    const errors: string[] = [];
    const skipped = { n: 0 };
    let stdinRead = false;
    for (const input of inputs) {
        if (input === "-") {
            if (stdinRead) continue;
            stdinRead = true;
            try {
                texts.push({ name: STDIN, text: (await stdin()).replace(/^\uFEFF/, "") });
            } catch (e) {
                errors.push(`${STDIN}: cannot read: ${e instanceof Error ? e.message : String(e)}`);
            }
            continue;
        }
        let st: fs.Stats;
        try {
            st = fs.statSync(input);
        } catch (e) {
            errors.push(`${input}: cannot read: ${errnoText(e)}`);
            continue;
        }
        if (st.isDirectory()) {
            const files = walk(input, exts, errors, new Set(), skipped);
            if (files.length === 0) errors.push(`${input}: no ${exts.map((x) => `*${x}`).join(", ")} files in this directory`);
            for (const f of files) {
                const text = readFile(f, errors);
                if (text !== undefined) texts.push({ name: f, text });
            }
        } else {
            const text = readFile(input, errors);
            if (text !== undefined) texts.push({ name: input, text });
        }
    }
    return { texts, errors, skippedDirs: skipped.n };
}
