/**
 * YAML (and JSON, which the YAML parser reads too) documents with the line each starts on. Errors name
 * the file, line and column and say what is wrong, but never quote the input: a broken line may hold a
 * secret.
 */
import { Composer, CST, Document, isAlias, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, Node, Parser, YAMLError, YAMLMap } from "yaml";

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
    /** Lower bounds than the defaults (tests); MAX_TOKENS, MAX_DOCUMENTS and MAX_DOCUMENT_VALUES otherwise. */
    readonly limits?: { readonly tokens?: number; readonly documents?: number; readonly values?: number };
}

/**
 * At most this many values (scalars, mappings, sequences) in one document, counting what every alias stands
 * for as a copy: an alias is a pointer in memory, but what reads the document (a control walking a list, a
 * report) may visit it once per alias, so 999 aliases of a 2-million-element list is two billion values.
 */
export const MAX_DOCUMENT_VALUES = 1_000_000;
/**
 * At most this many lexical tokens per file (a token is a scalar, an indicator, a run of spaces or a line
 * break; a typical manifest has one per 2–10 bytes). The parser handles about 100,000–200,000 tokens a second
 * on a busy 2-core machine, so this bounds the parse of any file to well under a minute, whatever its shape.
 */
export const MAX_TOKENS = 4_000_000;
/** At most this many documents per file (`---` lines alone make a document each; Helm output has hundreds). */
export const MAX_DOCUMENTS = 100_000;

/** What a parse error is, in words that never quote the input (a message may otherwise carry an alias name or a tag). */
const PROBLEMS: Readonly<Record<string, string>> = {
    ALIAS_PROPS: "an alias cannot have an anchor or a tag",
    BAD_ALIAS: "an alias names no anchor defined before it",
    BAD_DIRECTIVE: "invalid directive",
    BAD_DQ_ESCAPE: "invalid escape in a double-quoted string",
    BAD_INDENT: "bad indentation",
    BAD_PROP_ORDER: "anchors and tags must come before the value",
    BAD_SCALAR_START: "a plain value cannot start with this character",
    BLOCK_AS_IMPLICIT_KEY: "a block collection cannot be an implicit key (nested mappings are not allowed in compact mappings)",
    BLOCK_IN_FLOW: "a block collection cannot be inside a flow collection",
    DUPLICATE_KEY: "a key appears twice in one mapping",
    KEY_OVER_1024_CHARS: "an implicit key is longer than 1024 characters",
    MISSING_CHAR: "a closing character is missing",
    MULTILINE_IMPLICIT_KEY: "an implicit key must be on one line",
    MULTIPLE_ANCHORS: "a value has more than one anchor",
    MULTIPLE_DOCS: "more than one document where one is expected",
    MULTIPLE_TAGS: "a value has more than one tag",
    NON_STRING_KEY: "a key is not a string",
    TAB_AS_INDENT: "a tab is used for indentation",
    TAG_RESOLVE_FAILED: "a tag cannot be resolved",
    UNEXPECTED_TOKEN: "unexpected token",
};

/** The words for a parse error, by its code. */
export function yamlProblem(e: unknown): string {
    if (e instanceof RangeError || (e instanceof Error && e.message.includes("Maximum call stack size exceeded"))) return "the document is nested too deeply";
    if (e instanceof YAMLError) return Object.prototype.hasOwnProperty.call(PROBLEMS, e.code) ? PROBLEMS[e.code] : e.code.toLowerCase().replace(/_/g, " ");
    if (e instanceof ReferenceError) return PROBLEMS.BAD_ALIAS; // toJS: "Unresolved alias … <name>"
    return "cannot be read";
}

/**
 * The number of values the document stands for with every alias expanded, stopping early past `limit`.
 * Linear in the document's nodes: what an anchored node stands for is counted once. "cycle" when an alias
 * refers to a node that contains it.
 */
export function expandedSize(doc: Document, limit: number): number | "cycle" {
    const byAnchor = new Map<Node, number>();
    const active = new Set<Node>();
    let cycle = false;
    const size = (n: unknown): number => {
        if (cycle) return limit + 1;
        if (isAlias(n)) {
            const target = n.resolve(doc) as Node | undefined;
            return target === undefined ? 1 : anchored(target);
        }
        if (isScalar(n) || n === null || n === undefined) return 1;
        if (isMap(n) || isSeq(n)) {
            if ((n as { anchor?: string }).anchor !== undefined) return anchored(n);
            return collection(n);
        }
        return 1;
    };
    const collection = (n: Node): number => {
        let total = 1;
        for (const it of (n as YAMLMap).items as unknown[]) {
            total += isPair(it) ? size(it.key) + size(it.value) : size(it);
            if (total > limit) return total;
        }
        return total;
    };
    const anchored = (n: Node): number => {
        const known = byAnchor.get(n);
        if (known !== undefined) return known;
        if (active.has(n)) {
            cycle = true;
            return limit + 1;
        }
        active.add(n);
        const s = isMap(n) || isSeq(n) ? collection(n) : 1;
        active.delete(n);
        byAnchor.set(n, s);
        return s;
    };
    const total = size(doc.contents);
    return cycle ? "cycle" : total;
}

/**
 * Keys repeated in a mapping, found with one set per mapping (the parser's own check compares every pair of
 * keys, which took 110 s for a mapping of 50,000 keys). The offset of the first repeated key, if any.
 */
function repeatedKey(root: unknown): number | undefined {
    const stack: unknown[] = [root];
    while (stack.length > 0) {
        const n = stack.pop();
        if (isMap(n)) {
            const seen = new Set<string>();
            for (const pair of n.items) {
                const k = pair.key;
                if (isScalar(k)) {
                    // `<<` merge keys (a symbol once parsed) may repeat: each merges another map, as the parser allows.
                    if (typeof k.value !== "symbol") {
                        const text = typeof k.value === "string" ? `s${k.value}` : `v${String(k.value)}`;
                        if (seen.has(text)) return k.range?.[0] ?? 0;
                        seen.add(text);
                    }
                } else if (k !== null) stack.push(k);
                stack.push(pair.value);
            }
        } else if (isSeq(n)) {
            for (const it of n.items) stack.push(it);
        }
    }
    return undefined;
}

class TooManyTokens extends Error {}

/** What `Parser.parse` yields, with the lexer's tokens counted so that a file's parse stops at MAX_TOKENS. */
function* boundedTokens(text: string, lines: LineCounter, max: number): Generator<CST.Token> {
    const parser = new Parser(lines.addNewLine);
    lines.addNewLine(0);
    let left = max;
    for (const lexeme of new Lexer().lex(text)) {
        if (--left < 0) throw new TooManyTokens();
        yield* parser.next(lexeme);
    }
    yield* parser.end();
}

/** Parses every document of a file; a broken document is reported and skipped, the others are kept. */
export function parseYamlFile(name: string, text: string, opts: YamlOptions): ParsedFile {
    const lines = new LineCounter();
    const documents: ParsedDocument[] = [];
    const errors: string[] = [];
    const what = /\.json$/i.test(name) ? "JSON" : "YAML";
    // Documents are composed one at a time and dropped once read: a stream of millions of `---` lines must not be
    // held as millions of Document objects.
    const composer = new Composer({ version: opts.version, merge: true, prettyErrors: false, keepSourceTokens: false, uniqueKeys: false });
    const maxTokens = opts.limits?.tokens ?? MAX_TOKENS;
    const maxDocuments = opts.limits?.documents ?? MAX_DOCUMENTS;
    const maxValues = opts.limits?.values ?? MAX_DOCUMENT_VALUES;
    let count = 0;
    try {
        for (const doc of composer.compose(boundedTokens(text, lines, maxTokens))) {
            if (++count > maxDocuments) {
                errors.push(`${name}: more than ${maxDocuments.toLocaleString("en-US")} documents; the rest of the file is not read`);
                break;
            }
            readDocument(doc as Document.Parsed);
        }
    } catch (e) {
        if (e instanceof TooManyTokens) errors.push(`${name}: more than ${maxTokens.toLocaleString("en-US")} YAML tokens; the file is not read (split it)`);
        else errors.push(`${name}: cannot parse: ${yamlProblem(e)}`);
        return { documents: [], errors, lines };
    }
    return { documents, errors, lines };

    function readDocument(doc: Document.Parsed): void {
        const startOffset = doc.contents?.range?.[0] ?? doc.range[0];
        const line = lines.linePos(startOffset).line;
        const skipped = `(the document starting at line ${line} is skipped)`;
        if (doc.errors.length > 0) {
            const e = doc.errors[0];
            const pos = lines.linePos(e.pos[0]);
            errors.push(`${name}:${pos.line}:${pos.col}: invalid ${what}: ${yamlProblem(e)} ${skipped}`);
            return;
        }
        const repeated = repeatedKey(doc.contents);
        if (repeated !== undefined) {
            const pos = lines.linePos(repeated);
            errors.push(`${name}:${pos.line}:${pos.col}: invalid ${what}: ${PROBLEMS.DUPLICATE_KEY} ${skipped}`);
            return;
        }
        const size = expandedSize(doc, maxValues);
        if (size === "cycle") {
            errors.push(`${name}:${line}: cannot read the document: an alias refers to a value that contains it`);
            return;
        }
        if (size > maxValues) {
            errors.push(
                `${name}:${line}: cannot read the document: it stands for more than ${maxValues.toLocaleString("en-US")} values with its aliases expanded (alias amplification?) ${skipped}`,
            );
            return;
        }
        let value: unknown;
        try {
            // The expanded size is bounded above, so the parser's own alias heuristic is not needed.
            value = doc.toJS({ maxAliasCount: -1 });
        } catch (e) {
            errors.push(`${name}:${line}: cannot read the document: ${yamlProblem(e)}`);
            return;
        }
        const comment = doc.commentBefore ?? (doc.contents as { commentBefore?: string } | null)?.commentBefore ?? undefined;
        documents.push({ value, line, node: doc.contents as Node | null, comment });
    }
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
