/**
 * `stride-guard check`: runs Pulumi Node.js programs in-process under mocks (no engine, no cloud, no
 * account) and analyzes every resource they declare with the controls, as `pulumi preview
 * --policy-pack` would.
 */
import * as fs from "fs";
import * as path from "path";
import { Control } from "../contract/control";
import { analyze } from "../engine/analyze";
import { Report } from "../check/report";
import { PolicyConfigEntry } from "../config/reconcile";
import { loadProject } from "../runner/project";
import { runProgram } from "../runner/run";
import { deployedStackMocks } from "../runner/generated";
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
}

/** Stack names that have a `Pulumi.<stack>.yaml` in the project's stack config folder. */
export function stacksOf(projectDir: string): string[] {
    const proj = path.join(projectDir, "Pulumi.yaml");
    let configDir = projectDir;
    try {
        const m = /^stackConfigDir:\s*["']?([^"'\n#]+?)["']?\s*$/m.exec(fs.readFileSync(proj, "utf8"));
        if (m) configDir = path.resolve(projectDir, m[1]);
    } catch {
        throw new InputError(`no Pulumi.yaml in ${projectDir}: give the folder of a Pulumi project`);
    }
    if (!fs.existsSync(configDir)) return [];
    return fs
        .readdirSync(configDir)
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

export async function check(opts: CheckOptions): Promise<Report[]> {
    const dir = path.resolve(opts.projectDir);
    const stacks = opts.stacks.length > 0 ? opts.stacks : stacksOf(dir);
    if (stacks.length === 0) throw new InputError(`no stacks found in ${dir} (no Pulumi.<stack>.yaml files)`);
    const reports: Report[] = [];
    for (const stack of stacks) {
        let project;
        try {
            project = loadProject(dir, stack);
        } catch (e) {
            throw new InputError(`stack ${stack}: ${(e as Error).message}`);
        }
        try {
            const result = await runProgram(project.program, {
                project: project.project,
                stack: project.stack,
                config: project.config,
                secretConfigKeys: project.secretConfigKeys,
                preview: true,
                ...(opts.newStack ? {} : { mocks: deployedStackMocks }),
            });
            reports.push(analyze(`stack ${stack}`, result.resources, opts.controls, opts.config));
        } catch (e) {
            const msg = e instanceof Error ? e.message : String(e);
            reports.push({
                target: `stack ${stack}`,
                controls: 0,
                resources: 0,
                findings: [],
                errors: [`the program failed under mocks: ${msg.split("\n")[0]}`],
            });
        }
    }
    return reports;
}
