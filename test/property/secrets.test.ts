/**
 * Secrets planted in every input field the controls read never appear in any message, report,
 * JSON or text output, on the in-process paths: check, scan, the library. (The pack over gRPC:
 * test/pack/wire-secrets.test.ts.)
 */
import assert from "assert/strict";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { analyze } from "stride-guard/lib/engine/analyze";
import { formatText } from "stride-guard/lib/check/report";
import { seeds } from "./hostile";
import { secret, urnOf } from "../support/run-control";

function leaves(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out.push(prefix);
    else if (Array.isArray(v)) v.forEach((x, i) => leaves(x, [...prefix, i], out));
    else if (v && typeof v === "object" && !("4dabf18193072939515e22adb298388d" in v))
        for (const k of Object.keys(v)) leaves((v as Record<string, unknown>)[k], [...prefix, k], out);
    return out;
}

function replaced(root: unknown, path: (string | number)[], value: unknown): unknown {
    if (path.length === 0) return value;
    const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<string | number, unknown>;
    copy[path[0]] = replaced(copy[path[0]], path.slice(1), value);
    return copy;
}

describe("secrets never reach output", function () {
    this.timeout(120_000);

    it("for every leaf of every fixture: as a secret, its value is never printed", () => {
        const base = seeds().map((r) => ({ ...r, urn: urnOf(r) }));
        const byId = new Map(CONTROLS.map((c) => [c.id, c]));
        let planted = 0;
        base.forEach((r, i) => {
            leaves(r.props).forEach((path, j) => {
                const token = `zz-secret-${i}-${j}-zz`;
                const stack = base.map((x) => (x === r ? { ...x, props: replaced(x.props, path, secret(token)) } : x));
                const report = analyze("t", stack, CONTROLS);
                const out = JSON.stringify(report) + formatText([report], byId);
                assert.ok(!out.includes(token), `${r.type} ${path.join(".")} leaked`);
                planted++;
            });
        });
        assert.ok(planted > 200, `planted only ${planted} secrets`);
    });

    it("a secret that equals a setting's value is redacted wherever it would appear", () => {
        const [m] = seeds().filter((r) => r.type === "docker:index/container:Container");
        const report = analyze("t", [{ ...m, urn: urnOf(m), props: { ...(m.props as object), restart: secret("always") } }], CONTROLS);
        const f = report.findings.find((x) => x.control === "docker-container-restart-on-failure");
        assert.ok(f, "the restart policy is still checked");
        assert.ok(!f.message.includes('"always"'));
        assert.match(f.message, /\[secret\]/);
    });
});
