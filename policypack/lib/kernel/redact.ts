/** Redaction: every occurrence of a secret in a message becomes [secret]. */
/**
 * Removes every secret from a message, in one left-to-right pass: at each position the longest secret
 * that starts there is replaced, and replaced text is never searched again (so a secret such as "sec"
 * cannot garble an earlier "[secret]"). Empty secrets are ignored.
 *
 * A short list (a resource's own secrets) is searched directly: one `indexOf` per secret finds whether
 * there is anything to replace at all, which is the common case. A long list (a whole stack's) is
 * compiled once into a trie (kept per list object while the list keeps its length): a candidate position
 * costs a table lookup and a walk down the trie as far as the text follows a secret; when the secrets begin
 * in few ways, a pattern of those beginnings skips the text in between.
 */
export function redact(message: string, secrets: readonly string[]): string {
    if (secrets.length === 0 || message.length === 0) return message;
    if (secrets.length <= SMALL_LIST) return redactShort(message, secrets);
    let trie = redactionTries.get(secrets);
    if (trie === undefined || trie.size !== secrets.length) {
        trie = compileSecrets(secrets);
        redactionTries.set(secrets, trie);
    }
    return redactWithTrie(message, trie);
}

const SECRET_TOKEN = "[secret]";
const SMALL_LIST = 16;

function redactShort(message: string, secrets: readonly string[]): string {
    // Where the first secret occurs, if any does.
    let from = -1;
    for (let k = 0; k < secrets.length; k++) {
        const s = secrets[k];
        if (s.length === 0) continue;
        const at = message.indexOf(s);
        if (at !== -1 && (from === -1 || at < from)) from = at;
    }
    if (from === -1) return message;
    let out = "";
    let last = 0;
    for (let i = from; i < message.length;) {
        const c = message.charCodeAt(i);
        let best = 0;
        for (let k = 0; k < secrets.length; k++) {
            const s = secrets[k];
            if (s.length > best && s.charCodeAt(0) === c && message.startsWith(s, i)) best = s.length;
        }
        if (best === 0) {
            i++;
            continue;
        }
        out += message.slice(last, i) + SECRET_TOKEN;
        i += best;
        last = i;
    }
    return out + message.slice(last);
}

/** A trie node: the one child most nodes have inline, a map when there are more; `end` when a secret ends here. */
interface TrieNode {
    char: number;
    child: TrieNode | undefined;
    more: Map<number, TrieNode> | undefined;
    end: boolean;
}

interface SecretTrie {
    /** The length of the list it was compiled from (a list that grew is compiled again). */
    readonly size: number;
    /**
     * By character code below 256: 1 + the index in `heads` of the node a secret starting with it leads to, 0 when
     * none does; `startHigh` the same for other codes (a full table would cost 128 KB per list).
     */
    readonly start: Uint32Array;
    readonly startHigh: Map<number, number> | undefined;
    readonly heads: readonly TrieNode[];
    /**
     * When the secrets start with few distinct pairs of characters (or, if one secret is a single character,
     * few distinct characters): a pattern of them, to skip to the next place where a secret can start.
     */
    readonly scan: RegExp | undefined;
    /** The length of what `scan` matches (2, or 1). */
    readonly scanLength: number;
}

/** Up to this many distinct two-character beginnings, candidates are found with a pattern (a short alternation). */
const FEW_BEGINNINGS = 16;

const redactionTries = new WeakMap<readonly string[], SecretTrie>();

function trieNode(): TrieNode {
    return { char: -1, child: undefined, more: undefined, end: false };
}

function childOf(node: TrieNode, c: number): TrieNode | undefined {
    return node.char === c ? node.child : node.more?.get(c);
}

function compileSecrets(secrets: readonly string[]): SecretTrie {
    const start = new Uint32Array(256);
    let startHigh: Map<number, number> | undefined;
    const heads: TrieNode[] = [];
    const pairs = new Set<string>();
    const singles = new Set<string>();
    let shortest = Infinity;
    for (const s of secrets) {
        if (s.length === 0) continue;
        shortest = Math.min(shortest, s.length);
        if (pairs.size <= FEW_BEGINNINGS) pairs.add(s.slice(0, 2));
        if (singles.size <= FEW_BEGINNINGS) singles.add(s[0]);
        const c0 = s.charCodeAt(0);
        let head = c0 < 256 ? start[c0] : (startHigh?.get(c0) ?? 0);
        if (head === 0) {
            heads.push(trieNode());
            head = heads.length;
            if (c0 < 256) start[c0] = head;
            else (startHigh ??= new Map()).set(c0, head);
        }
        let node = heads[head - 1];
        for (let j = 1; j < s.length; j++) {
            const c = s.charCodeAt(j);
            let next = childOf(node, c);
            if (next === undefined) {
                next = trieNode();
                if (node.child === undefined) {
                    node.char = c;
                    node.child = next;
                } else {
                    (node.more ??= new Map()).set(c, next);
                }
            }
            node = next;
        }
        node.end = true;
    }
    const beginnings = shortest >= 2 ? pairs : singles;
    const scan = beginnings.size > 0 && beginnings.size <= FEW_BEGINNINGS ? new RegExp([...beginnings].map(literally).join("|"), "g") : undefined;
    return { size: secrets.length, start, startHigh, heads, scan, scanLength: shortest >= 2 ? 2 : 1 };
}

/** A pattern matching exactly these code units (no `u` flag: lone surrogates stay themselves). */
function literally(text: string): string {
    let out = "";
    for (let i = 0; i < text.length; i++) out += "\\u" + text.charCodeAt(i).toString(16).padStart(4, "0");
    return out;
}

/** The length of the longest secret starting at `i` (0 when none does). */
function longestAt(message: string, i: number, trie: SecretTrie): number {
    const c = message.charCodeAt(i);
    const head = c < 256 ? trie.start[c] : (trie.startHigh?.get(c) ?? 0);
    if (head === 0) return 0;
    let node: TrieNode | undefined = trie.heads[head - 1];
    let best = node.end ? 1 : 0;
    for (let j = i + 1; j < message.length; j++) {
        node = childOf(node, message.charCodeAt(j));
        if (node === undefined) break;
        if (node.end) best = j - i + 1;
    }
    return best;
}

function redactWithTrie(message: string, trie: SecretTrie): string {
    const n = message.length;
    const scan = trie.scan;
    let out = "";
    let last = 0;
    let i = 0;
    while (i < n) {
        if (scan !== undefined) {
            // Positions before the next beginning of a secret cannot start one.
            scan.lastIndex = i;
            if (!scan.test(message)) break;
            i = scan.lastIndex - trie.scanLength;
        }
        const best = longestAt(message, i, trie);
        if (best === 0) {
            i++;
            continue;
        }
        out += message.slice(last, i) + SECRET_TOKEN;
        i += best;
        last = i;
    }
    return last === 0 ? message : out + message.slice(last);
}
