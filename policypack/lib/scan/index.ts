/**
 * `scan`: the controls over what already exists — Kubernetes manifests, Compose files, a Docker engine's
 * containers (live or saved `docker inspect` output) — through the same in-process analysis as `check`.
 *
 * Every input is read on its own: one that cannot be read (missing, invalid YAML, a dead engine) becomes
 * an entry of `Report.errors` that names it, and the rest are still scanned. Messages and errors are
 * redacted with the values a source marks as sensitive (env values, Secret payloads).
 */
import { Control } from "../core/control";
import { analyze } from "../check/analyze";
import { Report, ReportFinding } from "../check/report";
import { PolicyConfigEntry } from "../config/reconcile";
import { explainUnknown, readCompose } from "./compose";
import { checkDockerPlatform, FindingResource, PlatformInput } from "./daemon";
import { readEngine, readInspectFiles } from "./docker";
import { connectEngine, EngineError, EngineOptions, TlsPaths } from "./engine";
import { readKubernetes, ReadResult } from "./kubernetes";
import { redactAll } from "./secrets";
import { readSources, readStream, SourceText } from "./sources";

export interface ScanOptions {
    readonly controls: readonly Control[];
    /** Reconciled policy config (`loadPolicyConfig`); undefined means every default. */
    readonly config?: Readonly<Record<string, PolicyConfigEntry>>;
    /** Reads `-` (default: process.stdin). */
    readonly stdin?: () => Promise<string>;
}

export interface DockerScanInput {
    /** Engine address; default DOCKER_HOST, else unix:///var/run/docker.sock. */
    readonly host?: string;
    readonly tls?: TlsPaths;
    /** Saved `docker inspect` output files instead of a live engine. */
    readonly inspectFiles?: readonly string[];
    readonly env?: NodeJS.ProcessEnv;
    readonly timeoutMs?: number;
    /** Deadlines and size caps of the engine's answers (ENGINE_LIMITS by default). */
    readonly limits?: Pick<EngineOptions, "responseDeadlineMs" | "scanDeadlineMs" | "maxResponseBytes" | "maxTotalBytes">;
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
): Promise<{ texts: readonly SourceText[]; errors: readonly string[] }> {
    return readSources(paths, exts, stdinOf(opts));
}

/** `scan k8s PATH…`: files, directories (*.yaml, *.yml, *.json, recursively) and `-`. */
export async function scanKubernetes(paths: readonly string[], opts: ScanOptions): Promise<Report> {
    const src = await sources(paths, KUBERNETES_EXTENSIONS, opts);
    const read = readKubernetes(src.texts);
    const target = `kubernetes manifests (${plural(src.texts.length, "file")}, ${plural(read.resources.length, "object")}${ignoredText(read)})`;
    return finish(target, read, opts, src.errors);
}

/** `scan compose PATH…`: Compose files (directories: *.yaml, *.yml) and `-`. */
export async function scanCompose(paths: readonly string[], opts: ScanOptions): Promise<Report> {
    const src = await sources(paths, COMPOSE_EXTENSIONS, opts);
    const read = readCompose(src.texts);
    const target = `compose files (${plural(src.texts.length, "file")}, ${plural(read.resources.length, "service")})`;
    const report = finish(target, read, opts, src.errors);
    return { ...report, findings: report.findings.map((f) => (f.unknown ? { ...f, message: explainUnknown(f.message, f.resource.name) } : f)) };
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
        engine = connectEngine({ host: input.host, tls: input.tls, env: input.env, timeoutMs: input.timeoutMs, ...input.limits });
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
