/**
 * Dockerfile reading: a small parser (parser directives, the escape character, comments, line
 * continuations, heredocs, `FROM [--platform=…] image [AS name]`) and a reader that resolves the
 * path like @pulumi/docker does and caches parses by path, size and mtime.
 */
import { readFileSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { Dockerfile, DockerfileInstruction, DockerfileStage } from "../../model/docker-image";

const KEYWORDS = new Set([
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
]);
const HEREDOC_KEYWORDS = new Set(["RUN", "COPY", "ADD"]);

export function parseDockerfile(text: string): Dockerfile {
    const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
    let escape = "\\";
    let i = 0;
    // Parser directives: `# key=value` lines at the very top.
    for (; i < lines.length; i++) {
        const d = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(lines[i]);
        if (!d) break;
        if (d[1].toLowerCase() === "escape" && (d[2] === "`" || d[2] === "\\")) escape = d[2];
    }
    const globalArgs: DockerfileInstruction[] = [];
    const stages: { index: number; name: string | undefined; from: string; fromLine: number; instructions: DockerfileInstruction[] }[] = [];
    const errors: { line: number; column: number; problem: string }[] = [];
    // 1-based column of an instruction's first character on its first line.
    const col = (line: number): number => (/\S/.exec(lines[line - 1] ?? "")?.index ?? 0) + 1;
    while (i < lines.length) {
        const start = i;
        let text = "";
        // Join continuation lines; comment and blank lines inside a continuation are dropped.
        for (; i < lines.length; i++) {
            const raw = lines[i];
            if (i > start && (/^\s*#/.test(raw) || raw.trim() === "")) continue;
            if (i === start && (/^\s*#/.test(raw) || raw.trim() === "")) {
                i++;
                break;
            }
            const trimmed = raw.replace(/\s+$/, "");
            if (trimmed.endsWith(escape)) {
                text += trimmed.slice(0, -1);
                continue;
            }
            text += raw;
            i++;
            break;
        }
        const s = text.trim();
        if (s === "") continue;
        const m = /^(\S+)\s*([\s\S]*)$/.exec(s)!;
        const keyword = m[1].toUpperCase();
        if (!KEYWORDS.has(keyword)) {
            // The word is not quoted: the file is input, and a message must not carry it to a terminal or report.
            errors.push({ line: start + 1, column: col(start + 1), problem: "unknown instruction" });
            continue;
        }
        const flags: Record<string, string> = {};
        let args = m[2];
        for (let f = /^--([\w-]+)(?:=(\S*))?\s*/.exec(args); f; f = /^--([\w-]+)(?:=(\S*))?\s*/.exec(args)) {
            flags[f[1].toLowerCase()] = f[2] ?? "";
            args = args.slice(f[0].length);
        }
        if (HEREDOC_KEYWORDS.has(keyword)) {
            for (const h of args.matchAll(/<<(-?)(["']?)([\w.-]+)\2/g)) {
                for (; i < lines.length; i++) {
                    const body = h[1] ? lines[i].replace(/^\t+/, "") : lines[i];
                    if (body === h[3]) {
                        i++;
                        break;
                    }
                }
            }
        }
        const ins: DockerfileInstruction = { line: start + 1, keyword, flags, args: args.trim() };
        if (keyword === "FROM") {
            const fm = /^(\S+)(?:\s+[aA][sS]\s+(\S+))?$/.exec(ins.args);
            if (!fm) {
                errors.push({ line: ins.line, column: col(ins.line), problem: "FROM takes an image and an optional AS name" });
                continue;
            }
            stages.push({ index: stages.length, name: fm[2]?.toLowerCase(), from: fm[1], fromLine: ins.line, instructions: [] });
        } else if (stages.length === 0) {
            if (keyword === "ARG") globalArgs.push(ins);
            else errors.push({ line: ins.line, column: col(ins.line), problem: `${keyword} before the first FROM` });
        } else stages[stages.length - 1].instructions.push(ins);
    }
    return { globalArgs, stages: stages as DockerfileStage[], errors };
}

const MAX_BYTES = 1024 * 1024;
const cache = new Map<string, { mtimeMs: number; size: number; parsed: Dockerfile }>();

/**
 * Where @pulumi/docker (v4+) finds the Dockerfile: `build.dockerfile` absolute or relative to the
 * Pulumi program's directory (the process cwd), else `Dockerfile` inside `build.context` (default ".").
 */
export function dockerfileLocation(context: string | undefined, dockerfile: string | undefined, cwd = process.cwd()): string {
    if (dockerfile !== undefined && dockerfile !== "") return isAbsolute(dockerfile) ? dockerfile : resolve(cwd, dockerfile);
    return resolve(cwd, join(context && context !== "" ? context : ".", "Dockerfile"));
}

/** Reads and parses a Dockerfile, or says why it cannot. */
export function readDockerfile(path: string): Dockerfile | string {
    try {
        const st = statSync(path);
        if (!st.isFile()) return "it is not a file";
        if (st.size > MAX_BYTES) return "it is larger than 1 MiB";
        const hit = cache.get(path);
        if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.parsed;
        const parsed = parseDockerfile(readFileSync(path, "utf8"));
        cache.set(path, { mtimeMs: st.mtimeMs, size: st.size, parsed });
        return parsed;
    } catch (e) {
        const code = (e as { code?: unknown }).code;
        return code === "ENOENT"
            ? "no such file"
            : code === "EACCES"
              ? "permission denied"
              : `it cannot be read (${typeof code === "string" ? code : "error"})`;
    }
}
