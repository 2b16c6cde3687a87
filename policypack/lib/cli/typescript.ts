/**
 * Lets `check` run a Pulumi TypeScript program in-process, as the Node.js language host does with
 * ts-node, but transpile-only: `.ts` files are compiled module by module with the project's own
 * `typescript` (or ours) and no type checking — checking is `tsc`'s job, not the policy's.
 */
import * as fs from "fs";
import * as path from "path";

type Ts = {
    transpileModule(src: string, opts: { compilerOptions: Record<string, unknown>; fileName: string }): { outputText: string };
    ModuleKind: { CommonJS: number };
    ScriptTarget: { ES2020: number };
};

let registered = false;

/** Registers a `.ts` loader once; returns false when no TypeScript compiler can be found. */
export function registerTypeScript(projectDir: string): boolean {
    if (registered) return true;
    let ts: Ts;
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        ts = require(require.resolve("typescript", { paths: [projectDir, __dirname] })) as Ts;
    } catch {
        return false;
    }
    const compilerOptions = {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2020,
        esModuleInterop: true,
        inlineSourceMap: true,
        experimentalDecorators: true,
    };
    const extensions = require.extensions as Record<string, (m: NodeModule, filename: string) => void>;
    extensions[".ts"] = (m, filename) => {
        const src = fs.readFileSync(filename, "utf8");
        const out = ts.transpileModule(src, { compilerOptions, fileName: filename });
        (m as unknown as { _compile(code: string, file: string): void })._compile(out.outputText, filename);
    };
    registered = true;
    return true;
}

/** True when the program's entry point is TypeScript (a `.ts` main, or a folder with index.ts and no index.js). */
export function isTypeScriptProgram(main: string): boolean {
    if (main.endsWith(".ts")) return true;
    try {
        if (fs.statSync(main).isDirectory()) {
            return fs.existsSync(path.join(main, "index.ts")) && !fs.existsSync(path.join(main, "index.js"));
        }
    } catch {
        return false;
    }
    return false;
}
