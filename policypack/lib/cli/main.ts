#!/usr/bin/env node
/**
 * stride-guard command line: `check` (Pulumi programs under mocks), `scan` (manifests, Compose files, Docker
 * engines) and `list` (the catalog).
 *
 * Exit codes are a contract: 0 every input was read, every program finished and nothing mandatory was found;
 * 1 a mandatory violation (and everything was read and finished); 2 anything that could not be read, run or
 * finished, and usage errors. Errors are one line; a stack trace only with --debug.
 *
 * Modules are loaded by the command that needs them: `--version`, `--help` and `list` never load
 * @pulumi/pulumi (`check` does, in its child processes).
 */
import { parseArgs, ParseArgsConfig } from "util";
import type { Control } from "../contract/control";
import type { Report } from "../check/report";
import type { PolicyConfigEntry } from "../config/reconcile";
import type { Severity } from "../kernel/types";
import { printable } from "../kernel/text";
import { InputError, UsageError } from "./config-file";
import { GATE_OPTIONS, GATE_USAGE } from "./gate";
import type { Io } from "./io";

export type { Io } from "./io";

const USAGE = {
    check: `stride-guard check [PROJECT_DIR] [--stack NAME]... [--all] [--config FILE] [--format text|json|sarif|junit] [--new-stack]
                   [--timeout SECONDS] [--debug] ${GATE_USAGE}
      Runs the Pulumi Node.js program in PROJECT_DIR (default: .) for each stack under mocks, each in its own
      process, and checks every resource it declares, as at the preview of a deployed stack (--new-stack: as at
      the first preview, where generated keys, certificates and random values are still unknown).
      --all (the default) checks every stack with a Pulumi.<stack>.yaml; --stack names one that must exist.
      --config takes the same JSON as \`pulumi preview --policy-pack-config\`.
      --timeout: seconds each program may run (default 300); a program that does not finish is exit 2.
      --fail-on: exit 1 only for mandatory findings at or above that severity (default: any mandatory finding).
      --baseline: findings recorded in FILE are shown as suppressed; only new ones count. --write-baseline
      records this run's findings (control, resource, field path) in FILE.`,
    scan: `stride-guard scan k8s PATH... [--config FILE] [--format text|json|sarif|junit] [--debug]
      Checks Kubernetes manifests: files, directories (*.yaml, *.yml, *.json, recursively) or - for stdin;
      multi-document files, List kinds and Helm output. CRDs, custom resources and non-objects are ignored.
      A directory with a kustomization.yaml is rendered with \`kubectl kustomize\`, a chart directory (Chart.yaml)
      with \`helm template\` (offline, bounded; exit 2 when the program is missing or fails).
  stride-guard scan dockerfile PATH... [--config FILE] [--format text|json|sarif|junit] [--debug]
      Checks Dockerfiles (directories: Dockerfile, Containerfile, Dockerfile.*, *.Dockerfile) with the image controls.
      Directory walks skip dot-directories (.git, .github, …) and node_modules; the summary counts them.
  stride-guard scan compose PATH... [--config FILE] [--format text|json|sarif|junit] [--debug]
      Checks the services of Docker Compose files (v2, v3, Compose Specification), with the files they
      include or extend, their env_files and the Dockerfiles they build. Directories as for k8s.
  stride-guard scan docker [--host URL] [--tls-ca FILE --tls-cert FILE --tls-key FILE] [--inspect FILE]...
                           [--config FILE] [--format text|json|sarif|junit] [--debug]
      Checks every container (running or not) and the daemon settings of a Docker engine (default: DOCKER_HOST,
      else unix:///var/run/docker.sock), or saved \`docker inspect\` output with --inspect.
      Inputs that cannot be read are reported and the rest is scanned, but the exit code is then 2.
  stride-guard scan host [--root DIR] [--pid PID]... [--auditctl] [--config FILE] [--format text|json|sarif|junit] [--debug]
      Checks a machine's files read-only (default root /): the running dockerd's command line and the
      daemon.json it uses, docker/containerd units, audit rules, static Pod manifests, kubelet configuration
      and the modes and owners of control-plane files. --pid judges only that dockerd; --auditctl also runs
      \`auditctl -l\` (never anything else) to judge the rules the kernel holds. Any unreadable file: exit 2.
  Every scan also takes ${GATE_USAGE} (as check).`,
    list: `stride-guard list [--stride S|T|R|I|D|E] [--cis ID] [--target docker|kubernetes] [--format text|json|markdown]
      Lists the controls.`,
} as const;
type Command = keyof typeof USAGE;

const EXIT_CODES = `exit codes: 0 everything was read and run, and no mandatory violation; 1 a mandatory violation;
  2 an input that could not be read, a program that could not be run or did not finish, or a usage error`;

const FULL_USAGE = `usage:\n  ${USAGE.check}\n  ${USAGE.scan}\n  ${USAGE.list}\n  stride-guard --version\n${EXIT_CODES}`;

function usageOf(command: Command): string {
    return `usage:\n  ${USAGE[command]}\n${EXIT_CODES}`;
}

/** stdout that tolerates a reader that went away (`… | head -1`): the rest of the output is dropped. */
function stdIo(): Io {
    let closed = false;
    process.stdout.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code === "EPIPE") closed = true;
        else throw e;
    });
    return {
        out: (t) => {
            if (!closed) process.stdout.write(t);
        },
        err: (t) => process.stderr.write(t),
    };
}

/** Package version, read without loading the library. */
export function version(): string {
    try {
        // bin/lib/cli/main.js → policypack/package.json
        return (require("../../../package.json") as { version: string }).version;
    } catch {
        return "0.0.0";
    }
}

/** parseArgs with --help/-h and --debug on every command; unknown options are usage errors of that command. */
function parse<O extends NonNullable<ParseArgsConfig["options"]>>(command: Command, args: readonly string[], options: O, positionals = false) {
    try {
        return parseArgs({
            args: [...args],
            allowPositionals: positionals,
            options: { ...options, help: { type: "boolean", short: "h" }, debug: { type: "boolean" } },
        });
    } catch (e) {
        throw new CommandUsageError(command, (e as Error).message);
    }
}

class CommandUsageError extends UsageError {
    constructor(
        readonly command: Command,
        message: string,
    ) {
        super(message);
    }
}

export async function main(argv: readonly string[], io: Io = stdIo(), controls?: readonly Control[]): Promise<number> {
    const [command, ...rest] = argv;
    const debug = argv.includes("--debug");
    const all = (): readonly Control[] => controls ?? (require("../controls/index") as typeof import("../controls/index")).CONTROLS;
    try {
        switch (command) {
            case "check":
                return await runCheck(rest, io, all);
            case "scan":
                return await runScanCommand(rest, io, all);
            case "list":
                return runList(rest, io, all);
            case "--version":
            case "-V":
            case "version":
                io.out(`${version()}\n`);
                return 0;
            case "help":
            case "--help":
            case "-h":
                io.out(FULL_USAGE + "\n");
                return 0;
            case undefined:
                io.err(FULL_USAGE + "\n");
                return 2;
            default:
                throw new UsageError(`unknown command ${JSON.stringify(printable(command, { max: 60 }))}`);
        }
    } catch (e) {
        if (e instanceof InputError) {
            io.err(`stride-guard: ${printable(e.message)}\n`);
            return 2;
        }
        if (e instanceof UsageError) {
            const usage = e instanceof CommandUsageError ? usageOf(e.command) : isCommand(command) ? usageOf(command) : FULL_USAGE;
            io.err(`stride-guard: ${printable(e.message)}\n${usage}\n`);
            return 2;
        }
        io.err(`stride-guard: internal error: ${describe(e)}${debug ? "" : " (--debug shows where)"}\n`);
        if (debug && e instanceof Error && e.stack) io.err(printable(e.stack, { multiline: true, max: 20_000 }) + "\n");
        return 2;
    }
}

function isCommand(c: string | undefined): c is Command {
    return c === "check" || c === "scan" || c === "list";
}

function describe(e: unknown): string {
    try {
        return printable(e instanceof Error ? `${e.name}: ${e.message}` : String(e), { max: 300 });
    } catch {
        return "an error that cannot be described";
    }
}

function format(v: string | undefined): "text" | "json" {
    if (v === undefined || v === "text" || v === "json") return v ?? "text";
    throw new UsageError(`--format takes text or json, not ${JSON.stringify(printable(v, { max: 60 }))}`);
}

type CheckFormat = "text" | "json" | "sarif" | "junit";

function checkFormat(v: string | undefined): CheckFormat {
    if (v === "sarif" || v === "junit") return v;
    if (v === undefined || v === "text" || v === "json") return v ?? "text";
    throw new UsageError(`--format takes text, json, sarif or junit, not ${JSON.stringify(printable(v, { max: 60 }))}`);
}

async function runCheck(args: readonly string[], io: Io, controls: () => readonly Control[]): Promise<number> {
    const { values, positionals } = parse(
        "check",
        args,
        {
            stack: { type: "string", multiple: true },
            all: { type: "boolean" },
            config: { type: "string" },
            format: { type: "string" },
            "new-stack": { type: "boolean" },
            timeout: { type: "string" },
            ...GATE_OPTIONS,
        },
        true,
    );
    if (values.help) {
        io.out(usageOf("check") + "\n");
        return 0;
    }
    if (positionals.length > 1) throw new UsageError(`check takes one project folder, got ${positionals.length}`);
    if (values.all && values.stack) throw new UsageError("--all and --stack exclude each other");
    const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
    if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0 && timeout <= 86_400))
        throw new UsageError(`--timeout takes seconds between 1 and 86400, not ${JSON.stringify(printable(values.timeout ?? "", { max: 40 }))}`);
    const fmt = checkFormat(values.format);
    const { loadPolicyConfig } = require("./config-file") as typeof import("./config-file");
    const { check } = require("./check") as typeof import("./check");
    const { gate } = require("./gate") as typeof import("./gate");
    const config = loadPolicyConfig(values.config, controls());
    const g = gate(values);
    const ran = await check({
        projectDir: positionals[0] ?? ".",
        stacks: values.stack ?? [],
        controls: controls(),
        config,
        newStack: values["new-stack"] ?? false,
        ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
        ...(values.debug ? { debug: (t: string) => io.err(t + "\n") } : {}),
    });
    const reports = g.apply(ran);
    print(reports, fmt, g.output(io), controls(), config);
    g.record(ran);
    return exitCodeOf(reports, g.failOn);
}

/**
 * The exit code of a finished run: 2 when anything could not be read or run, else 1 on a mandatory finding (at or
 * above `failOn` when given).
 */
export function exitCodeOf(reports: readonly Report[], failOn?: Severity): number {
    if (reports.some((r) => r.errors.length > 0)) return 2;
    const { hasMandatory } = require("../check/report") as typeof import("../check/report");
    return hasMandatory(reports, failOn) ? 1 : 0;
}

export function print(
    reports: readonly Report[],
    fmt: CheckFormat,
    io: Io,
    controls: readonly Control[],
    config?: Readonly<Record<string, PolicyConfigEntry>>,
): void {
    if (fmt === "json") io.out(JSON.stringify({ version: 1, reports }, null, 2) + "\n");
    else if (fmt === "sarif") {
        const { toSarif } = require("../scan/sarif") as typeof import("../scan/sarif");
        io.out(JSON.stringify(toSarif(reports, controls, config), null, 2) + "\n");
    } else if (fmt === "junit") {
        const { toJunit } = require("../check/junit") as typeof import("../check/junit");
        io.out(
            toJunit(
                reports,
                controls.map((c) => c.id),
            ),
        );
    } else {
        const { formatText } = require("../check/report") as typeof import("../check/report");
        io.out(formatText(reports, new Map(controls.map((c) => [c.id, c]))));
    }
}

async function runScanCommand(args: readonly string[], io: Io, controls: () => readonly Control[]): Promise<number> {
    if (args.length === 0 || args[0] === "--help" || args[0] === "-h" || args.slice(1).some((a) => a === "--help" || a === "-h")) {
        if (args.length === 0) throw new CommandUsageError("scan", "scan needs a source: k8s, compose, dockerfile, docker or host");
        io.out(usageOf("scan") + "\n");
        return 0;
    }
    const { runScan } = require("./scan") as typeof import("./scan");
    try {
        return await runScan(args, io, controls());
    } catch (e) {
        if (e instanceof UsageError && !(e instanceof CommandUsageError)) throw new CommandUsageError("scan", e.message);
        if ((e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) throw new CommandUsageError("scan", (e as Error).message);
        throw e;
    }
}

function runList(args: readonly string[], io: Io, controls: () => readonly Control[]): number {
    const { values } = parse("list", args, { stride: { type: "string" }, cis: { type: "string" }, target: { type: "string" }, format: { type: "string" } });
    if (values.help) {
        io.out(usageOf("list") + "\n");
        return 0;
    }
    const fmt = values.format === "markdown" ? "markdown" : format(values.format);
    const { listControls } = require("./list") as typeof import("./list");
    io.out(listControls(controls(), { stride: values.stride, cis: values.cis, target: values.target }, fmt));
    return 0;
}

/** The process entry: any error that escapes (a bug, an EPIPE on stderr) is one line and exit 2. */
export function run(argv: readonly string[]): void {
    const debug = argv.includes("--debug");
    const die = (e: unknown) => {
        try {
            process.stderr.write(`stride-guard: internal error: ${describe(e)}\n`);
            if (debug && e instanceof Error && e.stack) process.stderr.write(printable(e.stack, { multiline: true, max: 20_000 }) + "\n");
        } catch {
            // stderr is gone too: the exit code is all that is left
        }
        process.exit(2);
    };
    process.on("uncaughtException", die);
    process.on("unhandledRejection", die);
    main(argv).then((code) => {
        process.exitCode = code;
    }, die);
}

if (require.main === module) run(process.argv.slice(2));
