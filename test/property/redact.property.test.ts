/**
 * redact() against a reference implementation written straight from its contract (kernel/redact.ts): a secret
 * is replaced where it fills a value position — the whole text between two double quotes, with `names` also
 * the part of a quoted value before its first `/` or after its last, or a number standing alone — longest
 * first, left to right; everything else (prose, names, paths) is left as it is. Small alphabets, so that
 * secrets overlap, nest and hold the delimiters themselves. Fixed seed, bounded runs.
 */
import assert from "assert/strict";
import fc from "fast-check";
import { redact } from "stride-guard/lib/kernel/redact";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);
const SEED = Number(process.env.PROPERTY_SEED ?? 20261126);

/** Every (start, end) of a value position whose text is a secret, by brute force over all pairs. */
function reference(text: string, secrets: readonly string[], names: boolean): string {
    const set = new Set(secrets.filter((s) => s !== ""));
    const isDelim = (i: number) => text[i] === '"' || (names && text[i] === "/");
    const cuts: [number, number][] = [];
    let after = -1;
    for (let i = 0; i < text.length; i++) {
        if (!isDelim(i) || i < after) continue;
        let best = -1;
        for (let j = i + 1; j < text.length; j++) {
            if (!isDelim(j)) continue;
            if (text[i] !== '"' && text[j] !== '"') continue;
            if (j > i + 1 && set.has(text.slice(i + 1, j))) best = j;
        }
        if (best !== -1) {
            cuts.push([i + 1, best]);
            after = best;
        }
    }
    for (const m of text.matchAll(/-?\d+(?:\.\d+)*/g)) {
        const s = m.index ?? 0;
        const e = s + m[0].length;
        if (/[\w.]/.test(text[s - 1] ?? "") || /\w/.test(text[e] ?? "") || (text[e] === "." && /\d/.test(text[e + 1] ?? ""))) continue;
        if (set.has(m[0]) && !cuts.some(([a, b]) => s < b && e > a)) cuts.push([s, e]);
    }
    cuts.sort((x, y) => x[0] - y[0]);
    let out = "";
    let from = 0;
    for (const [s, e] of cuts) {
        if (s < from) continue;
        out += text.slice(from, s) + "[secret]";
        from = e;
    }
    return out + text.slice(from);
}

/** Characters that collide a lot: the delimiters, digits, a dot, the token's own, a surrogate pair's halves. */
const CHARS = ['"', '"', "/", "a", "b", "1", "2", ".", "-", " ", "[", "\ud83d", "\ude42", "é"];
const text = (max: number) => fc.array(fc.constantFrom(...CHARS), { maxLength: max }).map((cs) => cs.join(""));

describe("property: redact", function () {
    this.timeout(120_000);

    for (const names of [false, true]) {
        it(`matches the reference${names ? " with names" : ""}, for short and long lists`, () => {
            fc.assert(
                fc.property(fc.array(text(5), { minLength: 0, maxLength: 40 }), fc.array(text(40), { minLength: 1, maxLength: 5 }), (secrets, messages) => {
                    for (const m of messages) assert.equal(redact(m, secrets, names), reference(m, secrets, names), JSON.stringify({ m, secrets }));
                }),
                { seed: SEED, numRuns: RUNS },
            );
        });

        it(`matches the reference when messages quote the secrets themselves${names ? " (with names)" : ""}`, () => {
            fc.assert(
                fc.property(
                    fc.array(text(6), { minLength: 1, maxLength: 20 }),
                    fc.array(fc.tuple(fc.nat(), text(4), fc.boolean()), { minLength: 1, maxLength: 8 }),
                    (secrets, parts) => {
                        const m = parts
                            .map(([k, filler, quoted]) => (quoted ? `"${secrets[k % secrets.length]}"` : secrets[k % secrets.length]) + filler)
                            .join("");
                        assert.equal(redact(m, secrets, names), reference(m, secrets, names), JSON.stringify({ m, secrets }));
                    },
                ),
                { seed: SEED, numRuns: RUNS },
            );
        });
    }

    it("a secret shown as a value never survives, whatever surrounds it; outside value positions nothing changes", () => {
        const word = fc.stringMatching(/^[a-z][a-z0-9-]{2,12}$/);
        fc.assert(
            fc.property(word, word, word, (secret, prose, name) => {
                const msg = `Pod "${name}/${secret}" in ${prose}: is "${secret}", so the ${secret} filesystem; ${secret}d and ${name}-${secret}.yaml`;
                const out = redact(msg, [secret], true);
                assert.ok(out.includes(`is "[secret]"`) && out.includes(`"${secret === name ? "[secret]" : name}/[secret]"`), out);
                // The unquoted, joined and prefixed uses are words, names and paths: kept.
                assert.ok(out.endsWith(`so the ${secret} filesystem; ${secret}d and ${name}-${secret}.yaml`), out);
            }),
            { seed: SEED, numRuns: RUNS },
        );
    });

    it("a list that grows after use is read again", () => {
        const secrets = Array.from({ length: 20 }, (_, i) => `token-${i}-value`);
        assert.equal(redact('is "token-3-value" and "later"', secrets), 'is "[secret]" and "later"');
        secrets.push("later");
        assert.equal(redact('is "token-3-value" and "later"', secrets), 'is "[secret]" and "[secret]"');
    });
});
