/**
 * `scan`: the controls over what already exists — Kubernetes manifests, Compose files, a Docker engine's
 * containers (live or saved `docker inspect` output) — through the same in-process analysis as `check`.
 *
 * Every input is read on its own: one that cannot be read (missing, invalid YAML, a dead engine) becomes
 * an entry of `Report.errors` that names it, and the rest are still scanned. Messages and errors are
 * redacted with the values a source marks as sensitive (env values, Secret payloads).
 */
import * as fs from "fs";
import * as path from "path";
import { Control } from "../core/control";
import { analyze } from "../check/analyze";
import { Report, ReportFinding } from "../check/report";
import { PolicyConfigEntry } from "../config/reconcile";
import { explainUnknown, readCompose } from "./compose";
import { checkDockerPlatform, FindingResource, PlatformInput } from "./daemon";
import { readEngine, readInspectFiles } from "./docker";
import { connectEngine, EngineError, TlsPaths } from "./engine";
import { readKubernetes, ReadResult } from "./kubernetes";
import { Counter, redactAll } from "./secrets";
import { readSources, readStream, SourceText } from "./sources";
import { render, RenderOptions, rendererOf } from "./render";
import { dockerfileResources, dockerfileSources, lineIn } from "./dockerfile";

export interface ScanOptions {
    readonly controls: readonly Control[];
    /** Reconciled policy config (`loadPolicyConfig`); undefined means every default. */
    readonly config?: Readonly<Record<string, PolicyConfigEntry>>;
    /** Reads `-` (default: process.stdin). */
    readonly stdin?: () => Promise<string>;
    /** How `scan k8s` runs kubectl kustomize and helm template (PATH, time and size bounds). */
    readonly render?: RenderOptions;
}

export interface DockerScanInput {
    /** Engine address; default DOCKER_HOST, else unix:///var/run/docker.sock. */
    readonly host?: string;
    readonly tls?: TlsPaths;
    /** Saved `docker inspect` output files instead of a live engine. */
    readonly inspectFiles?: readonly string[];
    readonly env?: NodeJS.ProcessEnv;
    readonly timeoutMs?: number;
}

export const KUBERNETES_EXTENSIONS: readonly string[] = [".yaml", ".yml", ".json"];
export const COMPOSE_EXTENSIONS: readonly string[] = [".yaml", ".yml"];

const stdinOf = (opts: ScanOptions) => opts.stdin ?? (() => readStream(process.stdin));

function plural(n: number, one: string, many = `${one}s`): string {
    return `${n} ${n === 1 ? one : many}`;
}

/** Runs the controls and applies the scan's errors and redaction. */
function finish(target: string, read: ReadResult, opts: ScanOptions, readErrors: readonly string[] = [], daemon?: PlatformInput["daemon"]): Report {
    const report = analyze(target, read.resources, opts.controls, opts.config);
    const resources = new Map<string, FindingResource>(
        read.resources.map((r) => [
            r.urn,
            { urn: r.urn, type: r.type, name: r.name, ...(r.file ? { file: r.file } : {}), ...(r.line ? { line: r.line } : {}) },
        ]),
    );
    const extra = checkDockerPlatform({ daemon, logConfigs: read.logConfigs ?? [] }, resources, opts.controls, opts.config);
    const all = [...new Set([...read.sensitive.values()].flat())];
    const redactFinding = (f: ReportFinding): ReportFinding => {
        const own = read.sensitive.get(f.resource.urn);
        const message = redactAll(f.message, own ?? (f.resource.urn === "" ? all : []));
        return message === f.message ? f : { ...f, message };
    };
    return {
        ...report,
        findings: [...report.findings, ...extra].map(redactFinding),
        // Errors never quote inputs; the redaction is a second line for engine messages.
        errors: [...readErrors, ...read.errors, ...report.errors].map((e) => redactAll(e, all)),
    };
}

function ignoredText(read: ReadResult): string {
    return read.ignored.total > 0 ? `; ignored ${read.ignored.total}: ${read.ignored.toString()}` : "";
}

async function sources(
    paths: readonly string[],
    exts: readonly string[],
    opts: ScanOptions,
): Promise<{ texts: readonly SourceText[]; errors: readonly string[]; skippedDirs: number }> {
    return readSources(paths, exts, stdinOf(opts));
}

function isDirectory(p: string): boolean {
    try {
        return fs.statSync(p).isDirectory();
    } catch {
        return false;
    }
}

/** "; skipped 3 directories (dot-directories, node_modules)": a walk never reads those, and says so. */
function skippedText(n: number): string {
    return n > 0 ? `; skipped ${plural(n, "directory", "directories")} (dot-directories, node_modules)` : "";
}

/** `scan k8s PATH…`: files, directories (*.yaml, *.yml, *.json, recursively) and `-`. */
export async function scanKubernetes(paths: readonly string[], opts: ScanOptions): Promise<Report> {
    return (await scanManifests(paths, opts)).report;
}

/**
 * `scan k8s` with rendering: a directory given by name that holds a kustomization is built with
 * `kubectl kustomize`, a chart directory with `helm template`; other paths are read as manifests. `failed`
 * lists the inputs that could not be rendered (a missing program, a failed or unbounded run): the CLI
 * exits 2 for them, since what they would have produced was never checked.
 */
export async function scanManifests(paths: readonly string[], opts: ScanOptions): Promise<{ report: Report; failed: readonly string[] }> {
    const plain: string[] = [];
    const rendered: SourceText[] = [];
    const renderErrors: string[] = [];
    const entries = new Map<string, string>();
    for (const p of paths) {
        const found = p !== "-" && isDirectory(p) ? rendererOf(p) : undefined;
        if (!found) {
            plain.push(p);
            continue;
        }
        const r = await render(p, found, opts.render);
        if (r.error !== undefined) renderErrors.push(r.error);
        else {
            // Rendered output has no lines of its own in the repository: findings point at the kustomization or Chart.yaml.
            const name = `${p} (${found.renderer === "kustomize" ? "kubectl kustomize" : "helm template"} output)`;
            entries.set(name, found.entry);
            rendered.push({ name, text: r.text ?? "" });
        }
    }
    const src = plain.length > 0 ? await sources(plain, KUBERNETES_EXTENSIONS, opts) : { texts: [], errors: [], skippedDirs: 0 };
    const read = readKubernetes([...src.texts, ...rendered]);
    const resources = read.resources.map((r) => {
        const entry = r.file === undefined ? undefined : entries.get(r.file);
        return entry === undefined ? r : { ...r, file: entry, line: undefined };
    });
    const renderedText = rendered.length > 0 ? `, ${plural(rendered.length, "rendered directory", "rendered directories")}` : "";
    const target = `kubernetes manifests (${plural(src.texts.length, "file")}${renderedText}, ${plural(read.resources.length, "object")}${ignoredText(read)}${skippedText(src.skippedDirs)})`;
    return { report: finish(target, { ...read, resources }, opts, [...renderErrors, ...src.errors]), failed: renderErrors };
}

/** `scan compose PATH…`: Compose files (directories: *.yaml, *.yml) and `-`. */
export async function scanCompose(paths: readonly string[], opts: ScanOptions): Promise<Report> {
    const src = await sources(paths, COMPOSE_EXTENSIONS, opts);
    const read = readCompose(src.texts);
    const target = `compose files (${plural(src.texts.length, "file")}, ${plural(read.resources.length, "service")}${skippedText(src.skippedDirs)})`;
    const report = finish(target, read, opts, src.errors);
    return { ...report, findings: report.findings.map((f) => (f.unknown ? { ...f, message: explainUnknown(f.message, f.resource.name) } : f)) };
}

/**
 * `scan dockerfile PATH…`: Dockerfiles (directories: Dockerfile, Containerfile, Dockerfile.*, *.Dockerfile)
 * through the image controls; each finding points at its file and the line of the instruction at fault.
 */
export async function scanDockerfiles(paths: readonly string[], opts: ScanOptions): Promise<Report> {
    const src = dockerfileSources(paths);
    const resources = dockerfileResources(src.files);
    const read: ReadResult = { resources, errors: [], ignored: new Counter(), sensitive: new Map() };
    const report = finish(`Dockerfiles (${plural(src.files.length, "file")})`, read, opts, src.errors);
    const byUrn = new Map(resources.map((r) => [r.urn, r.file as string]));
    return {
        ...report,
        findings: report.findings.map((f) => {
            const file = byUrn.get(f.resource.urn);
            if (file === undefined) return f;
            // The adapter names lines by the absolute path it read; show the path as given, and the line.
            const line = lineIn(f.message, file) ?? f.resource.line;
            const message = f.message.split(path.resolve(file)).join(file);
            return { ...f, message, resource: { ...f.resource, ...(line !== undefined ? { line } : {}) } };
        }),
    };
}

/** `scan docker`: every container of a live engine (and its daemon settings), or saved `docker inspect` output. */
export async function scanDocker(input: DockerScanInput, opts: ScanOptions): Promise<Report> {
    if (input.inspectFiles && input.inspectFiles.length > 0) {
        const src = await sources(input.inspectFiles, [".json"], opts);
        const read = readInspectFiles(src.texts);
        const target = `docker inspect output (${plural(src.texts.length, "file")}, ${plural(read.resources.length, "container")}${ignoredText(read)})`;
        return finish(target, read, opts, src.errors);
    }
    let engine;
    try {
        engine = connectEngine({ host: input.host, tls: input.tls, env: input.env, timeoutMs: input.timeoutMs });
    } catch (e) {
        const msg = e instanceof EngineError ? e.message : String(e);
        return { target: `docker engine ${input.host ?? ""}`.trim(), controls: 0, resources: 0, findings: [], errors: [msg] };
    }
    const read = await readEngine(engine);
    const daemon = read.info
        ? {
              info: read.info,
              resource: {
                  urn: `urn:stride-guard:docker-engine::${engine.endpoint}::docker:engine/daemon::daemon`,
                  type: "docker:engine/daemon",
                  name: engine.endpoint,
              },
          }
        : undefined;
    const target = `docker engine ${engine.endpoint} (${plural(read.resources.length, "container")})`;
    return finish(target, read, opts, [], daemon);
}

/** Whether a scan read nothing at all (only errors): the CLI's exit 2. */
export function readNothing(r: Report): boolean {
    return r.errors.length > 0 && r.resources === 0 && r.findings.length === 0;
}
