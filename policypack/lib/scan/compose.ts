/**
 * Docker Compose files → one `compose:service` resource per service, at the line of its key under
 * `services`. Extension fields (`x-…`), anchors and merge keys (`<<: *defaults`) are resolved by the parser.
 */
import { readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { COMPOSE_SERVICE } from "../adapters/docker/compose";
import { SourceText, STDIN } from "./sources";
import { childNode, itemLines, keyLines, parseYamlFile } from "./yaml";
import { ReadResult } from "./kubernetes";
import { Counter, envEntryValues, worthRedacting } from "./secrets";
import { logDriver, logOptions } from "./daemon";
import type { DockerLogConfigModel } from "../model/docker-logging";

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Pulumi's unknown sentinel: `clean` turns it into UNKNOWN, so controls treat the value as not yet known. */
const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Compose interpolation without the scanning machine's environment (a scan of files must not depend on
 * it): `$$` is a `$`; `${VAR:-default}` and `${VAR-default}` take their default; any other reference
 * (`${VAR}`, `$VAR`, `${VAR:?err}`) makes the value unknown. Keys are not interpolated, as in Compose.
 */
export function interpolate(v: unknown, depth = 0): unknown {
    if (typeof v === "string") {
        if (!v.includes("$")) return v;
        let unknown = false;
        const out = v.replace(
            /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
            (m, _braced: string | undefined, op: string | undefined, dflt: string | undefined) => {
                if (m === "$$") return "$";
                if (op !== undefined) return dflt ?? "";
                unknown = true;
                return m;
            },
        );
        return unknown ? UNKNOWN_SENTINEL : out;
    }
    if (depth > 64) return v;
    if (Array.isArray(v)) return v.map((x) => interpolate(x, depth + 1));
    if (isRecord(v)) {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) out[k] = interpolate(x, depth + 1);
        return out;
    }
    return v;
}

/** `environment` list entries keep their name: only the value after `=` is interpolated. */
function interpolateEnv(v: unknown): unknown {
    if (!Array.isArray(v)) return interpolate(v);
    return v.map((e) => {
        if (typeof e !== "string" || !e.includes("=")) return interpolate(e);
        const eq = e.indexOf("=");
        const value = interpolate(e.slice(eq + 1));
        return `${e.slice(0, eq)}=${value}`;
    });
}

/** Interpolates a service, keeping the names of its environment variables. */
export function interpolateService(svc: Record<string, unknown>): Record<string, unknown> {
    const out = interpolate({ ...svc, environment: undefined }) as Record<string, unknown>;
    if (svc["environment"] !== undefined) out["environment"] = interpolateEnv(svc["environment"]);
    else delete out["environment"];
    return out;
}

/** Unknown values of a scanned file are unset variables, not preview outputs: say so, naming the service. */
export function explainUnknown(message: string, service: string): string {
    const m = /^can't be checked during preview: (.*) is unknown\.$/.exec(message);
    return m ? `Compose service "${service}": ${m[1]}: can't be checked: it uses a variable without a default, so its value is not in the file.` : message;
}

const REMOTE_CONTEXT = /^([a-z][\w+.-]*:\/\/|git@|github\.com\/)/i;

/**
 * `build:` with its context made absolute against the Compose file's directory, as `docker compose config`
 * prints it; a remote context, an unknown value or a file read from stdin keeps the context as written.
 */
export function resolveBuildContext(build: unknown, composeFile: string): unknown {
    if (composeFile === STDIN) return build;
    const dir = dirname(resolve(composeFile));
    // Only a context inside the Compose file's directory is read: a scanned file must not make the scan read the machine's other files.
    const abs = (c: string) => {
        if (REMOTE_CONTEXT.test(c) || c === UNKNOWN_SENTINEL) return c;
        const p = resolve(dir, c);
        // Outside: kept relative (an absolute path too), which the adapter does not read.
        return within(realOr(p), realOr(dir)) ? p : relative(dir, p) || ".";
    };
    if (typeof build === "string") return abs(build);
    if (!isRecord(build)) return build;
    const context = build["context"];
    if (context === undefined || context === null) return { ...build, context: dir };
    return typeof context === "string" ? { ...build, context: abs(context) } : build;
}

/** Files reached through `include:` and `extends.file` are read bounded, at most this deep, never in a cycle. */
const MAX_DEPTH = 8;
const MAX_REFERENCED_BYTES = 4 * 1024 * 1024;
const MAX_ENV_FILE_BYTES = 1024 * 1024;

/** One Compose file, parsed: its services (interpolated, paths resolved against its directory) with their lines. */
interface ComposeFile {
    readonly name: string;
    readonly services: Map<string, { readonly svc: Record<string, unknown>; readonly line: number }>;
    /** `include:` entries: the paths (resolved) and the line they are written at. */
    readonly includes: { readonly path: string; readonly at: string }[];
}

function errnoText(e: unknown): string {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? "no such file or directory" : code === "EACCES" || code === "EPERM" ? "permission denied" : (code ?? "unreadable");
}

/** Reads a file a Compose file refers to: a regular file, bounded; the reason it cannot be read never quotes it. */
function readReferenced(path: string, max: number): string | { problem: string } {
    try {
        const st = statSync(path);
        if (!st.isFile()) return { problem: "it is not a file" };
        if (st.size > max) return { problem: `it is larger than ${max / 1024 / 1024} MiB` };
        return readFileSync(path, "utf8").replace(/^\uFEFF/, "");
    } catch (e) {
        return { problem: errnoText(e) };
    }
}

/** A service with paths made absolute against its file's directory: build context, env_file entries. */
function normalizeService(svc: Record<string, unknown>, file: string): Record<string, unknown> {
    const props = interpolateService(svc);
    if (props["build"] !== undefined) props["build"] = resolveBuildContext(props["build"], file);
    if (props["env_file"] !== undefined && file !== STDIN) {
        const dir = dirname(resolve(file));
        const abs = (p: unknown) => (typeof p === "string" && p !== UNKNOWN_SENTINEL && !isAbsolute(p) ? resolve(dir, p) : p);
        const list = Array.isArray(props["env_file"]) ? props["env_file"] : [props["env_file"]];
        props["env_file"] = list.map((e) => (isRecord(e) ? { ...e, path: abs(e["path"]) } : abs(e)));
    }
    return props;
}

function parseComposeFile(name: string, text: string, errors: string[], top: boolean): ComposeFile | undefined {
    const parsed = parseYamlFile(name, text, { version: "1.2" });
    errors.push(...parsed.errors);
    const docs = parsed.documents.filter((d) => d.value !== null && d.value !== undefined);
    if (docs.length === 0 && parsed.errors.length === 0) errors.push(`${name}: the file is empty`);
    const file: ComposeFile = { name, services: new Map(), includes: [] };
    let any = false;
    for (const doc of docs) {
        if (!isRecord(doc.value)) {
            errors.push(`${name}:${doc.line}: not a Compose file: the document is not a mapping`);
            continue;
        }
        const include = doc.value["include"];
        if (include !== undefined && include !== null) {
            const incLines = itemLines(childNode(doc.node, "include"), parsed.lines);
            const entries = Array.isArray(include) ? include : [include];
            entries.forEach((e, i) => {
                const at = `${name}:${incLines[i] ?? doc.line}`;
                const paths = typeof e === "string" ? [e] : isRecord(e) ? (Array.isArray(e["path"]) ? e["path"] : [e["path"]]) : [undefined];
                for (const p of paths) {
                    if (typeof p !== "string" || p === "") errors.push(`${at}: include[${i}] has no path; it is skipped`);
                    else if (name === STDIN && !isAbsolute(p)) errors.push(`${at}: include[${i}] is relative to a file read from stdin; it cannot be found`);
                    else file.includes.push({ path: resolve(dirname(resolve(name)), p), at: `${at}: include[${i}]` });
                }
            });
            any = true;
        }
        const services = doc.value["services"];
        if (services === undefined || services === null) {
            if (!any && top) errors.push(`${name}:${doc.line}: not a Compose file: no "services" (the v1 format without "services" is not supported)`);
            continue;
        }
        if (!isRecord(services)) {
            errors.push(`${name}:${doc.line}: "services" is not a mapping`);
            continue;
        }
        const lines = keyLines(childNode(doc.node, "services"), parsed.lines);
        for (const [svcName, svc] of Object.entries(services)) {
            const line = lines.get(svcName) ?? doc.line;
            if (!isRecord(svc)) {
                errors.push(`${name}:${line}: service "${svcName.replace(/[^\w.-]/g, "?")}" is not a mapping; it is skipped`);
                continue;
            }
            file.services.set(svcName, { svc: normalizeService(svc, name), line });
        }
    }
    return file;
}

/** Compose's merge of an extended service: mappings merge key by key, sequences add up, anything else is overridden. */
function mergeService(base: unknown, over: unknown, depth = 0): unknown {
    if (depth > 32) return over;
    if (isRecord(base) && isRecord(over)) {
        const out: Record<string, unknown> = { ...base };
        for (const [k, v] of Object.entries(over)) out[k] = Object.prototype.hasOwnProperty.call(base, k) ? mergeService(base[k], v, depth + 1) : v;
        return out;
    }
    if (Array.isArray(base) && Array.isArray(over)) {
        const seen = new Set(over.map((x) => JSON.stringify(x)));
        return [...base.filter((x) => !seen.has(JSON.stringify(x))), ...over];
    }
    return over;
}

class ComposeLoader {
    private readonly files = new Map<string, ComposeFile | undefined>();
    constructor(readonly errors: string[]) {}

    /** A file reached through include or extends, read once. */
    load(path: string, at: string): ComposeFile | undefined {
        if (this.files.has(path)) return this.files.get(path);
        const text = readReferenced(path, MAX_REFERENCED_BYTES);
        let file: ComposeFile | undefined;
        if (typeof text === "string") file = parseComposeFile(displayPath(path), text, this.errors, false);
        else this.errors.push(`${at} cannot be read: ${text.problem}`);
        this.files.set(path, file);
        return file;
    }

    add(file: ComposeFile): void {
        this.files.set(resolve(file.name), file);
    }

    /** The service with what it extends merged in (the base first, its paths resolved against its own file). */
    resolve(file: ComposeFile, name: string, chain: readonly string[]): Record<string, unknown> | undefined {
        const entry = file.services.get(name);
        if (!entry) return undefined;
        const ext = entry.svc["extends"];
        if (ext === undefined || ext === null) return entry.svc;
        const at = `${file.name}:${entry.line}: service "${name.replace(/[^\w.-]/g, "?")}" extends`;
        const baseName = typeof ext === "string" ? ext : isRecord(ext) ? ext["service"] : undefined;
        const baseFile = isRecord(ext) ? ext["file"] : undefined;
        const own = { ...entry.svc };
        delete own["extends"];
        if (typeof baseName !== "string" || (baseFile !== undefined && typeof baseFile !== "string")) {
            this.errors.push(`${at} no service by name; what it extends is not checked`);
            return own;
        }
        if (chain.length >= MAX_DEPTH) {
            this.errors.push(`${at} more than ${MAX_DEPTH} services deep; what it extends is not checked`);
            return own;
        }
        let target: ComposeFile | undefined = file;
        if (typeof baseFile === "string") {
            if (file.name === STDIN && !isAbsolute(baseFile)) {
                this.errors.push(`${at} a file relative to stdin; what it extends is not checked`);
                return own;
            }
            target = this.load(resolve(dirname(resolve(file.name)), baseFile), `${at} a file that`);
        }
        if (!target) return own;
        const key = `${resolve(target.name)}#${baseName}`;
        if (chain.includes(key)) {
            this.errors.push(`${at} a service that extends it back (a cycle); what it extends is not checked`);
            return own;
        }
        const base = this.resolve(target, baseName, [...chain, key]);
        if (!base) {
            this.errors.push(`${at} a service that is not defined; what it extends is not checked`);
            return own;
        }
        return mergeService(base, own) as Record<string, unknown>;
    }
}

/** `KEY=value` lines of an env file (comments, blank lines, `export `, quotes), as Compose reads them. */
export function parseEnvFile(text: string): [string, string | undefined][] {
    const out: [string, string | undefined][] = [];
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.replace(/^\s*export\s+/, "").trim();
        if (line === "" || line.startsWith("#")) continue;
        const eq = line.indexOf("=");
        if (eq < 0) {
            out.push([line, undefined]);
            continue;
        }
        let v = line.slice(eq + 1).trim();
        const q = /^(["'])([\s\S]*)\1$/.exec(v);
        if (q) v = q[2];
        else v = v.replace(/\s+#.*$/, "");
        out.push([line.slice(0, eq).trim(), v]);
    }
    return out;
}

/**
 * `env_file` entries (a path, or `{path, required}`), read bounded: each becomes `{path, values}` for the
 * adapter, the path as messages show it. A missing required file is an error; `required: false` may be absent.
 */
function readEnvFiles(v: unknown, at: string, errors: string[]): unknown {
    if (v === undefined || v === null || !Array.isArray(v)) return v;
    const out: unknown[] = [];
    v.forEach((e, i) => {
        const path = isRecord(e) ? e["path"] : e;
        const required = !(isRecord(e) && (e["required"] === false || e["required"] === "false"));
        if (typeof path !== "string" || path === UNKNOWN_SENTINEL || !isAbsolute(path)) {
            out.push({ path: typeof path === "string" && path !== UNKNOWN_SENTINEL ? path : `env_file[${i}]`, values: UNKNOWN_SENTINEL });
            return;
        }
        const text = readReferenced(path, MAX_ENV_FILE_BYTES);
        if (typeof text !== "string") {
            if (required) errors.push(`${at}: env_file[${i}] cannot be read: ${text.problem}`);
            return;
        }
        out.push({ path: displayPath(path), values: Object.fromEntries(parseEnvFile(text)) });
    });
    return out;
}

function displayPath(path: string): string {
    const rel = relative(process.cwd(), path);
    return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

/** The real path (symlinks resolved) when it exists, else the path itself. */
function realOr(p: string): string {
    try {
        return realpathSync(p);
    } catch {
        return p;
    }
}

const within = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith(sep) ? dir : dir + sep);

export function readCompose(sources: readonly SourceText[]): ReadResult {
    const out: ReadResult & { logConfigs: DockerLogConfigModel[] } = {
        resources: [],
        errors: [],
        ignored: new Counter(),
        sensitive: new Map(),
        logConfigs: [],
    };
    const loader = new ComposeLoader(out.errors);
    const emitted = new Set<string>();
    const emit = (file: ComposeFile, depth: number, includedBy: readonly string[]) => {
        for (const [name, { line }] of file.services) {
            const urn = `urn:stride-guard:compose::${file.name}::${COMPOSE_SERVICE}::${name}`;
            // A service is read once however its file is reached (named on the command line, included, both).
            const key = file.name === STDIN ? urn : `${resolve(file.name)}#${name}`;
            if (emitted.has(key)) continue;
            emitted.add(key);
            const resolved = loader.resolve(file, name, [`${resolve(file.name)}#${name}`]);
            if (!resolved) continue;
            const props: Record<string, unknown> = { ...resolved };
            if (props["env_file"] !== undefined)
                props["env_file"] = readEnvFiles(props["env_file"], `${file.name}:${line}: service "${name.replace(/[^\w.-]/g, "?")}"`, out.errors);
            const env = [...envEntryValues(props["environment"]), ...envFileValues(props["env_file"])].filter((e) => e !== UNKNOWN_SENTINEL);
            if (env.length > 0) out.sensitive.set(urn, env);
            out.resources.push({ type: COMPOSE_SERVICE, name, urn, props, file: file.name, line });
            const logging = props["logging"];
            out.logConfigs.push({
                urn,
                resourceName: name,
                label: `Compose service "${name}"`,
                driver: logDriver(isRecord(logging) ? logging["driver"] : undefined),
                opts: logOptions(isRecord(logging) ? logging["options"] : undefined),
                paths: { driver: "logging.driver", opts: "logging.options" },
                provider: undefined,
            });
        }
        for (const inc of file.includes) {
            if (includedBy.includes(inc.path)) {
                out.errors.push(`${inc.at} includes a file that includes it (a cycle); it is read once`);
                continue;
            }
            if (depth >= MAX_DEPTH) {
                out.errors.push(`${inc.at} is more than ${MAX_DEPTH} includes deep; it is not read`);
                continue;
            }
            const child = loader.load(inc.path, inc.at);
            if (child) emit(child, depth + 1, [...includedBy, inc.path]);
        }
    };
    for (const src of sources) {
        const file = parseComposeFile(src.name, src.text, out.errors, true);
        if (!file) continue;
        if (src.name !== STDIN) loader.add(file);
        emit(file, 0, src.name === STDIN ? [] : [resolve(src.name)]);
    }
    return out;
}

/** Values of env files read into `env_file` entries (for redaction). */
function envFileValues(v: unknown): string[] {
    if (!Array.isArray(v)) return [];
    const out: string[] = [];
    for (const e of v) {
        const values = isRecord(e) ? e["values"] : undefined;
        if (isRecord(values)) for (const x of Object.values(values)) if (typeof x === "string" && worthRedacting(x)) out.push(x);
    }
    return out;
}
