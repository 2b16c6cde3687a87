/**
 * `stride-guard scan k8s|compose|docker`: the controls over manifests, Compose files and a Docker engine's
 * containers. Exit codes as `check`, except that an input that cannot be read only makes the exit 2 when
 * nothing could be read at all (the rest is still scanned and reported).
 */
import { parseArgs } from "util";
import { Control } from "../core/control";
import { hasMandatory, Report } from "../check/report";
import { readNothing, scanCompose, scanDocker, scanDockerfiles, scanManifests, ScanOptions } from "../scan/index";
import { toSarif } from "../scan/sarif";
import { scanHost } from "../scan/host";
import { loadPolicyConfig, UsageError } from "./config-file";
import type { Io } from "./main";
import { formatText } from "../check/report";

export type ScanFormat = "text" | "json" | "sarif";

function formatOf(v: string | undefined): ScanFormat {
    if (v === undefined) return "text";
    if (v === "text" || v === "json" || v === "sarif") return v;
    throw new UsageError(`--format takes text, json or sarif, not ${JSON.stringify(v)}`);
}

export async function runScan(args: readonly string[], io: Io, controls: readonly Control[], stdin?: () => Promise<string>): Promise<number> {
    const [source, ...rest] = args;
    if (source === undefined) throw new UsageError("scan needs a source: k8s, compose, dockerfile, docker or host");
    if (!["k8s", "kubernetes", "compose", "dockerfile", "docker", "host"].includes(source))
        throw new UsageError(`scan takes k8s, compose, dockerfile, docker or host, not ${JSON.stringify(source)}`);
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
        },
    });
    const fmt = formatOf(values.format);
    const dockerOnly = ["host", "tls-ca", "tls-cert", "tls-key", "inspect"].filter((k) => values[k as keyof typeof values] !== undefined);
    if (source !== "docker" && dockerOnly.length > 0) throw new UsageError(`--${dockerOnly[0]} is an option of scan docker`);
    const hostOnly = ["root", "auditctl", "pid"].filter((k) => values[k as keyof typeof values] !== undefined);
    if (source !== "host" && hostOnly.length > 0) throw new UsageError(`--${hostOnly[0]} is an option of scan host`);
    const config = loadPolicyConfig(values.config, controls);
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
    if (fmt === "sarif") io.out(JSON.stringify(toSarif([report], controls, config), null, 2) + "\n");
    else if (fmt === "json") io.out(JSON.stringify({ version: 1, reports: [report] }, null, 2) + "\n");
    else io.out(formatText([report], new Map(controls.map((c) => [c.id, c]))));
    if (source === "host" && report.errors.length > 0) {
        // A machine is judged whole: a file that could not be read may hold what decides a control.
        io.err(`stride-guard: could not read everything on the host:\n${report.errors.map((e) => `  ${e}\n`).join("")}`);
        return 2;
    }
    if (readNothing(report)) {
        io.err(`stride-guard: nothing could be read:\n${report.errors.map((e) => `  ${e}\n`).join("")}`);
        return 2;
    }
    for (const e of report.errors) if (fmt !== "text" || failed.includes(e)) io.err(`stride-guard: ${e}\n`);
    if (failed.length > 0) return 2;
    return hasMandatory([report]) ? 1 : 0;
}
