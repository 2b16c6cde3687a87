/**
 * Inputs of `scan`: files, directories (walked recursively for the given extensions) and `-` for stdin.
 * Never throws: an unreadable input becomes an error that names it, and the other inputs are still read.
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

/** Larger inputs are refused rather than risking the process's memory. */
export const MAX_SOURCE_BYTES = 64 * 1024 * 1024;

/** Reads all of a stream (stdin) as UTF-8, bounded by MAX_SOURCE_BYTES. */
export function readStream(stream: NodeJS.ReadableStream): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on("data", (c: Buffer | string) => {
            const b = typeof c === "string" ? Buffer.from(c) : c;
            size += b.length;
            if (size > MAX_SOURCE_BYTES) {
                reject(new Error(`more than ${MAX_SOURCE_BYTES / 1024 / 1024} MiB`));
                stream.removeAllListeners("data");
                return;
            }
            chunks.push(b);
        });
        stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        stream.on("error", reject);
    });
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
        default:
            return code ?? (e instanceof Error ? e.message : "unreadable");
    }
}

function readFile(file: string, errors: string[]): string | undefined {
    try {
        const st = fs.statSync(file);
        if (st.size > MAX_SOURCE_BYTES) {
            errors.push(`${file}: cannot read: larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MiB`);
            return undefined;
        }
        return fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "");
    } catch (e) {
        errors.push(`${file}: cannot read: ${errnoText(e)}`);
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
