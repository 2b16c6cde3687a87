import assert from "assert/strict";
import { closingSummary, formatText, Report, ReportFinding } from "stride-guard/lib/check/report";

function finding(control: string, over: Partial<ReportFinding> = {}): ReportFinding {
    return {
        control,
        title: control,
        stride: "E",
        severity: "high",
        level: "mandatory",
        benchmarks: {},
        resource: { urn: "u", type: "t", name: "n" },
        message: "m",
        remediation: [],
        ...over,
    };
}

describe("text report: closing summary", () => {
    it("ends a report with findings with counts by severity, STRIDE letter and control", () => {
        const reports: Report[] = [
            { target: "a", controls: 3, resources: 4, findings: [finding("x"), finding("y", { severity: "low", level: "advisory", stride: "D" })], errors: [] },
            { target: "b", controls: 3, resources: 6, findings: [finding("x", { severity: "critical" })], errors: [], suppressed: [finding("z")] },
        ];
        const text = formatText(reports, new Map());
        assert.ok(
            text.endsWith(
                "summary: 3 finding(s), 2 mandatory, 1 advisory, in 10 resource(s) checked; 1 suppressed\n" +
                    "  by severity: critical 1, high 1, low 1\n" +
                    "  by STRIDE: D 1, E 2\n" +
                    "  by control: x 2, y 1\n",
            ),
            text,
        );
    });

    it("names the ten controls with most findings and counts the rest", () => {
        const many = Array.from({ length: 12 }, (_, i) => finding(`c${String(i).padStart(2, "0")}`));
        const line = closingSummary([{ target: "a", controls: 12, resources: 1, findings: many, errors: [] }])!.split("\n")[3];
        assert.equal(line, "  by control: c00 1, c01 1, c02 1, c03 1, c04 1, c05 1, c06 1, c07 1, c08 1, c09 1, and 2 more");
    });

    it("adds nothing to a report without findings", () => {
        assert.equal(closingSummary([{ target: "a", controls: 1, resources: 1, findings: [], errors: [] }]), undefined);
        assert.equal(
            formatText([{ target: "a", controls: 1, resources: 1, findings: [], errors: [] }], new Map()),
            "a: no findings (1 controls, 1 resources)\n",
        );
    });
});
