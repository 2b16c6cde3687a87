/**
 * SARIF 2.1.0 (OASIS): one run whose driver is stride-guard with a rule per control, and a result per
 * finding. Findings about files point at the file and line; others (engine containers, daemons) at a
 * logical location. Code-scanning consumers read `security-severity` and `tags` from rule properties.
 */
import { createHash } from "crypto";
import * as path from "path";
import { Control } from "../contract/control";
import { refsText } from "../engine/evaluate";
import { EnforcementLevel, Severity, STRIDE_NAMES } from "../kernel/types";
import { PolicyConfigEntry } from "../config/reconcile";
import { PACK_VERSION } from "../engine/analyze";
import { Report, ReportFinding } from "../check/report";
import { tagsOf } from "../pack";
import { STDIN } from "./sources";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** GitHub's bands: critical > 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9. */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

/** `docker-container-memory-limit` → `DockerContainerMemoryLimit`. */
function ruleName(id: string): string {
    return id
        .split(/[^A-Za-z0-9]+/)
        .filter((p) => p !== "")
        .map((p) => p[0].toUpperCase() + p.slice(1))
        .join("");
}

function rule(c: Control, level: EnforcementLevel) {
    const refs = refsText(c);
    return {
        id: c.id,
        name: ruleName(c.id),
        shortDescription: { text: c.title },
        fullDescription: { text: c.description },
        help: {
            text: c.remediationSteps.map((s, i) => `${i + 1}. ${s}`).join("\n") + (refs ? `\n\n${refs}` : ""),
            markdown: c.remediationSteps.map((s) => `- ${s}`).join("\n") + (refs ? `\n\n**Benchmarks:** ${refs}` : ""),
        },
        defaultConfiguration: { level: level === "advisory" ? "warning" : level === "disabled" ? "none" : "error" },
        properties: {
            tags: ["security", ...tagsOf(c)],
            "security-severity": SECURITY_SEVERITY[c.severity],
            precision: "high",
            stride: c.stride,
            strideCategory: STRIDE_NAMES[c.stride],
            severity: c.severity,
            ...(c.refs.docker ? { cisDocker: c.refs.docker } : {}),
            ...(c.refs.dockerLegacy ? { cisDockerLegacy: c.refs.dockerLegacy } : {}),
            ...(c.refs.kubernetes ? { cisKubernetes: c.refs.kubernetes } : {}),
            ...(c.pss ? { pss: c.pss } : {}),
        },
    };
}

/** A file path as a SARIF artifact location: relative to `root` (with uriBaseId) when inside it, else a file:// URI. */
function artifactLocation(file: string, root: string): { uri: string; uriBaseId?: string } {
    const abs = path.resolve(root, file);
    const rel = path.relative(root, abs);
    if (rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel)) {
        return { uri: rel.split(path.sep).map(encodeURIComponent).join("/"), uriBaseId: "SRCROOT" };
    }
    return { uri: "file://" + abs.split(path.sep).map(encodeURIComponent).join("/") };
}

function location(f: ReportFinding, root: string) {
    const r = f.resource;
    const logical = { name: r.name, fullyQualifiedName: `${r.type}::${r.name}`, kind: "resource" };
    if (r.file && r.file !== STDIN) {
        return {
            physicalLocation: { artifactLocation: artifactLocation(r.file, root), ...regionOf(f) },
            logicalLocations: [logical],
        };
    }
    return { logicalLocations: [logical] };
}

/** The field's line and column when known, else the resource's line. */
function regionOf(f: ReportFinding): { region?: { startLine: number; startColumn?: number } } {
    if (f.line !== undefined) return { region: { startLine: f.line, ...(f.column !== undefined ? { startColumn: f.column } : {}) } };
    return f.resource.line ? { region: { startLine: f.resource.line } } : {};
}

function fingerprint(f: ReportFinding): string {
    return createHash("sha256")
        .update(`${f.control}\0${f.resource.type}\0${f.resource.name}\0${f.resource.file ?? ""}\0${f.message}`)
        .digest("hex")
        .slice(0, 32);
}

/**
 * The SARIF log of one or more reports, as a plain object (JSON.stringify it). `config` (the reconciled
 * policy config) sets each rule's default level; file locations are made relative to `root`.
 */
export function toSarif(
    reports: readonly Report[],
    controls: readonly Control[],
    config?: Readonly<Record<string, PolicyConfigEntry>>,
    root: string = process.cwd(),
): Record<string, unknown> {
    const index = new Map(controls.map((c, i) => [c.id, i]));
    const result = (rep: Report, f: ReportFinding) => ({
        ruleId: f.control,
        ...(index.has(f.control) ? { ruleIndex: index.get(f.control) } : {}),
        level: f.level === "mandatory" ? "error" : "warning",
        message: { text: f.message },
        locations: [location(f, root)],
        partialFingerprints: { "strideGuardFinding/v1": fingerprint(f) },
        // A suppressed result stays in the log, marked: in the source (annotation, label) or outside it (config, baseline).
        ...(f.suppressed
            ? {
                  suppressions: [
                      {
                          kind: f.suppressed.source === "annotation" || f.suppressed.source === "label" ? "inSource" : "external",
                          status: "accepted",
                          justification: f.suppressed.reason,
                      },
                  ],
              }
            : {}),
        properties: {
            stride: f.stride,
            severity: f.severity,
            target: rep.target,
            ...(f.unknown ? { unknown: true } : {}),
            ...(f.suppressed ? { suppressedBy: f.suppressed.source } : {}),
            ...(f.refused ? { refusedSuppression: true } : {}),
        },
    });
    const results = reports.flatMap((rep) => [...rep.findings.map((f) => result(rep, f)), ...(rep.suppressed ?? []).map((f) => result(rep, f))]);
    const errors = reports.flatMap((r) => r.errors);
    return {
        $schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: "stride-guard",
                        version: PACK_VERSION,
                        semanticVersion: PACK_VERSION,
                        rules: controls.map((c) => rule(c, config?.[c.id]?.enforcementLevel ?? c.enforcementLevel)),
                    },
                },
                originalUriBaseIds: { SRCROOT: { uri: "file://" + path.resolve(root).split(path.sep).map(encodeURIComponent).join("/") + "/" } },
                invocations: [
                    {
                        executionSuccessful: errors.length === 0,
                        ...(errors.length > 0 ? { toolExecutionNotifications: errors.map((e) => ({ level: "error", message: { text: e } })) } : {}),
                    },
                ],
                results,
                properties: { targets: reports.map((r) => ({ target: r.target, controls: r.controls, resources: r.resources })) },
            },
        ],
    };
}
