/**
 * `stride-guard check`: runs Pulumi Node.js programs under mocks (no engine, no cloud, no account), each
 * stack in its own child process with a deadline, and analyzes every resource they declare with the
 * controls, as `pulumi preview --policy-pack` would.
 */
import * as path from "path";
import { Control } from "../contract/control";
import { analyze } from "../engine/analyze";
import { printable } from "../kernel/text";
import { Report } from "../check/report";
import { PolicyConfigEntry } from "../config/reconcile";
import { loadProject, stackNames } from "../runner/project";
import { DEFAULT_TIMEOUT_SECONDS, ProgramFailure, runIsolated } from "../runner/isolate";
import { InputError } from "./config-file";

export interface CheckOptions {
    readonly projectDir: string;
    /** Stack names; empty means every stack with a config file. */
    readonly stacks: readonly string[];
    readonly controls: readonly Control[];
    readonly config: Readonly<Record<string, PolicyConfigEntry>>;
    /**
     * Check the first preview of a new stack: values providers generate (keys, certificates, random values) are
     * unknown, as they are before the first `pulumi up`. By default the preview of a deployed stack is checked,
     * where the engine knows them from the state.
     */
    readonly newStack?: boolean;
    /** Deadline of each stack's program, in seconds (default 300). */
    readonly timeoutSeconds?: number;
    /** Called with a failed program's stack trace and output (--debug). */
    readonly debug?: (text: string) => void;
}

export async function check(opts: CheckOptions): Promise<Report[]> {
    const dir = path.resolve(opts.projectDir);
    let existing: string[];
    try {
        existing = stackNames(dir);
    } catch (e) {
        throw new InputError(printable((e as Error).message));
    }
    if (existing.length === 0) throw new InputError(`no stacks found in ${printable(dir)} (no Pulumi.<stack>.yaml files)`);
    const missing = opts.stacks.filter((s) => !existing.includes(s));
    if (missing.length > 0)
        throw new InputError(
            `no stack ${missing.map((s) => JSON.stringify(printable(s, { max: 100 }))).join(", ")} in ${printable(dir)}: its stacks are ${existing.join(", ")}`,
        );
    const stacks = opts.stacks.length > 0 ? opts.stacks : existing;
    const reports: Report[] = [];
    for (const stack of stacks) {
        let project;
        try {
            project = loadProject(dir, stack);
        } catch (e) {
            throw new InputError(`stack ${stack}: ${printable((e as Error).message)}`);
        }
        try {
            const result = await runIsolated({
                program: project.program,
                root: dir,
                project: project.project,
                stack: project.stack,
                config: project.config,
                secretConfigKeys: project.secretConfigKeys,
                newStack: opts.newStack ?? false,
                timeoutSeconds: opts.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
            });
            reports.push(analyze(`stack ${stack}`, result.resources, opts.controls, opts.config));
        } catch (e) {
            if (!(e instanceof ProgramFailure)) throw e;
            if (opts.debug) opts.debug(`stack ${stack}: ${e.failure.detail ?? ""}\n${e.output}`);
            reports.push({ target: `stack ${stack}`, controls: 0, resources: 0, findings: [], errors: [`the program ${e.message}`] });
        }
    }
    return reports;
}
