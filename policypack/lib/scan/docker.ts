/**
 * Docker containers as the engine reports them: live (`GET /containers/json?all=1`, then
 * `GET /containers/{id}/json` for each, i.e. `docker inspect`) or from saved `docker inspect` output.
 * Each becomes a `docker:engine/container` resource; `GET /info` gives the daemon's own settings.
 */
import { AnalyzedResource } from "../engine/analyze";
import { ENGINE_CONTAINER, inspectName } from "../adapters/docker/inspect";
import { Engine, EngineError, mapLimit } from "./engine";
import { ReadResult } from "./kubernetes";
import { Counter, envEntryValues } from "./secrets";
import { SourceText } from "./sources";
import { itemLines, parseYamlFile } from "./yaml";
import { DocumentPositions } from "./positions";
import { logDriver, logOptions } from "./daemon";
import { printable } from "../kernel/text";

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function isContainer(v: Record<string, unknown>): boolean {
    return isRecord(v["HostConfig"]) && isRecord(v["Config"]);
}

/** What a non-container inspect object is, for the ignored count. */
function whatIs(v: unknown): string {
    if (!isRecord(v)) return "not an inspect object";
    if ("RootFS" in v || "RepoTags" in v) return "image";
    if ("IPAM" in v) return "network";
    if ("Mountpoint" in v) return "volume";
    return "not a container";
}

function containerResource(
    out: { -readonly [K in keyof ReadResult]: ReadResult[K] },
    obj: Record<string, unknown>,
    urnBase: string,
    file?: string,
    line?: number,
    locate?: AnalyzedResource["locate"],
): void {
    const id = typeof obj["Id"] === "string" ? obj["Id"] : "";
    // Names come from the engine: no escape sequence of theirs reaches a terminal through a finding.
    const name = printable(inspectName(obj, id.slice(0, 12) || "container"), { max: 256 });
    const urn = `urn:stride-guard:docker-engine::${urnBase}::${ENGINE_CONTAINER}::${name}${id ? `::${id.slice(0, 12)}` : ""}`;
    const env = envEntryValues((obj["Config"] as Record<string, unknown>)["Env"]);
    if (env.length > 0) out.sensitive.set(urn, env);
    const r: AnalyzedResource = { type: ENGINE_CONTAINER, name, urn, props: obj, ...(file ? { file, line } : {}), ...(locate ? { locate } : {}) };
    out.resources.push(r);
    const lc = isRecord(obj["HostConfig"]) ? obj["HostConfig"]["LogConfig"] : undefined;
    (out.logConfigs ??= []).push({
        urn,
        resourceName: name,
        label: `Docker container "${name}"`,
        // What the engine reports is the effective configuration: the daemon's defaults are merged in at create time.
        driver: logDriver(isRecord(lc) ? lc["Type"] : undefined),
        opts: logOptions(isRecord(lc) ? lc["Config"] : undefined),
        paths: { driver: "HostConfig.LogConfig.Type", opts: "HostConfig.LogConfig.Config" },
        provider: undefined,
    });
}

/** Saved `docker inspect` output: a JSON array of inspect objects (a single object is accepted too). */
export function readInspectFiles(sources: readonly SourceText[]): ReadResult {
    const out: ReadResult = { resources: [], errors: [], ignored: new Counter(), sensitive: new Map() };
    for (const src of sources) {
        const parsed = parseYamlFile(src.name, src.text, { version: "1.2" });
        out.errors.push(...parsed.errors.map((e) => e.replace(": invalid YAML:", ": invalid JSON:")));
        for (const doc of parsed.documents) {
            const list = Array.isArray(doc.value) ? doc.value : doc.value === null ? [] : [doc.value];
            const lines = Array.isArray(doc.value) ? itemLines(doc.node ?? undefined, parsed.lines) : [doc.line];
            if (list.length === 0 && parsed.documents.length === 1) out.errors.push(`${src.name}: holds no inspect objects`);
            const positions = new DocumentPositions(doc.node, parsed.lines);
            const nodes = Array.isArray(doc.value) ? ((doc.node as { items?: unknown[] } | null)?.items ?? []) : [doc.node];
            list.forEach((v, i) => {
                const node = nodes[i] as Parameters<DocumentPositions["locator"]>[0];
                const start = node?.range ? positions.positionAt(node.range[0]) : { line: lines[i] ?? doc.line, column: 1 };
                if (isRecord(v) && isContainer(v)) containerResource(out, v, src.name, src.name, lines[i] ?? doc.line, positions.locator(node, start));
                else out.ignored.add(whatIs(v));
            });
        }
    }
    return out;
}

export interface EngineRead extends ReadResult {
    /** `GET /info`, when the engine answered it. */
    readonly info?: Record<string, unknown>;
}

/** Every container of the engine, running or not, and its /info. */
export async function readEngine(engine: Engine): Promise<EngineRead> {
    const out: ReadResult = { resources: [], errors: [], ignored: new Counter(), sensitive: new Map() };
    let list: unknown;
    try {
        list = await engine.get("/containers/json?all=1");
    } catch (e) {
        out.errors.push(e instanceof EngineError ? e.message : `cannot list containers at ${engine.endpoint}: ${String(e)}`);
        return out;
    }
    if (!Array.isArray(list)) {
        out.errors.push(`the Docker engine at ${engine.endpoint} answered /containers/json with something that is not a list`);
        return out;
    }
    const ids = list.map((c) => (isRecord(c) && typeof c["Id"] === "string" && /^[0-9a-f]{12,64}$/.test(c["Id"]) ? c["Id"] : undefined));
    const inspected = await mapLimit(ids, 8, async (id) => {
        if (id === undefined) return { error: `the Docker engine at ${engine.endpoint} listed a container without a valid id` };
        try {
            return { doc: await engine.get(`/containers/${id}/json`) };
        } catch (e) {
            // Removed between the list and the inspect: nothing to check.
            if ((e as { status?: number }).status === 404) return {};
            return { error: e instanceof Error ? e.message : String(e) };
        }
    });
    for (const r of inspected) {
        if ("error" in r && r.error) out.errors.push(r.error);
        else if ("doc" in r && isRecord(r.doc) && isContainer(r.doc)) containerResource(out, r.doc, engine.endpoint);
        else if ("doc" in r) out.errors.push(`the Docker engine at ${engine.endpoint} returned an inspect object without HostConfig/Config`);
    }
    let info: Record<string, unknown> | undefined;
    try {
        const i = await engine.get("/info");
        if (isRecord(i)) info = i;
    } catch (e) {
        out.errors.push(e instanceof Error ? e.message : String(e));
    }
    // Past the scan's deadline or size cap every remaining request fails the same way: say it once.
    return { ...out, errors: [...new Set(out.errors)], ...(info ? { info } : {}) };
}
