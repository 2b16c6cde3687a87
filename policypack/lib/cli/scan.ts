/**
 * `stride-guard scan k8s|compose|docker`: the controls over manifests, Compose files and a Docker engine's
 * containers. Exit codes as `check`: an input that cannot be read is reported and the rest is still scanned,
 * but the exit code is 2 — a verdict over part of the input is not a pass.
 */
import { parseArgs } from "util";
import { Control } from "../core/control";
import { hasMandatory, Report } from "../check/report";
import { printable } from "../core/text";
import { readNothing, scanCompose, scanDocker, scanDockerfiles, scanManifests, ScanOptions } from "../scan/index";
import { toSarif } from "../scan/sarif";
import { loadPolicyConfig, UsageError } from "./config-file";
import type { Io } from "./main";
import { formatText } from "../check/report";

export type ScanFormat = "text" | "json" | "sarif";

function formatOf(v: string | undefined): ScanFormat {
    if (v === undefined) return "text";
    if (v === "text" || v === "json" || v === "sarif") return v;
    throw new UsageError(`--format takes text, json or sarif, not ${JSON.stringify(printable(v, { max: 60 }))}`);
}

export async function runScan(args: readonly string[], io: Io, controls: readonly Control[], stdin?: () => Promise<string>): Promise<number> {
    const [source, ...rest] = args;
    if (source === undefined) throw new UsageError("scan needs a source: k8s, compose, dockerfile or docker");
    if (!["k8s", "kubernetes", "compose", "dockerfile", "docker"].includes(source))
        throw new UsageError(`scan takes k8s, compose, dockerfile or docker, not ${JSON.stringify(printable(source, { max: 60 }))}`);
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
            // handled by main
            debug: { type: "boolean" },
            help: { type: "boolean", short: "h" },
        },
    });
    const fmt = formatOf(values.format);
    const dockerOnly = ["host", "tls-ca", "tls-cert", "tls-key", "inspect"].filter((k) => values[k as keyof typeof values] !== undefined);
    if (source !== "docker" && dockerOnly.length > 0) throw new UsageError(`--${dockerOnly[0]} is an option of scan docker`);
    const config = loadPolicyConfig(values.config, controls);
    const opts: ScanOptions = { controls, config, ...(stdin ? { stdin } : {}) };
    let report: Report;
    // Inputs that were not checked at all (a chart without helm, a Dockerfile that cannot be read): exit 2 whatever else was found.
    let failed: readonly string[] = [];
    if (source === "docker") {
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
    if (fmt === "sarif") io.out(JSON.stringify(toSarif([report], controls, config), null, 2) + "\n");
    else if (fmt === "json") io.out(JSON.stringify({ version: 1, reports: [report] }, null, 2) + "\n");
    else io.out(formatText([report], new Map(controls.map((c) => [c.id, c]))));
    if (readNothing(report)) {
        io.err(`stride-guard: nothing could be read:\n${report.errors.map((e) => `  ${printable(e)}\n`).join("")}`);
        return 2;
    }
    for (const e of report.errors) if (fmt !== "text" || failed.includes(e)) io.err(`stride-guard: ${printable(e)}\n`);
    // Any input that could not be read makes the verdict partial: exit 2 whatever else was found.
    if (report.errors.length > 0) return 2;
    return hasMandatory([report]) ? 1 : 0;
}
