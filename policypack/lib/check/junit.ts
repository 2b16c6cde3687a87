/**
 * JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure Pipelines): one testsuite per
 * report (stack, file set, engine, machine), one testcase per control that found nothing, one per finding.
 * A mandatory finding is a `<failure>`; an advisory one passes with its message in `<system-out>`, so a
 * dashboard fails exactly when the exit code does; an input that could not be read is an `<error>`.
 */
import { printable } from "../kernel/text";
import { Report, ReportFinding } from "./report";

/** XML 1.0 text: markup escaped, and nothing a parser refuses (control characters) or a terminal obeys. */
function xml(text: string): string {
    return printable(text, { multiline: true, max: 4000 }).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

function where(f: ReportFinding): string {
    const r = f.resource;
    return r.file !== undefined ? `${r.file}${r.line !== undefined ? `:${r.line}` : ""}` : `${r.type} "${r.name}"`;
}

function findingCase(f: ReportFinding): string {
    const name = xml(`${f.control} ${where(f)}`);
    const text = xml(`${f.message}${f.remediation.length > 0 ? `\nfix: ${f.remediation[0]}` : ""}`);
    if (f.level === "mandatory") {
        return `    <testcase classname="${xml(f.control)}" name="${name}">\n      <failure type="${f.severity}" message="${xml(f.title)}">${text}</failure>\n    </testcase>`;
    }
    return `    <testcase classname="${xml(f.control)}" name="${name}">\n      <system-out>advisory (${f.severity}): ${text}</system-out>\n    </testcase>`;
}

/** The reports as one JUnit XML document; `controlIds` lists the controls that ran (those without findings pass). */
export function toJunit(reports: readonly Report[], controlIds: readonly string[]): string {
    const suites: string[] = [];
    let tests = 0;
    let failures = 0;
    let errors = 0;
    for (const r of reports) {
        const cases: string[] = [];
        const found = new Set(r.findings.map((f) => f.control));
        for (const id of controlIds) if (!found.has(id)) cases.push(`    <testcase classname="${xml(id)}" name="${xml(id)}"/>`);
        for (const f of r.findings) cases.push(findingCase(f));
        for (const e of r.errors)
            cases.push(`    <testcase classname="stride-guard" name="input">\n      <error message="could not be read">${xml(e)}</error>\n    </testcase>`);
        const f = r.findings.filter((x) => x.level === "mandatory").length;
        tests += cases.length;
        failures += f;
        errors += r.errors.length;
        suites.push(
            `  <testsuite name="${xml(r.target)}" tests="${cases.length}" failures="${f}" errors="${r.errors.length}">\n${cases.join("\n")}\n  </testsuite>`,
        );
    }
    return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="stride-guard" tests="${tests}" failures="${failures}" errors="${errors}">\n${suites.join("\n")}\n</testsuites>\n`;
}
