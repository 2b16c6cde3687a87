import assert from "assert/strict";
import fc from "fast-check";
import { compileGlob, GlobWork, globTest } from "stride-guard/lib/kernel/glob";
import { globMatch } from "stride-guard/lib/engine/settings";
import { matchesAny } from "stride-guard/lib/controls/docker/docker-container-env-secrets";

/** The textbook dynamic program: match[i][j] = pattern[0..i) matches name[0..j). Slow, obviously right. */
function reference(pattern: string, name: string): boolean {
    let prev = new Array<boolean>(name.length + 1).fill(false);
    prev[0] = true;
    for (let i = 1; i <= pattern.length; i++) {
        const cur = new Array<boolean>(name.length + 1).fill(false);
        const p = pattern[i - 1];
        if (p === "*") cur[0] = prev[0];
        for (let j = 1; j <= name.length; j++) cur[j] = p === "*" ? cur[j - 1] || prev[j] : prev[j - 1] && p === name[j - 1];
        prev = cur;
    }
    return prev[name.length];
}

/** Small alphabets make matches, near misses and overlapping parts likely. */
const text = (chars: string[], maxLength: number) => fc.string({ unit: fc.constantFrom(...chars), maxLength });

describe("kernel/glob", () => {
    it("agrees with a reference matcher on patterns and names of a small alphabet", () => {
        fc.assert(
            fc.property(text(["a", "b", "-", "*"], 10), text(["a", "b", "-"], 16), (pattern, name) => {
                assert.equal(globMatch(pattern, name), reference(pattern, name), `${JSON.stringify(pattern)} ~ ${JSON.stringify(name)}`);
            }),
            { seed: 20261202, numRuns: 3000 },
        );
    });

    it("treats every character but * literally", () => {
        assert.ok(globMatch("a.b?[c]{d}(e)|\\+^$", "a.b?[c]{d}(e)|\\+^$"));
        assert.ok(!globMatch("a.b", "axb"));
        assert.ok(globMatch("*", ""));
        assert.ok(globMatch("**", "x"));
        assert.ok(!globMatch("", "x"));
        assert.ok(globMatch("ab*ab", "abab"));
        assert.ok(!globMatch("ab*ab", "aba"));
    });

    it("does work linear in the name: *-*-*-*-*-*-*-canary against 120 dashes and other adversarial shapes", () => {
        const cases: [string, string][] = [
            ["*-*-*-*-*-*-*-canary", "-".repeat(120)],
            ["*-*-*-*-*-*-*-canary", "a" + "-".repeat(100_000) + "b"],
            ["*aaaaaaaaab*", "a".repeat(100_000)],
            ["*abababac*", "ab".repeat(50_000)],
            ["*" + "a*".repeat(50) + "b", "a".repeat(100_000)],
        ];
        for (const [pattern, name] of cases) {
            const work: GlobWork = { steps: 0 };
            assert.equal(globTest(compileGlob(pattern), name, work), false, pattern);
            // KMP never moves back in the name: each character costs one comparison plus amortised failure steps.
            assert.ok(work.steps <= 2 * name.length, `${pattern}: ${work.steps} steps for ${name.length} characters`);
        }
        assert.equal(globMatch("*-*-*-*-*-*-*-canary", "-".repeat(120)), false);
        assert.equal(globMatch("*-*-*-*-*-*-*-canary", "-".repeat(120) + "canary"), true);
    });

    it("matches credential-name patterns of the env-secrets control the same way, case-insensitively", () => {
        fc.assert(
            fc.property(fc.array(text(["a", "B", "_", "*"], 8), { maxLength: 4 }), text(["A", "B", "_"], 12), (patterns, upper) => {
                assert.equal(
                    matchesAny(patterns, upper),
                    patterns.some((p) => reference(p.toUpperCase(), upper)),
                );
            }),
            { seed: 20261202, numRuns: 1000 },
        );
        assert.equal(matchesAny(["*_*_*_*_*_*_*_KEY"], "_".repeat(200)), false);
    });
});
