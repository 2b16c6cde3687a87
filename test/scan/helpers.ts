import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "stride-guard/lib/cli/main";
import { runScan } from "stride-guard/lib/cli/scan";
import { InputError, UsageError } from "stride-guard/lib/cli/config-file";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { Control } from "stride-guard/lib/contract/control";
import { Report, ReportFinding } from "stride-guard/lib/check/report";

/** test/fixtures/scan, from dist/test/scan. */
export const FIXTURES = path.resolve(__dirname, "../../../test/fixtures/scan");
export const fixture = (...p: string[]): string => path.join(FIXTURES, ...p);

export interface CliResult {
    code: number;
    out: string;
    err: string;
}

/** Runs the CLI in-process; `stdin` feeds `-`. */
export async function cli(args: string[], opts: { stdin?: string; controls?: readonly Control[] } = {}): Promise<CliResult> {
    let out = "";
    let err = "";
    const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t) };
    const controls = opts.controls ?? CONTROLS;
    if (opts.stdin === undefined || args[0] !== "scan") return { code: await main(args, io, controls), out, err };
    // `main` reads the process's stdin; with given stdin, run the scan command directly and map errors as main does.
    let code: number;
    try {
        code = await runScan(args.slice(1), io, controls, async () => opts.stdin as string);
    } catch (e) {
        if (!(e instanceof InputError || e instanceof UsageError)) throw e;
        io.err(`stride-guard: ${e.message}\n`);
        code = 2;
    }
    return { code, out, err };
}

export function tempDir(prefix = "sg-scan-"): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The controls that reported on a resource, sorted and deduplicated. */
export function controlsOn(r: Report, pred: (f: ReportFinding) => boolean): string[] {
    return [...new Set(r.findings.filter(pred).map((f) => f.control))].sort();
}

export function byName(name: string): (f: ReportFinding) => boolean {
    return (f) => f.resource.name === name;
}
