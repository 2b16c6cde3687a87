/**
 * redact() against a reference implementation written straight from its contract: one left-to-right pass,
 * the longest secret starting at each position is replaced, replaced text is never searched again, empty
 * secrets are ignored. Short lists (searched directly) and long ones (compiled into a trie) both.
 * Small alphabets, so that secrets overlap, share prefixes and nest. Fixed seed, bounded runs.
 */
import assert from "assert/strict";
import fc from "fast-check";
import { redact } from "stride-guard/lib/kernel/redact";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);
const SEED = Number(process.env.PROPERTY_SEED ?? 20261126);

function reference(message: string, secrets: readonly string[]): string {
    let out = "";
    let i = 0;
    while (i < message.length) {
        let best = "";
        for (const s of secrets) if (s.length > best.length && message.startsWith(s, i)) best = s;
        if (best === "") {
            out += message[i];
            i++;
        } else {
            out += "[secret]";
            i += best.length;
        }
    }
    return out;
}

/** Characters that collide a lot, including the token's own, a surrogate pair's halves and a non-ASCII one. */
const CHARS = ["a", "b", "c", "[", "]", "s", "e", "\ud83d", "\ude42", "é"];
const text = (max: number) => fc.array(fc.constantFrom(...CHARS), { maxLength: max }).map((cs) => cs.join(""));
/** Many distinct characters: long lists whose secrets start in too many ways to be skipped to with a pattern. */
const WIDE = Array.from({ length: 40 }, (_, i) => String.fromCharCode(0x41 + i));
const wideText = (min: number, max: number) => fc.array(fc.constantFrom(...WIDE, ...CHARS), { minLength: min, maxLength: max }).map((cs) => cs.join(""));

describe("property: redact", function () {
    this.timeout(120_000);

    for (const [name, min, max] of [
        ["short lists (up to 16 secrets)", 0, 16],
        ["long lists (17 to 60 secrets)", 17, 60],
    ] as const) {
        it(`matches the reference on ${name}`, () => {
            fc.assert(
                fc.property(fc.array(text(6), { minLength: min, maxLength: max }), fc.array(text(40), { minLength: 1, maxLength: 5 }), (secrets, messages) => {
                    for (const m of messages) assert.equal(redact(m, secrets), reference(m, secrets), JSON.stringify({ m, secrets }));
                }),
                { seed: SEED, numRuns: RUNS },
            );
        });
    }

    it("matches the reference on long lists of few beginnings (pairs), of one-character secrets, and of many beginnings", () => {
        const few = fc.tuple(fc.constantFrom("ab", "a[", "[s", "\ud83d\ude42", "\ude42a"), text(5)).map(([head, tail]) => head + tail);
        const lists = [
            fc.array(few, { minLength: 17, maxLength: 40 }),
            fc.tuple(fc.array(few, { minLength: 17, maxLength: 40 }), fc.constantFrom("a", "]", "\ude42")).map(([l, one]) => [...l, one]),
            fc.array(wideText(1, 6), { minLength: 17, maxLength: 80 }),
            fc.array(wideText(2, 6), { minLength: 17, maxLength: 80 }),
        ];
        for (const list of lists) {
            fc.assert(
                fc.property(list, fc.array(fc.oneof(text(60), wideText(0, 60)), { minLength: 1, maxLength: 4 }), (secrets, messages) => {
                    for (const m of messages) assert.equal(redact(m, secrets), reference(m, secrets), JSON.stringify({ m, secrets }));
                }),
                { seed: SEED, numRuns: RUNS },
            );
        }
    });

    it("matches the reference when messages embed the secrets themselves", () => {
        fc.assert(
            fc.property(
                fc.array(text(8), { minLength: 1, maxLength: 40 }),
                fc.array(fc.tuple(fc.nat(), text(4)), { minLength: 1, maxLength: 8 }),
                (secrets, parts) => {
                    const m = parts.map(([k, filler]) => secrets[k % secrets.length] + filler).join("");
                    assert.equal(redact(m, secrets), reference(m, secrets), JSON.stringify({ m, secrets }));
                },
            ),
            { seed: SEED, numRuns: RUNS },
        );
    });

    it("a long list that grows after use is compiled again", () => {
        const secrets = Array.from({ length: 20 }, (_, i) => `token-${i}-value`);
        assert.equal(redact("token-3-value and later", secrets), "[secret] and later");
        secrets.push("later");
        assert.equal(redact("token-3-value and later", secrets), "[secret] and [secret]");
    });

    it("keeps the longest match and never searches what it replaced, in both list sizes", () => {
        for (const pad of [[], Array.from({ length: 30 }, (_, i) => `unused-${i}`)]) {
            const secrets = ["se", "secret", "t]", "", ...pad];
            assert.equal(redact("secrets se t] x", secrets), "[secret]s [secret] [secret] x");
            assert.equal(redact("no match", secrets), "no match");
            assert.equal(redact("", secrets), "");
        }
    });
});
