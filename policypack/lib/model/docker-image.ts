import type { Finding } from "../core/control";
import { Invalid, isObj, UNKNOWN, V } from "../core/values";

/**
 * How an image reference is used: `pull` (the image is pulled and run), `push` (the name a stack
 * builds or pushes an image under, which cannot carry a digest), `base` (a Dockerfile `FROM`).
 */
export type ImageRefUse = "pull" | "push" | "base";

/** One image reference of a resource: Container.image, a service task's image, RemoteImage/RegistryImage/Image names, FROM lines. */
export interface DockerImageRefModel {
    readonly ref: V<string>;
    readonly use: ImageRefUse;
    /** Base images only: build arguments the FROM line uses that have no value (the reference is then partial). */
    readonly unresolved: readonly string[];
    readonly paths: { readonly ref: string };
}

export interface DockerfileInstruction {
    /** 1-based line of the instruction's first line. */
    readonly line: number;
    /** Upper-cased keyword: FROM, RUN, USER, ADD, … */
    readonly keyword: string;
    /** Leading `--name[=value]` flags (value "" when absent). */
    readonly flags: Readonly<Record<string, string>>;
    /** The rest of the instruction, continuation lines joined. */
    readonly args: string;
}

export interface DockerfileStage {
    readonly index: number;
    /** `AS name`, lower-cased as Docker compares it. */
    readonly name: string | undefined;
    /** The FROM image as written (before argument expansion). */
    readonly from: string;
    readonly fromLine: number;
    readonly instructions: readonly DockerfileInstruction[];
}

export interface Dockerfile {
    /** ARGs before the first FROM: in scope for FROM lines. */
    readonly globalArgs: readonly DockerfileInstruction[];
    readonly stages: readonly DockerfileStage[];
    /** Lines that are not valid instructions (reported, never skipped silently). */
    readonly errors: readonly { readonly line: number; readonly column: number; readonly problem: string }[];
}

/** A `docker:index/image:Image` build: the Dockerfile read from disk and parsed once. */
export interface DockerBuildModel {
    readonly imageName: V<string>;
    /** Where the Dockerfile was looked for, as written in the inputs (for messages). */
    readonly dockerfilePath: V<string>;
    /** The parsed Dockerfile; UNKNOWN when its path is unknown at preview; undefined when it cannot be read (see `unreadable`). */
    readonly dockerfile: V<Dockerfile>;
    readonly unreadable: string | undefined;
    /** `build.target`: the stage that becomes the image (the last stage otherwise). */
    readonly target: V<string>;
    /** `build.args`: values may be secrets; messages only ever name the keys. */
    readonly buildArgs: V<Readonly<Record<string, unknown>>>;
    readonly paths: Readonly<Record<"imageName" | "dockerfile" | "target" | "buildArgs", string>>;
}

declare module "../core/subject" {
    interface SubjectModels {
        /** Every image reference a resource makes, including FROM lines of Dockerfiles the stack builds. */
        readonly dockerImageRef: DockerImageRefModel;
        /** Image builds (`docker:index/image:Image`) with their Dockerfile. */
        readonly dockerBuild: DockerBuildModel;
    }
}

// ---- pure helpers over a parsed Dockerfile ---------------------------------------------------

export type Vars = ReadonlyMap<string, string | undefined>;

/** Expands `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alt}`; names without a value are listed in `missing`. */
export function expand(text: string, vars: Vars): { value: string; missing: string[] } {
    const missing: string[] = [];
    const value = text.replace(
        /\$(?:\{(\w+)(?::?([-+])([^}]*))?\}|(\w+))/g,
        (_m, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
            const name = (braced ?? bare) as string;
            const v = vars.get(name);
            const set = v !== undefined && v !== "";
            if (op === "-") return set ? (v as string) : (word ?? "");
            if (op === "+") return set ? (word ?? "") : "";
            if (v === undefined) missing.push(name);
            return v ?? "";
        },
    );
    return { value, missing };
}

/** Values of `ARG name[=default]` / `ENV k=v …` instructions, build args overriding ARG defaults. */
export function declaredVars(ins: DockerfileInstruction, scope: Map<string, string | undefined>, buildArgs: Vars, globals?: Vars): void {
    if (ins.keyword === "ARG") {
        for (const decl of ins.args.split(/\s+/).filter((w) => w !== "")) {
            const eq = decl.indexOf("=");
            const name = eq < 0 ? decl : decl.slice(0, eq);
            const def = eq < 0 ? (scope.get(name) ?? globals?.get(name)) : unquote(decl.slice(eq + 1));
            scope.set(name, buildArgs.has(name) ? buildArgs.get(name) : def);
        }
    } else if (ins.keyword === "ENV") {
        for (const [k, v] of envPairs(ins.args)) scope.set(k, expand(v, scope).value);
    }
}

export function unquote(s: string): string {
    return s.replace(/^(['"])(.*)\1$/s, "$2");
}

/** `ENV a=1 b="two words"` and the legacy `ENV key value`. */
export function envPairs(args: string): [string, string][] {
    const s = args.trim();
    if (!/^[^\s=]+=/.test(s)) {
        const m = /^(\S+)\s+([\s\S]*)$/.exec(s);
        return m ? [[m[1], m[2]]] : [[s, ""]];
    }
    const out: [string, string][] = [];
    for (const m of s.matchAll(/([^\s=]+)=("(?:[^"\\]|\\.)*"|'[^']*'|(?:[^\s\\]|\\.)*)/g)) out.push([m[1], unquote(m[2])]);
    return out;
}

/** The stage an image build produces: `build.target`, else the last stage. */
export function finalStage(df: Dockerfile, target: string | undefined): DockerfileStage | string {
    if (df.stages.length === 0) return "has no FROM instruction";
    if (target === undefined || target === "") return df.stages[df.stages.length - 1];
    const t = target.toLowerCase();
    return df.stages.find((s) => s.name === t) ?? `has no stage named "${target.slice(0, 64)}" (build.target)`;
}

/** The stage a FROM names, when it names an earlier stage rather than an image. */
export function stageOf(df: Dockerfile, ref: string, before: number): DockerfileStage | undefined {
    const r = ref.toLowerCase();
    for (let i = before - 1; i >= 0; i--) if (df.stages[i].name === r || String(df.stages[i].index) === r) return df.stages[i];
    return undefined;
}

/** Global ARG scope for FROM lines. */
export function globalScope(df: Dockerfile, buildArgs: Vars): Map<string, string | undefined> {
    const scope = new Map<string, string | undefined>();
    for (const ins of df.globalArgs) declaredVars(ins, scope, buildArgs);
    return scope;
}

/** `build.args` as variables (non-string values count as unset). */
export function buildArgVars(args: unknown): Vars {
    const vars = new Map<string, string | undefined>();
    if (isObj(args)) for (const [k, v] of Object.entries(args)) vars.set(k, typeof v === "string" ? v : undefined);
    return vars;
}

/** The parsed Dockerfile of a build, or the finding that says why it cannot be checked. */
export function dockerfileOf(b: DockerBuildModel): Dockerfile | Finding {
    const where = typeof b.dockerfilePath === "string" ? `"${b.dockerfilePath}"` : "the Dockerfile";
    if (b.dockerfile === UNKNOWN)
        return { field: "dockerfile", unknown: true, message: "path is unknown at preview, so the Dockerfile cannot be checked yet." };
    if (b.dockerfile instanceof Invalid) return { field: "dockerfile", message: `is malformed: expected ${b.dockerfile.expected}, got ${b.dockerfile.got}.` };
    if (b.dockerfile === undefined) {
        return {
            field: "dockerfile",
            message: `${where} cannot be read (${b.unreadable ?? "unknown reason"}), so the image's Dockerfile cannot be checked. Use an absolute build.dockerfile path, or run preview from the project directory.`,
        };
    }
    return b.dockerfile;
}

/** Where a Dockerfile line (and column) is, or the file without a line, for a finding's field. */
export function lineField(b: DockerBuildModel, line?: number, column?: number): string {
    const file = typeof b.dockerfilePath === "string" ? b.dockerfilePath : "Dockerfile";
    return line === undefined ? file : column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
}

export type EffectiveUser =
    | { readonly kind: "set"; readonly user: string; readonly line: number; readonly missing: readonly string[] }
    /** No USER up the chain of stages: the base image's user applies. */
    | { readonly kind: "inherited"; readonly stage: DockerfileStage; readonly base: string };

/** The user the stage's image runs as: its last USER, else that of the stage it is built FROM. */
export function effectiveUser(df: Dockerfile, stage: DockerfileStage, buildArgs: Vars): EffectiveUser {
    const globals = globalScope(df, buildArgs);
    for (let s: DockerfileStage | undefined = stage, hops = 0; s && hops <= df.stages.length; hops++) {
        let last = -1;
        s.instructions.forEach((ins, i) => {
            if (ins.keyword === "USER") last = i;
        });
        if (last >= 0) {
            const scope = new Map<string, string | undefined>();
            for (let i = 0; i < last; i++) declaredVars(s.instructions[i], scope, buildArgs, globals);
            const { value, missing } = expand(s.instructions[last].args, scope);
            return { kind: "set", user: value.trim(), line: s.instructions[last].line, missing };
        }
        const base = expand(s.from, globals).value;
        const next = stageOf(df, base, s.index);
        if (!next) return { kind: "inherited", stage: s, base };
        s = next;
    }
    return { kind: "inherited", stage, base: stage.from };
}

/** True for root: "root", "0", with or without a group. */
export function isRootUser(user: string): boolean {
    const name = user.split(":")[0].trim();
    return name === "root" || name === "0" || name === "";
}
