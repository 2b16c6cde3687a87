/**
 * What decides a run's exit beside the findings themselves, shared by `check` and `scan`: `--baseline` (known
 * findings are suppressed), `--write-baseline` (record today's), `--fail-on` (the lowest severity that fails).
 */
import * as fs from "fs";
import { applyBaseline, BaselineError, readBaseline, writeBaseline } from "../check/baseline";
import { Report, SEVERITIES } from "../check/report";
import { Severity } from "../kernel/types";
import { InputError, UsageError } from "./config-file";
import type { Io } from "./io";

/** The options, for parseArgs. */
export const GATE_OPTIONS = {
    "fail-on": { type: "string" },
    baseline: { type: "string" },
    "write-baseline": { type: "string" },
    output: { type: "string" },
} as const;

export const GATE_USAGE = "[--fail-on low|medium|high|critical] [--baseline FILE] [--write-baseline FILE] [--output FILE]";

export interface GateValues {
    readonly "fail-on"?: string;
    readonly baseline?: string;
    readonly "write-baseline"?: string;
    readonly output?: string;
}

export function failOnOf(v: string | undefined): Severity | undefined {
    if (v === undefined) return undefined;
    if ((SEVERITIES as readonly string[]).includes(v)) return v as Severity;
    throw new UsageError(`--fail-on takes low, medium, high or critical, not ${JSON.stringify(v.slice(0, 40))}`);
}

/**
 * Checks the options before anything runs (a bad --fail-on or an unreadable baseline is exit 2 before a program is
 * run). `apply` applies the baseline read; `record` writes the baseline of every finding of the run (before the
 * old baseline was applied), and refuses when an input could not be read: a baseline that misses a stack or a
 * file would let all its findings in as new, or hide that they are gone.
 */
export function gate(values: GateValues): {
    failOn?: Severity;
    apply(reports: readonly Report[]): Report[];
    record(reports: readonly Report[]): void;
    /** Where the report goes: `io`, or with --output the file (created anew), messages still on `io.err`. */
    output(io: Io): Io;
} {
    const failOn = failOnOf(values["fail-on"]);
    let baseline: ReturnType<typeof readBaseline> | undefined;
    try {
        if (values.baseline !== undefined) baseline = readBaseline(values.baseline);
    } catch (e) {
        throw e instanceof BaselineError ? new InputError(e.message) : e;
    }
    return {
        ...(failOn ? { failOn } : {}),
        apply(reports) {
            return baseline && values.baseline !== undefined ? applyBaseline(reports, baseline, values.baseline) : [...reports];
        },
        output(io) {
            const file = values.output;
            if (file === undefined) return io;
            let first = true;
            return {
                out(text) {
                    try {
                        fs.writeFileSync(file, text, { flag: first ? "w" : "a" });
                    } catch (e) {
                        throw new InputError(`cannot write the report to ${file}: ${(e as NodeJS.ErrnoException).code ?? "error"}`);
                    }
                    first = false;
                },
                err: (text) => io.err(text),
            };
        },
        record(reports) {
            const file = values["write-baseline"];
            if (file === undefined) return;
            if (reports.some((r) => r.errors.length > 0)) throw new InputError(`the baseline ${file} was not written: some input could not be read`);
            try {
                writeBaseline(file, reports);
            } catch (e) {
                throw e instanceof BaselineError ? new InputError(e.message) : e;
            }
        },
    };
}
