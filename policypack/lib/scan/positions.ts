/**
 * Where a field of a resource is written in its file: the line and column of a source path such as
 * `spec.template.spec.containers[1].resources.limits.memory` (or a Compose service's `deploy.resources`), read
 * from the parsed YAML nodes. A field that is not written (a missing setting) is placed at its nearest written
 * ancestor, then at the resource itself.
 *
 * The cost stays linear in the document: the keys of a mapping are indexed once, on its first lookup, and the
 * anchors of a document once, on its first alias; a lookup then costs one step per segment of the path.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Node, Pair } from "yaml";
import type { SourcePosition } from "../engine/analyze";

type Key = string | number;

/** At most this many segments of a path are followed (adapters write paths a dozen segments deep). */
const MAX_SEGMENTS = 64;

/**
 * The leading segments of a source path: `a.b`, `[3]`, `["key.with.dots"]`. Parsing stops at the first thing
 * that is not a segment (a stack control's `file:line`, a description after the path), so what can be resolved is.
 */
export function pathKeys(path: string): Key[] {
    const keys: Key[] = [];
    let i = 0;
    const n = path.length;
    while (i < n && keys.length < MAX_SEGMENTS) {
        const c = path[i];
        if (c === "[") {
            if (path[i + 1] === '"') {
                const end = path.indexOf('"]', i + 2);
                if (end < 0) break;
                keys.push(path.slice(i + 2, end));
                i = end + 2;
            } else {
                let j = i + 1;
                while (j < n && j - i <= 10 && path[j] >= "0" && path[j] <= "9") j++;
                if (j === i + 1 || path[j] !== "]") break;
                keys.push(Number(path.slice(i + 1, j)));
                i = j + 1;
            }
        } else if (c === "." && keys.length > 0 && i + 1 < n && path[i + 1] !== "." && path[i + 1] !== "[") {
            i++;
            let j = i;
            while (j < n && !SEGMENT_END.has(path[j])) j++;
            if (j === i) break;
            keys.push(path.slice(i, j));
            i = j;
        } else if (keys.length === 0 && !SEGMENT_END.has(c)) {
            let j = i;
            while (j < n && !SEGMENT_END.has(path[j])) j++;
            keys.push(path.slice(i, j));
            i = j;
        } else break;
    }
    return keys;
}

const SEGMENT_END = new Set([".", "[", "]", '"', " ", "\t", "\n", "\r", ":", ","]);

/**
 * One parsed YAML document's positions. Several resources may share it (the items of a `List`), each with its own
 * root node (see `locator`).
 */
export class DocumentPositions {
    private readonly keyIndex = new WeakMap<Node, Map<string, Pair>>();
    private anchors: Map<string, Node[]> | undefined;

    constructor(
        private readonly root: Node | null | undefined,
        private readonly lines: LineCounter,
    ) {}

    /** The position of an offset of the file. */
    positionAt(offset: number): SourcePosition {
        const p = this.lines.linePos(offset);
        return { line: p.line, column: p.col };
    }

    /** Where `node` starts, if it has a range. */
    private startOf(node: unknown): SourcePosition | undefined {
        const r = (node as { range?: readonly number[] } | null | undefined)?.range;
        return r ? this.positionAt(r[0]) : undefined;
    }

    /**
     * Finds `path` under `node`: the position of the deepest segment written in the file (a key's own position,
     * a sequence item's start), or `start` when not even the first segment is.
     */
    find(node: Node | null | undefined, path: string, start: SourcePosition): SourcePosition {
        return this.findKeys(node, pathKeys(path), start);
    }

    /** `find` with the path already split into keys. */
    findKeys(node: Node | null | undefined, keys: readonly Key[], start: SourcePosition): SourcePosition {
        let at = start;
        let cur: unknown = node;
        for (const key of keys) {
            cur = this.deref(cur);
            if (typeof key === "number") {
                if (!isSeq(cur) || key >= cur.items.length) break;
                cur = cur.items[key];
                at = this.startOf(cur) ?? at;
            } else {
                if (!isMap(cur)) break;
                const pair = this.indexOf(cur).get(key);
                if (pair === undefined) break;
                at = this.startOf(pair.key) ?? this.startOf(pair.value) ?? at;
                cur = pair.value;
            }
        }
        return at;
    }

    /** A resource rooted at `node` (the document's content, a `List` item, a Compose service), placed at `start` when a path is not found. */
    locator(node: Node | null | undefined, start: SourcePosition): (path: string | undefined) => SourcePosition {
        return (path) => (path === undefined || path === "" ? start : this.find(node, path, start));
    }

    /** The node an alias stands for: the last node anchored with its name before it. */
    private deref(n: unknown): unknown {
        if (!isAlias(n)) return n;
        const candidates = this.anchorIndex().get(n.source);
        if (!candidates) return undefined;
        const before = n.range?.[0] ?? Infinity;
        let found: Node | undefined;
        for (const c of candidates) if ((c.range?.[0] ?? Infinity) < before) found = c; // in document order
        return found;
    }

    /** Anchored nodes by name, in document order: one walk of the document, done at the first alias met. */
    private anchorIndex(): Map<string, Node[]> {
        if (this.anchors) return this.anchors;
        const anchors = new Map<string, Node[]>();
        const stack: unknown[] = [this.root];
        const found: Node[] = [];
        while (stack.length > 0) {
            const n = stack.pop();
            if (n === null || n === undefined || typeof n !== "object") continue;
            const anchor = (n as { anchor?: unknown }).anchor;
            if (typeof anchor === "string" && !isAlias(n)) found.push(n as Node);
            if (isMap(n)) {
                for (const p of n.items) stack.push(p.key, p.value);
            } else if (isSeq(n)) {
                for (const it of n.items) stack.push(it);
            }
        }
        found.sort((a, b) => (a.range?.[0] ?? 0) - (b.range?.[0] ?? 0));
        for (const n of found) {
            const name = (n as { anchor?: string }).anchor as string;
            const list = anchors.get(name);
            if (list) list.push(n);
            else anchors.set(name, [n]);
        }
        return (this.anchors = anchors);
    }

    /**
     * The entries of a mapping by key, built once per mapping: its own keys, then (for keys it does not write)
     * those of the mappings it merges with `<<`, the first merged mapping first, as the parser resolves them.
     */
    private indexOf(map: Node, depth = 0): Map<string, Pair> {
        const known = this.keyIndex.get(map);
        if (known) return known;
        const index = new Map<string, Pair>();
        this.keyIndex.set(map, index); // a merge that leads back here (rejected by the parser anyway) finds it empty
        const merged: unknown[] = [];
        for (const pair of (map as unknown as { items: unknown[] }).items) {
            if (!isPair(pair)) continue;
            const k = pair.key;
            if (isScalar(k) && typeof k.value === "symbol") {
                const v = this.deref(pair.value);
                if (isSeq(v)) for (const it of v.items) merged.push(this.deref(it));
                else merged.push(v);
                continue;
            }
            const name = isScalar(k) ? String(k.value) : undefined;
            if (name !== undefined && !index.has(name)) index.set(name, pair as Pair);
        }
        if (depth < 32) {
            for (const m of merged) {
                if (!isMap(m)) continue;
                for (const [name, pair] of this.indexOf(m, depth + 1)) if (!index.has(name)) index.set(name, pair);
            }
        }
        return index;
    }
}
