/**
 * Helpers for users' own tests: run a Pulumi program under mocks and assert it passes stride-guard
 * (or a chosen set of controls). Framework-neutral: they return promises and throw AssertionError,
 * so they work in mocha, node:test, jest or vitest alike.
 *
 *     import { assertCompliant } from "stride-guard/testing";
 *     it("passes stride-guard", () => assertCompliant(() => require("../index"), { stack: "prod" }));
 */
import { AssertionError } from "assert";
import { analyze } from "./engine/analyze";
import { Report, ReportFinding } from "./check/report";
import { StrideGuard, StrideGuardOptions } from "./library";
import * as fs from "fs";
import * as path from "path";
import { deployedStackMocks } from "./runner/generated";
import { loadProject } from "./runner/project";
import { runProgram } from "./runner/run";

export interface CheckProgramOptions {
    readonly project?: string;
    readonly stack?: string;
    /** Stack config, `"project:key"` → value. */
    readonly config?: Readonly<Record<string, string>>;
    readonly secretConfigKeys?: readonly string[];
    /** Which controls, at which levels and settings (default: every control, its defaults). */
    readonly guard?: StrideGuard | StrideGuardOptions;
    /** Control ids whose findings are expected and ignored. */
    readonly allow?: readonly string[];
}

/**
 * Runs `program` under mocks and checks every resource it declares. `program` is a function, a module, or
 * a Pulumi project folder: then its Pulumi.yaml names the project and the program, and
 * Pulumi.<stack>.yaml supplies the stack's config (which `config` overrides), as `stride-guard check` does.
 */
export async function checkProgram(program: (() => unknown) | string, opts: CheckProgramOptions = {}): Promise<Report> {
    const guard = opts.guard instanceof StrideGuard ? opts.guard : new StrideGuard(opts.guard ?? {});
    const stack = opts.stack ?? "test";
    const loaded = typeof program === "string" && fs.existsSync(path.join(program, "Pulumi.yaml")) ? loadProject(program, stack) : undefined;
    const project = opts.project ?? loaded?.project ?? "project";
    const run = await runProgram(loaded?.program ?? program, {
        project,
        stack,
        config: { ...(loaded?.config ?? {}), ...(opts.config ?? {}) },
        secretConfigKeys: [...(loaded?.secretConfigKeys ?? []), ...(opts.secretConfigKeys ?? [])],
        preview: true,
        mocks: deployedStackMocks,
    });
    const report = analyze(`stack ${stack}`, run.resources, guard.controls, guard.config);
    const allow = new Set(opts.allow ?? []);
    return { ...report, findings: report.findings.filter((f) => !allow.has(f.control)) };
}

function describe(f: ReportFinding): string {
    return `  ${f.level} ${f.control} (${f.stride}) on ${f.resource.type} "${f.resource.name}": ${f.message}`;
}

/** Rejects with an AssertionError listing every mandatory finding (advisory ones too with `strict`). */
export async function assertCompliant(program: (() => unknown) | string, opts: CheckProgramOptions & { readonly strict?: boolean } = {}): Promise<Report> {
    const report = await checkProgram(program, opts);
    const failing = report.findings.filter((f) => opts.strict || f.level === "mandatory");
    if (failing.length > 0) {
        throw new AssertionError({
            message: `${failing.length} stride-guard finding(s) in ${report.target}:\n${failing.map(describe).join("\n")}`,
            actual: failing.map((f) => f.control),
            expected: [],
            operator: "assertCompliant",
        });
    }
    return report;
}

export type { Report, ReportFinding } from "./check/report";
export { StrideGuard } from "./library";
