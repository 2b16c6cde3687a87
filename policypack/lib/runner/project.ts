/**
 * Reads a Pulumi project folder (`Pulumi.yaml` + `Pulumi.<stack>.yaml`) into what `runProgram` needs.
 *
 * Secure values (`{secure: <ciphertext>}`) cannot be decrypted here (no key/passphrase/service): they become
 * secret placeholders — the key is listed in `secretConfigKeys` and its value is `opts.secrets[key]` when the
 * caller supplies one, else the placeholder `"[secret]"`. The ciphertext itself is never exposed.
 */
import * as fs from "fs";
import * as path from "path";
import { readTextFile, unreadable } from "../scan/sources";
import { parseYamlFile } from "../scan/yaml";
import { resolveProgramPath } from "./run";

export const SECRET_PLACEHOLDER = "[secret]";

export interface LoadedProject {
    /** Project folder (absolute). */
    dir: string;
    project: string;
    stack: string;
    /** Runtime name from `runtime:` (string or `{name}` form). */
    runtime: string;
    runtimeOptions?: Record<string, unknown>;
    /** `main` as written in Pulumi.yaml, if any. */
    mainSetting?: string;
    /** Program to pass to `runProgram`: absolute module path (main resolved via package.json as the host does). */
    program: string;
    /** Stack config `"ns:key" → value` (structured values as JSON text). */
    config: Record<string, string>;
    secretConfigKeys: string[];
    /** Where the stack config file was looked up. */
    stackConfigFile: string;
}

export interface LoadProjectOptions {
    /** Plaintext for secure keys, `"ns:key" → value` (e.g. in tests). */
    secrets?: Record<string, string>;
}

function isObj(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Replaces nested `{secure: ...}` with the placeholder; reports whether any was found. */
function stripSecure(v: unknown, found: { secure: boolean }): unknown {
    if (Array.isArray(v)) return v.map((x) => stripSecure(x, found));
    if (isObj(v)) {
        if (Object.keys(v).length === 1 && typeof v.secure === "string") {
            found.secure = true;
            return SECRET_PLACEHOLDER;
        }
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(v)) out[k] = stripSecure(v[k], found);
        return out;
    }
    return v;
}

function stackNamesIn(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => !!s)
        .sort();
}

/**
 * One YAML document (Pulumi.yaml, Pulumi.<stack>.yaml). A syntax error names file:line:column and what is
 * wrong, never the line itself: a stack config holds passwords.
 */
function readYaml(file: string): unknown {
    let text: string;
    try {
        // A regular file only, bounded while reading, as scan reads manifests (a FIFO would hang the gate).
        text = readTextFile(file);
    } catch (e) {
        throw new Error(`${file}: cannot read: ${unreadable(e)}`, { cause: e });
    }
    const parsed = parseYamlFile(file, text, { version: "1.2" });
    if (parsed.errors.length > 0) throw new Error(parsed.errors[0].replace(/ \(the document starting at line \d+ is skipped\)$/, ""));
    return parsed.documents[0]?.value ?? null;
}

function readProjectFile(root: string): { projFile: string; proj: Record<string, unknown>; configDir: string } {
    const projFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(root, f)).find((f) => fs.existsSync(f));
    if (!projFile) throw new Error(`no Pulumi.yaml project file found in ${root}`);
    const proj = readYaml(projFile);
    if (!isObj(proj) || typeof proj.name !== "string" || !proj.name) {
        throw new Error(`${projFile}: project is missing a 'name' attribute`);
    }
    const configDir = typeof proj.stackConfigDir === "string" ? path.resolve(root, proj.stackConfigDir) : root;
    return { projFile, proj, configDir };
}

/** The stacks of a project: those with a `Pulumi.<stack>.yaml` in its stack config folder, sorted. */
export function stackNames(dir: string): string[] {
    return stackNamesIn(readProjectFile(path.resolve(dir)).configDir);
}

export function loadProject(dir: string, stack?: string, opts: LoadProjectOptions = {}): LoadedProject {
    const root = path.resolve(dir);
    const { projFile, proj, configDir } = readProjectFile(root);
    const project = proj.name as string;
    let runtime = "";
    let runtimeOptions: Record<string, unknown> | undefined;
    if (typeof proj.runtime === "string") runtime = proj.runtime;
    else if (isObj(proj.runtime)) {
        runtime = String(proj.runtime.name ?? "");
        if (isObj(proj.runtime.options)) runtimeOptions = proj.runtime.options;
    }
    if (!runtime) throw new Error(`${projFile}: project is missing a 'runtime' attribute`);
    // Only a Node.js program can run here; anything else would end in a `require` stack trace.
    if (runtime !== "nodejs")
        throw new Error(
            `only Node.js Pulumi programs can be run here, and this project's runtime is ${JSON.stringify(runtime.slice(0, 40))}: check it with \`pulumi preview --policy-pack\` instead`,
        );

    if (!stack) {
        const names = stackNamesIn(configDir);
        if (names.length !== 1) throw new Error(`a stack name is required (found ${names.length} stack config files in ${configDir})`);
        stack = names[0];
    }
    const stackConfigFile =
        [".yaml", ".yml"].map((e) => path.join(configDir, `Pulumi.${stack}${e}`)).find((f) => fs.existsSync(f)) ?? path.join(configDir, `Pulumi.${stack}.yaml`);

    const config: Record<string, string> = {};
    const secretConfigKeys: string[] = [];
    if (fs.existsSync(stackConfigFile)) {
        const doc = readYaml(stackConfigFile);
        const cfg = isObj(doc) && isObj(doc.config) ? doc.config : {};
        for (const rawKey of Object.keys(cfg)) {
            const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
            let v = cfg[rawKey];
            if (isObj(v) && Object.keys(v).length === 1 && "value" in v) v = v.value;
            const found = { secure: false };
            const clean = stripSecure(v, found);
            let text: string;
            if (found.secure && typeof clean === "string") {
                text = opts.secrets?.[key] ?? SECRET_PLACEHOLDER;
            } else if (typeof clean === "string") {
                text = clean;
            } else if (clean === null || clean === undefined) {
                text = "";
            } else if (typeof clean === "object") {
                text = JSON.stringify(clean);
            } else {
                text = String(clean);
            }
            config[key] = text;
            if (found.secure) secretConfigKeys.push(key);
        }
    }

    const mainSetting = typeof proj.main === "string" ? proj.main : undefined;
    const program = resolveProgramPath(mainSetting ? path.resolve(root, mainSetting) : root);
    return {
        dir: root,
        project,
        stack,
        runtime,
        ...(runtimeOptions ? { runtimeOptions } : {}),
        ...(mainSetting ? { mainSetting } : {}),
        program,
        config,
        secretConfigKeys,
        stackConfigFile,
    };
}
