/**
 * YAML (and JSON, which the YAML parser reads too) documents with the line each starts on. Errors name
 * the file, line and column and say what is wrong, but never quote the input: a broken line may hold a
 * secret.
 */
import { Document, isMap, isSeq, LineCounter, Node, parseAllDocuments, YAMLMap } from "yaml";

export interface ParsedDocument {
    /** The document's value as plain data (null for an empty document). */
    readonly value: unknown;
    /** 1-based line of the document's content (after `---` and leading comments). */
    readonly line: number;
    /** The root node, to find the lines of nested entries. */
    readonly node: Node | null;
    /** The comment before the document's content (Helm writes `# Source: chart/templates/x.yaml` there). */
    readonly comment: string | undefined;
}

export interface ParsedFile {
    readonly documents: readonly ParsedDocument[];
    readonly errors: readonly string[];
    readonly lines: LineCounter;
}

export interface YamlOptions {
    /** "1.1" for Kubernetes (go-yaml v2 semantics: yes/no booleans, merge keys), "1.2" for Compose. */
    readonly version: "1.1" | "1.2";
}

/** At most this many alias expansions per document (billion-laughs protection). */
const MAX_ALIASES = 1000;

function firstLine(s: string): string {
    if (s.includes("Maximum call stack size exceeded")) return "the document is nested too deeply";
    const l = s.split("\n")[0].trim();
    return l.replace(/ at line \d+, column \d+:?$/, "");
}

/** Parses every document of a file; a broken document is reported and skipped, the others are kept. */
export function parseYamlFile(name: string, text: string, opts: YamlOptions): ParsedFile {
    const lines = new LineCounter();
    const documents: ParsedDocument[] = [];
    const errors: string[] = [];
    let docs: Document.Parsed[];
    try {
        docs = parseAllDocuments(text, {
            lineCounter: lines,
            version: opts.version,
            merge: true,
            prettyErrors: false,
            keepSourceTokens: false,
        }) as Document.Parsed[];
    } catch (e) {
        return { documents, errors: [`${name}: cannot parse: ${e instanceof Error ? firstLine(e.message) : "error"}`], lines };
    }
    if (!Array.isArray(docs)) return { documents, errors, lines }; // an empty stream
    for (const doc of docs) {
        const startOffset = doc.contents?.range?.[0] ?? doc.range[0];
        const line = lines.linePos(startOffset).line;
        if (doc.errors.length > 0) {
            const e = doc.errors[0];
            const pos = lines.linePos(e.pos[0]);
            errors.push(
                `${name}:${pos.line}:${pos.col}: invalid ${/\.json$/i.test(name) ? "JSON" : "YAML"}: ${firstLine(e.message)} (the document starting at line ${line} is skipped)`,
            );
            continue;
        }
        let value: unknown;
        try {
            value = doc.toJS({ maxAliasCount: MAX_ALIASES });
        } catch (e) {
            errors.push(`${name}:${line}: cannot read the document: ${e instanceof Error ? firstLine(e.message) : "error"}`);
            continue;
        }
        const comment = doc.commentBefore ?? (doc.contents as { commentBefore?: string } | null)?.commentBefore ?? undefined;
        documents.push({ value, line, node: doc.contents as Node | null, comment });
    }
    return { documents, errors, lines };
}

/** The node under `key` of a mapping node, if any. */
export function childNode(node: Node | null | undefined, key: string): Node | undefined {
    if (!node || !isMap(node)) return undefined;
    const v = (node as YAMLMap).get(key, true);
    return v && typeof v === "object" && "range" in (v as object) ? (v as Node) : undefined;
}

/** Lines of the entries of a sequence node (undefined entries when unknown). */
export function itemLines(node: Node | undefined, lines: LineCounter): (number | undefined)[] {
    if (!node || !isSeq(node)) return [];
    return node.items.map((n) => {
        const r = (n as Node | null)?.range;
        return r ? lines.linePos(r[0]).line : undefined;
    });
}

/** Lines of the keys of a mapping node, by key. */
export function keyLines(node: Node | undefined, lines: LineCounter): Map<string, number> {
    const out = new Map<string, number>();
    if (!node || !isMap(node)) return out;
    for (const pair of node.items) {
        const k = pair.key as Node | null;
        const key = k && "value" in k ? String((k as { value: unknown }).value) : undefined;
        if (key !== undefined && k?.range) out.set(key, lines.linePos(k.range[0]).line);
    }
    return out;
}

/** A Helm `# Source: chart/templates/x.yaml` comment's path. */
export function helmSource(comment: string | undefined): string | undefined {
    if (!comment) return undefined;
    const m = /^\s*Source:\s*(\S+)\s*$/m.exec(comment);
    return m ? m[1] : undefined;
}
