import assert from "assert/strict";
import { toJunit } from "stride-guard/lib/check/junit";
import { Report, ReportFinding } from "stride-guard/lib/check/report";
import { cli, fixture } from "../scan/helpers";

function finding(over: Partial<ReportFinding>): ReportFinding {
    return {
        control: "docker-container-not-privileged",
        title: "Containers are not privileged",
        stride: "E",
        severity: "critical",
        level: "mandatory",
        benchmarks: {},
        resource: { urn: "u", type: "compose:service", name: "web", file: "a.yml", line: 3 },
        message: "privileged: is true",
        remediation: ["Compose: remove `privileged: true`."],
        ...over,
    };
}

/** Elements in document order with their attributes, by a strict reading that rejects malformed XML. */
function elements(doc: string): { name: string; attrs: Record<string, string> }[] {
    assert.match(doc, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/);
    // XML 1.0 refuses C0 controls but tab and line feed (carriage returns are folded by printable()).
    assert.doesNotMatch(doc, /[\u0000-\u0008\u000b-\u001f\u007f]/); // eslint-disable-line no-control-regex
    const out: { name: string; attrs: Record<string, string> }[] = [];
    const stack: string[] = [];
    const body = doc.replace(/^<\?xml[^>]*\?>\n/, "");
    const tag = /<(\/?)([a-z-]+)((?:\s+[a-z-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
    let m: RegExpExecArray | null;
    let pos = 0;
    while ((m = tag.exec(body)) !== null) {
        pos = tag.lastIndex;
        if (m[5] !== undefined) {
            assert.doesNotMatch(m[5], /&(?!(amp|lt|gt|quot|apos);)/, "bare ampersand in text");
            continue;
        }
        const [, close, name, attrText, selfClose] = m;
        if (close) {
            assert.equal(stack.pop(), name, "tags nest");
            continue;
        }
        const attrs: Record<string, string> = {};
        for (const a of attrText.matchAll(/([a-z-]+)="([^"]*)"/g)) attrs[a[1]] = a[2];
        out.push({ name, attrs });
        if (!selfClose) stack.push(name);
    }
    assert.equal(pos, body.length, "the whole document parses");
    assert.deepEqual(stack, [], "every element is closed");
    return out;
}

describe("JUnit output", () => {
    it("a mandatory finding fails, an advisory one passes, controls without findings pass, unread inputs are errors", () => {
        const report: Report = {
            target: "compose files (1 file)",
            controls: 3,
            resources: 1,
            findings: [finding({}), finding({ control: "docker-container-healthcheck", level: "advisory", severity: "low" })],
            errors: ["b.yml: cannot read: no such file or directory"],
        };
        const doc = toJunit([report], ["docker-container-not-privileged", "docker-container-healthcheck", "docker-container-memory-limit"]);
        const els = elements(doc);
        assert.deepEqual(els[0], { name: "testsuites", attrs: { name: "stride-guard", tests: "4", failures: "1", errors: "1" } });
        assert.deepEqual(els[1].attrs, { name: "compose files (1 file)", tests: "4", failures: "1", errors: "1" });
        assert.deepEqual(
            els.filter((e) => e.name === "testcase").map((e) => e.attrs.name),
            ["docker-container-memory-limit", "docker-container-not-privileged a.yml:3", "docker-container-healthcheck a.yml:3", "input"],
        );
        assert.deepEqual(
            els.filter((e) => e.name === "failure").map((e) => e.attrs.type),
            ["critical"],
        );
        assert.match(doc, /<system-out>advisory \(low\): privileged: is true\nfix: Compose: remove `privileged: true`\.<\/system-out>/);
        assert.match(doc, /<error message="could not be read">b\.yml: cannot read: no such file or directory<\/error>/);
    });

    it("escapes markup and drops control characters from outside text", () => {
        const doc = toJunit(
            [
                {
                    target: 'x<"&>',
                    controls: 1,
                    resources: 1,
                    findings: [finding({ message: "a <b> & 'c'\u001b[31m\u0000", resource: { urn: "u", type: "t", name: 'n"</testcase>' } })],
                    errors: [],
                },
            ],
            ["docker-container-not-privileged"],
        );
        elements(doc);
        assert.match(doc, /name="x&lt;&quot;&amp;&gt;"/);
        assert.match(doc, /a &lt;b&gt; &amp; &apos;c&apos;\[31m\n/);
        assert.match(doc, /name="docker-container-not-privileged t &quot;n&quot;&lt;\/testcase&gt;&quot;"/);
    });

    it("scan --format junit prints it, with the exit code of the findings", async () => {
        const bad = await cli(["scan", "compose", fixture("compose", "insecure-v2.yml"), "--format", "junit"]);
        assert.equal(bad.code, 1, bad.err);
        const els = elements(bad.out);
        assert.ok(els.some((e) => e.name === "failure"));
        const clean = await cli(["scan", "compose", fixture("compose", "hardened-v3.yml"), "--format", "junit"]);
        assert.equal(clean.code, 0, clean.err);
        assert.ok(!elements(clean.out).some((e) => e.name === "failure"));
    });
});
