/**
 * Docker Compose files → one `compose:service` resource per service, at the line of its key under
 * `services`. Extension fields (`x-…`), anchors and merge keys (`<<: *defaults`) are resolved by the parser.
 */
import { COMPOSE_SERVICE } from "../adapters/docker/compose";
import { SourceText } from "./sources";
import { childNode, keyLines, parseYamlFile } from "./yaml";
import { ReadResult } from "./kubernetes";
import { Counter, envEntryValues } from "./secrets";

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

export function readCompose(sources: readonly SourceText[]): ReadResult {
    const out: ReadResult = { resources: [], errors: [], ignored: new Counter(), sensitive: new Map() };
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
                const env = envEntryValues(svc["environment"]);
                if (env.length > 0) out.sensitive.set(urn, env);
                out.resources.push({ type: COMPOSE_SERVICE, name, urn, props: svc, file: src.name, line });
            }
        }
    }
    return out;
}
