/** Spawning the built CLI on generated Pulumi projects. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const MAIN = path.resolve(__dirname, "../../../policypack/bin/lib/cli/main.js");
const NODE_MODULES = path.resolve(require.resolve("@pulumi/pulumi/package.json"), "../../..");

/** A Pulumi project with one stack `dev` and `index.js` = `program` (or a `Pulumi.yaml` override). */
export function project(program: string, pulumiYaml = "name: p\nruntime: nodejs\n"): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sg-failclosed-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), pulumiYaml);
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config: {}\n");
    fs.writeFileSync(path.join(dir, "index.js"), program);
    fs.symlinkSync(NODE_MODULES, path.join(dir, "node_modules"));
    return dir;
}

export function run(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; out: string; err: string } {
    const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", env: { ...process.env, ...env }, timeout: 120_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
}
