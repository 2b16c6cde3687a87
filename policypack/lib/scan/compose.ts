/**
 * Docker Compose files → one `compose:service` resource per service, at the line of its key under
 * `services`. Extension fields (`x-…`), anchors and merge keys (`<<: *defaults`) are resolved by the parser.
 */
import { COMPOSE_SERVICE } from "../adapters/docker/compose";
import { setOwn } from "../core/own";
import { SourceText } from "./sources";
import { childNode, keyLines, parseYamlFile } from "./yaml";
import { ReadResult } from "./kubernetes";
import { Counter, envEntryValues } from "./secrets";
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
        for (const [k, x] of Object.entries(v)) setOwn(out, k, interpolate(x, depth + 1));
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

export function readCompose(sources: readonly SourceText[]): ReadResult {
    const out: ReadResult & { logConfigs: DockerLogConfigModel[] } = {
        resources: [],
        errors: [],
        ignored: new Counter(),
        sensitive: new Map(),
        logConfigs: [],
    };
    for (const src of sources) {
        const parsed = parseYamlFile(src.name, src.text, { version: "1.2" });
        out.errors.push(...parsed.errors);
        const docs = parsed.documents.filter((d) => d.value !== null && d.value !== undefined);
        if (docs.length === 0 && parsed.errors.length === 0) out.errors.push(`${src.name}: the file is empty`);
        for (const doc of docs) {
            if (!isRecord(doc.value)) {
                out.errors.push(`${src.name}:${doc.line}: not a Compose file: the document is not a mapping`);
                continue;
            }
            const services = doc.value["services"];
            if (services === undefined || services === null) {
                out.errors.push(`${src.name}:${doc.line}: not a Compose file: no "services" (the v1 format without "services" is not supported)`);
                continue;
            }
            if (!isRecord(services)) {
                out.errors.push(`${src.name}:${doc.line}: "services" is not a mapping`);
                continue;
            }
            const lines = keyLines(childNode(doc.node, "services"), parsed.lines);
            for (const [name, svc] of Object.entries(services)) {
                const line = lines.get(name) ?? doc.line;
                const urn = `urn:stride-guard:compose::${src.name}::${COMPOSE_SERVICE}::${name}`;
                if (!isRecord(svc)) {
                    out.errors.push(`${src.name}:${line}: service "${name.replace(/[^\w.-]/g, "?")}" is not a mapping; it is skipped`);
                    continue;
                }
                const props = interpolateService(svc);
                const env = envEntryValues(props["environment"]).filter((e) => e !== UNKNOWN_SENTINEL);
                if (env.length > 0) out.sensitive.set(urn, env);
                out.resources.push({ type: COMPOSE_SERVICE, name, urn, props, file: src.name, line });
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
        }
    }
    return out;
}
