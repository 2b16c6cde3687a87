/**
 * `scan dockerfile PATH…`: Dockerfiles judged by the image controls, through the same adapter that reads the
 * Dockerfile of a `docker.Image` build (`adapters/docker/platform.ts`). Each file becomes an image build
 * resource whose `build.dockerfile` is that file; findings point at the file and the instruction's line.
 *
 * Hostile input: only regular files are read (opened non-blocking, so a FIFO cannot stall the scan, and
 * checked after opening), at most 1 MiB each (the adapter's own bound), text without NUL bytes; directories
 * are walked for Dockerfile names without following symbolic links to directories, to a bounded depth and
 * count. Errors name the file (and line where there is one) and never quote it.
 */
import * as fs from "fs";
import * as path from "path";
import { AnalyzedResource } from "../check/analyze";
import { printable } from "../core/text";

/** The adapter's limit (`adapters/docker/dockerfile.ts`): larger files are refused there too. */
export const MAX_DOCKERFILE_BYTES = 1024 * 1024;
const MAX_DEPTH = 32;
const MAX_FILES = 10_000;

/** Dockerfile, Containerfile, Dockerfile.prod, app.Dockerfile, app.dockerfile. */
export function isDockerfileName(name: string): boolean {
    const n = name.toLowerCase();
    return n === "dockerfile" || n === "containerfile" || n.startsWith("dockerfile.") || n.endsWith(".dockerfile") || n.startsWith("containerfile.");
}

function errnoText(e: unknown): string {
    const code = (e as NodeJS.ErrnoException).code;
    switch (code) {
        case "ENOENT":
            return "no such file or directory";
        case "EACCES":
        case "EPERM":
            return "permission denied";
        case "ELOOP":
            return "too many levels of symbolic links";
        default:
            return typeof code === "string" ? code : "unreadable";
    }
}

/** Checks that `file` is a regular text file within bounds; returns why not. Never blocks on FIFOs or devices. */
export function checkDockerfile(file: string): string | undefined {
    let fd: number;
    try {
        fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | (fs.constants.O_NOCTTY ?? 0));
    } catch (e) {
        return `cannot read: ${errnoText(e)}`;
    }
    try {
        const st = fs.fstatSync(fd);
        if (!st.isFile()) return st.isDirectory() ? "is a directory" : "is not a regular file";
        if (st.size > MAX_DOCKERFILE_BYTES) return `is larger than ${MAX_DOCKERFILE_BYTES / 1024 / 1024} MiB`;
        const buf = Buffer.alloc(st.size);
        const n = fs.readSync(fd, buf, 0, st.size, 0);
        if (buf.subarray(0, n).includes(0)) return "is not a text file (it contains NUL bytes)";
        return undefined;
    } catch (e) {
        return `cannot read: ${errnoText(e)}`;
    } finally {
        fs.closeSync(fd);
    }
}

function walk(dir: string, depth: number, out: string[], errors: string[]): void {
    if (depth > MAX_DEPTH) {
        errors.push(`${printable(dir)}: directories nested deeper than ${MAX_DEPTH} levels are not scanned`);
        return;
    }
    let entries: fs.Dirent[];
    try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
        errors.push(`${printable(dir)}: cannot read the directory: ${errnoText(e)}`);
        return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ent of entries) {
        if (out.length >= MAX_FILES) {
            errors.push(`${printable(dir)}: more than ${MAX_FILES} Dockerfiles; the rest are not scanned`);
            return;
        }
        const p = path.join(dir, ent.name);
        // Symbolic links to directories are not followed (no loops, no escaping the tree); links to files are read.
        if (ent.isDirectory()) {
            if (!ent.name.startsWith(".") && ent.name !== "node_modules") walk(p, depth + 1, out, errors);
        } else if (isDockerfileName(ent.name)) out.push(p); // FIFOs, devices and dangling links are reported by checkDockerfile
    }
}

export interface DockerfileSources {
    readonly files: readonly string[];
    readonly errors: readonly string[];
}

/** The Dockerfiles named or found under named directories, and what could not be read. */
export function dockerfileSources(inputs: readonly string[]): DockerfileSources {
    const files: string[] = [];
    const errors: string[] = [];
    for (const input of inputs) {
        const shown = printable(input);
        if (shown !== input) {
            // A name with control characters would reach terminals and reports through every message about it.
            errors.push(`${shown}: the path contains control characters; not scanned`);
            continue;
        }
        let isDir = false;
        try {
            isDir = fs.statSync(input).isDirectory();
        } catch {
            // checkDockerfile says why
        }
        const found: string[] = [];
        if (isDir) {
            walk(input, 0, found, errors);
            if (found.length === 0) errors.push(`${input}: no Dockerfile (Dockerfile, Containerfile, Dockerfile.*, *.Dockerfile) in this directory`);
        } else found.push(input);
        for (const f of found) {
            if (printable(f) !== f) {
                errors.push(`${printable(f)}: the path contains control characters; not scanned`);
                continue;
            }
            const why = checkDockerfile(f);
            if (why !== undefined) errors.push(`${f}: ${why}`);
            else files.push(f);
        }
    }
    return { files: [...new Set(files)], errors };
}

/** One image build resource per Dockerfile, read by the docker.Image adapter from `build.dockerfile`. */
export function dockerfileResources(files: readonly string[]): AnalyzedResource[] {
    return files.map((f, i) => ({
        type: "docker:index/image:Image",
        name: f,
        urn: `urn:stride-guard:dockerfile::${i + 1}::docker:index/image:Image::${f}`,
        // Absolute: the adapter resolves a relative build.dockerfile against the process's directory, as Pulumi does.
        props: { build: { context: path.dirname(path.resolve(f)), dockerfile: path.resolve(f) } },
        file: f,
        line: 1,
    }));
}

/** The line a finding's message points at (`<abs path>:<line>`), since the adapter names Dockerfile lines by path. */
export function lineIn(message: string, file: string): number | undefined {
    const abs = path.resolve(file);
    const at = message.indexOf(`${abs}:`);
    if (at < 0) return undefined;
    const m = /^\d+/.exec(message.slice(at + abs.length + 1));
    return m ? Number(m[0]) : undefined;
}
