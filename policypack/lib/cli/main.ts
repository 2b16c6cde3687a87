#!/usr/bin/env node
/**
 * stride-guard command line: `check` (Pulumi programs in-process), `scan` (manifests, Compose files, Docker
 * engines) and `list` (the catalog).
 * Exit codes: 0 clean, 1 a mandatory violation, 2 usage, config or input errors.
 */
import { parseArgs } from "util";
import { Control } from "../core/control";
import { CONTROLS } from "../controls/index";
import { hasMandatory, formatText, Report } from "../check/report";
import { PACK_VERSION } from "../check/analyze";
import { InputError, loadPolicyConfig, UsageError } from "./config-file";
import { check } from "./check";
import { listControls } from "./list";
import { runScan } from "./scan";

const USAGE = `usage:
  stride-guard check [PROJECT_DIR] [--stack NAME]... [--all] [--config FILE] [--format text|json] [--new-stack]
      Runs the Pulumi Node.js program in PROJECT_DIR (default: .) for each stack under mocks, in-process,
      and checks every resource it declares, as at the preview of a deployed stack (--new-stack: as at the
      first preview, where generated keys, certificates and random values are still unknown).
      --all (the default) checks every stack with a Pulumi.<stack>.yaml.
      --config takes the same JSON as \`pulumi preview --policy-pack-config\`.
  stride-guard scan k8s PATH... [--config FILE] [--format text|json|sarif]
      Checks Kubernetes manifests: files, directories (*.yaml, *.yml, *.json, recursively) or - for stdin;
      multi-document files, List kinds and Helm output. CRDs, custom resources and non-objects are ignored.
      A directory with a kustomization.yaml is rendered with \`kubectl kustomize\`, a chart directory (Chart.yaml)
      with \`helm template\` (offline, bounded; exit 2 when the program is missing or fails).
  stride-guard scan dockerfile PATH... [--config FILE] [--format text|json|sarif]
      Checks Dockerfiles (directories: Dockerfile, Containerfile, Dockerfile.*, *.Dockerfile) with the image controls.
      Directory walks skip dot-directories (.git, .github, …) and node_modules; the summary counts them.
  stride-guard scan compose PATH... [--config FILE] [--format text|json|sarif]
      Checks the services of Docker Compose files (v2, v3, Compose Specification), with the files they
      include or extend, their env_files and the Dockerfiles they build. Directories as for k8s.
  stride-guard scan docker [--host URL] [--tls-ca FILE --tls-cert FILE --tls-key FILE] [--inspect FILE]...
                           [--config FILE] [--format text|json|sarif]
      Checks every container (running or not) and the daemon settings of a Docker engine (default: DOCKER_HOST,
      else unix:///var/run/docker.sock), or saved \`docker inspect\` output with --inspect.
      Inputs that cannot be read are reported and the rest is scanned; exit 2 only when nothing could be read.
  stride-guard scan host [--root DIR] [--pid PID]... [--auditctl] [--config FILE] [--format text|json|sarif]
      Checks a machine's files read-only (default root /): the running dockerd's command line and the
      daemon.json it uses, docker/containerd units, audit rules, static Pod manifests, kubelet configuration
      and the modes and owners of control-plane files. --pid judges only that dockerd; --auditctl also runs
      \`auditctl -l\` (never anything else) to judge the rules the kernel holds. Any unreadable file: exit 2.
  stride-guard list [--stride S|T|R|I|D|E] [--cis ID] [--target docker|kubernetes] [--format text|json|markdown]
      Lists the controls.
exit codes: 0 no mandatory violation, 1 a mandatory violation, 2 usage, config or input error`;

export interface Io {
    out(text: string): void;
    err(text: string): void;
}

const STD: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

export async function main(argv: readonly string[], io: Io = STD, controls: readonly Control[] = CONTROLS): Promise<number> {
    const [command, ...rest] = argv;
    try {
        switch (command) {
            case "check":
                return await runCheck(rest, io, controls);
            case "scan":
                return await runScan(rest, io, controls);
            case "list":
                return runList(rest, io, controls);
            case "--version":
            case "version":
                io.out(`${PACK_VERSION}\n`);
                return 0;
            case undefined:
            case "help":
            case "--help":
            case "-h":
                io.out(USAGE + "\n");
                return command === undefined ? 2 : 0;
            default:
                throw new UsageError(`unknown command ${JSON.stringify(command)}`);
        }
    } catch (e) {
        if (e instanceof InputError) {
            io.err(`stride-guard: ${e.message}\n`);
            return 2;
        }
        if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
            io.err(`stride-guard: ${(e as Error).message}\n${command === undefined ? "" : USAGE + "\n"}`);
            return 2;
        }
        io.err(`stride-guard: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        return 2;
    }
}

function format(v: string | undefined): "text" | "json" {
    if (v === undefined || v === "text" || v === "json") return v ?? "text";
    throw new UsageError(`--format takes text or json, not ${JSON.stringify(v)}`);
}

async function runCheck(args: readonly string[], io: Io, controls: readonly Control[]): Promise<number> {
    const { values, positionals } = parseArgs({
        args: [...args],
        allowPositionals: true,
        options: {
            stack: { type: "string", multiple: true },
            all: { type: "boolean" },
            config: { type: "string" },
            format: { type: "string" },
            "new-stack": { type: "boolean" },
        },
    });
    if (positionals.length > 1) throw new UsageError(`check takes one project folder, got ${positionals.length}`);
    if (values.all && values.stack) throw new UsageError("--all and --stack exclude each other");
    const fmt = format(values.format);
    const config = loadPolicyConfig(values.config, controls);
    const reports = await check({ projectDir: positionals[0] ?? ".", stacks: values.stack ?? [], controls, config, newStack: values["new-stack"] ?? false });
    print(reports, fmt, io, controls);
    if (reports.some((r) => r.errors.length > 0)) return 2;
    return hasMandatory(reports) ? 1 : 0;
}

export function print(reports: readonly Report[], fmt: "text" | "json", io: Io, controls: readonly Control[]): void {
    if (fmt === "json") io.out(JSON.stringify({ version: 1, reports }, null, 2) + "\n");
    else io.out(formatText(reports, new Map(controls.map((c) => [c.id, c]))));
}

function runList(args: readonly string[], io: Io, controls: readonly Control[]): number {
    const { values } = parseArgs({
        args: [...args],
        options: { stride: { type: "string" }, cis: { type: "string" }, target: { type: "string" }, format: { type: "string" } },
    });
    const fmt = values.format === "markdown" ? "markdown" : format(values.format);
    io.out(listControls(controls, { stride: values.stride, cis: values.cis, target: values.target }, fmt));
    return 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (e) => {
            process.stderr.write(`stride-guard: ${String(e)}\n`);
            process.exitCode = 2;
        },
    );
}
