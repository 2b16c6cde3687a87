/**
 * `stride-guard scan k8s|compose|docker`: the controls over manifests, Compose files and a Docker engine's
 * containers. Exit codes as `check`: an input that cannot be read makes the exit 2 even when the rest was
 * scanned (and reported): 0 and 1 speak for every input.
 */
import { parseArgs } from "util";
import { Control } from "../contract/control";
import { hasMandatory, Report } from "../check/report";
import { printable } from "../kernel/text";
import { readNothing, scanCompose, scanDocker, scanDockerfiles, scanManifests, ScanOptions } from "../scan/index";
import { toSarif } from "../scan/sarif";
import { toJunit } from "../check/junit";
import { scanHost } from "../scan/host";
import { loadPolicyConfig, UsageError } from "./config-file";
import { gate, GATE_OPTIONS } from "./gate";
import type { Io } from "./io";
import { formatText } from "../check/report";

export type ScanFormat = "text" | "json" | "sarif" | "junit";

function formatOf(v: string | undefined): ScanFormat {
    if (v === undefined) return "text";
    if (v === "text" || v === "json" || v === "sarif" || v === "junit") return v;
    throw new UsageError(`--format takes text, json, sarif or junit, not ${JSON.stringify(printable(v, { max: 60 }))}`);
}

export async function runScan(args: readonly string[], io: Io, controls: readonly Control[], stdin?: () => Promise<string>): Promise<number> {
    const [source, ...rest] = args;
    if (source === undefined) throw new UsageError("scan needs a source: k8s, compose, dockerfile, docker or host");
    if (!["k8s", "kubernetes", "compose", "dockerfile", "docker", "host"].includes(source))
        throw new UsageError(`scan takes k8s, compose, dockerfile, docker or host, not ${JSON.stringify(printable(source, { max: 60 }))}`);
    const { values, positionals } = parseArgs({
        args: [...rest],
        allowPositionals: true,
        options: {
            config: { type: "string" },
            format: { type: "string" },
            host: { type: "string", short: "H" },
            "tls-ca": { type: "string" },
            "tls-cert": { type: "string" },
            "tls-key": { type: "string" },
            inspect: { type: "string", multiple: true },
            root: { type: "string" },
            auditctl: { type: "boolean" },
            pid: { type: "string", multiple: true },
            ...GATE_OPTIONS,
            // handled by main
            debug: { type: "boolean" },
            help: { type: "boolean", short: "h" },
        },
    });
    const fmt = formatOf(values.format);
    const dockerOnly = ["host", "tls-ca", "tls-cert", "tls-key", "inspect"].filter((k) => values[k as keyof typeof values] !== undefined);
    if (source !== "docker" && dockerOnly.length > 0) throw new UsageError(`--${dockerOnly[0]} is an option of scan docker`);
    const hostOnly = ["root", "auditctl", "pid"].filter((k) => values[k as keyof typeof values] !== undefined);
    if (source !== "host" && hostOnly.length > 0) throw new UsageError(`--${hostOnly[0]} is an option of scan host`);
    const config = loadPolicyConfig(values.config, controls);
    const g = gate(values);
    const opts: ScanOptions = { controls, config, ...(stdin ? { stdin } : {}) };
    let report: Report;
    // Inputs that were not checked at all (a chart without helm, a Dockerfile that cannot be read): exit 2 whatever else was found.
    let failed: readonly string[] = [];
    if (source === "host") {
        if (positionals.length > 0) throw new UsageError("scan host takes no paths: use --root DIR for a machine's files mounted elsewhere");
        const root = values.root ?? "/";
        if (root === "") throw new UsageError("--root needs a directory");
        if (values.auditctl && root !== "/") throw new UsageError("--auditctl lists this machine's kernel rules; it cannot go with --root");
        const pids = (values.pid ?? []).map((p) => {
            if (!/^[1-9]\d{0,9}$/.test(p)) throw new UsageError(`--pid takes a process id, not ${JSON.stringify(p.slice(0, 20))}`);
            return Number(p);
        });
        report = await scanHost({ root, auditctl: values.auditctl === true, pids }, opts);
    } else if (source === "docker") {
        if (positionals.length > 0) throw new UsageError("scan docker takes no paths: use --inspect FILE for saved docker inspect output");
        if (values.inspect && (values.host || values["tls-ca"] || values["tls-cert"] || values["tls-key"]))
            throw new UsageError("--inspect reads files; it excludes --host and the --tls options");
        const tls = { ca: values["tls-ca"], cert: values["tls-cert"], key: values["tls-key"] };
        report = await scanDocker({ host: values.host, tls, inspectFiles: values.inspect }, opts);
    } else {
        if (positionals.length === 0) throw new UsageError(`scan ${source} needs at least one PATH (a file, a directory, or - for stdin)`);
        if (source === "compose") report = await scanCompose(positionals, opts);
        else if (source === "dockerfile") {
            if (positionals.includes("-")) throw new UsageError("scan dockerfile reads files and directories, not stdin");
            report = await scanDockerfiles(positionals, opts);
            failed = report.errors;
        } else ({ report, failed } = await scanManifests(positionals, opts));
    }
    const ran = report;
    // Nothing read is no baseline: a dead engine must not match (or record) an empty one.
    if (!readNothing(report)) [report] = g.apply([report]);
    const reportIo = g.output(io);
    if (fmt === "sarif") reportIo.out(JSON.stringify(toSarif([report], controls, config), null, 2) + "\n");
    else if (fmt === "json") reportIo.out(JSON.stringify({ version: 1, reports: [report] }, null, 2) + "\n");
    else if (fmt === "junit")
        reportIo.out(
            toJunit(
                [report],
                controls.map((c) => c.id),
            ),
        );
    else reportIo.out(formatText([report], new Map(controls.map((c) => [c.id, c]))));
    if (source === "host" && report.errors.length > 0) {
        // A machine is judged whole: a file that could not be read may hold what decides a control.
        io.err(`stride-guard: could not read everything on the host:\n${report.errors.map((e) => `  ${e}\n`).join("")}`);
        return 2;
    }
    if (readNothing(report)) {
        io.err(`stride-guard: nothing could be read:\n${report.errors.map((e) => `  ${printable(e)}\n`).join("")}`);
        return 2;
    }
    for (const e of report.errors) if (fmt !== "text" || failed.includes(e)) io.err(`stride-guard: ${printable(e)}\n`);
    // 0 and 1 speak only for a scan that read every input: anything unread (a missing file, invalid YAML, a chart
    // without helm, a dead engine) makes it 2, with the rest still scanned and reported.
    // A baseline is written only from a scan that read everything (record() refuses otherwise, exit 2).
    g.record([ran]);
    if (report.errors.length > 0) {
        if (fmt === "text" && report.errors.some((e) => !failed.includes(e)))
            io.err(`stride-guard: ${report.errors.length} input(s) could not be read (listed above); the rest was scanned\n`);
        return 2;
    }
    return hasMandatory([report], g.failOn) ? 1 : 0;
}
