/**
 * Runs a Pulumi Node.js program in-process under `pulumi.runtime.setMocks` and captures every resource
 * registration as the engine would receive it (inputs in wire form, options, provider, parent, deps).
 *
 * How: the program runs inside a fresh Pulumi runtime store (`withLocalStorage`, the same mechanism the
 * Automation API uses for inline programs), with the mock monitor installed by `setMocks`. The monitor's
 * registerResource/readResource/registerResourceOutputs handlers are wrapped so that the raw gRPC request
 * is recorded before the mock answers. Requests carry inputs already serialized by the SDK, i.e. exactly the
 * engine's view: secrets stay `{sig: secret, value}` and (on preview) unknowns stay sentinel strings.
 *
 * Default providers: the Node SDK never registers them (the engine does), so for every custom resource
 * without an explicit provider the runner synthesizes `pulumi:providers:<pkg>::default_<version>` from
 * the `<pkg>:*` stack config plus `version`, as the engine does.
 *
 * TypeScript programs (`.ts` entry) are loaded through ts-node, transpile-only (see `ensureTypeScript`).
 *
 * Isolation limits:
 *  - runs are serialized through an internal queue (module-cache clearing is process-wide);
 *  - before and after a run, `require.cache` entries of the program's own files (not its node_modules) are
 *    dropped so the program re-executes; shared libraries (@pulumi/*) stay cached — their per-run state
 *    lives in the Pulumi runtime store, which is fresh per run;
 *  - global side effects of a program (process.env, globalThis, timers) are not undone.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CapturedProvider, CapturedResource, RunResult, UNKNOWN, wireSecret } from "./types";
import { installLeanRuntime } from "./lean";

export interface RunOptions {
    project: string;
    stack: string;
    /** Stack config, `"ns:key" → value` (structured values as JSON text, like the CLI passes them). */
    config?: Record<string, string>;
    /** Keys of `config` that are secret (`new pulumi.Config().getSecret`/requireSecret see them as secrets). */
    secretConfigKeys?: string[];
    /** Preview (default true): outputs the mock does not return are unknown to dependent resources. */
    preview?: boolean;
    /** Override the mocks. Default newResource echoes inputs as state, id `<name>_id` (none on preview). */
    mocks?: Partial<pulumi.runtime.Mocks>;
    /**
     * Make specific outputs unknown (preview only): key is a resource name or type token; value the output
     * property names whose value dependents must see as unknown (even if the mock returns a value).
     */
    unknownOutputs?: Record<string, string[]>;
    organization?: string;
    /**
     * This process runs only this program (`runner/child.ts`): the SDK's process-wide store instead of a fresh
     * AsyncLocalStorage store (whose promise hooks make every promise of a large program heavier), and no
     * module-cache clearing.
     */
    isolated?: boolean;
    /**
     * Called once the program's exported value has settled; the run is assembled when it resolves. Default:
     * `quiesce` (bounded rounds of draining the SDK's RPC queue). The child resolves it when the event loop is
     * empty, as the language host ends a program: resources registered from timers count too.
     */
    untilIdle?: () => Promise<void>;
}

type Req = {
    getType(): string;
    getName(): string;
    getParent(): string;
    getProvider(): string;
    getVersion(): string;
    getDependenciesList(): string[];
    getAdditionalsecretoutputsList(): string[];
};

interface RawCapture {
    kind: "register" | "read";
    type: string;
    name: string;
    urn: string;
    custom: boolean;
    parent: string;
    providerRef: string;
    version: string;
    props: Record<string, unknown>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    options: CapturedResource["options"];
    id?: string;
}

const stateModule = require("@pulumi/pulumi/runtime/state") as {
    withLocalStorage<T>(cb: () => T): T;
    getStore(): { settings: { monitor?: unknown }; config: Record<string, string> };
};

const settingsModule = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

function structToJs(s: unknown): Record<string, unknown> {
    if (s && typeof (s as { toJavaScript?: unknown }).toJavaScript === "function") {
        return (s as { toJavaScript(): Record<string, unknown> }).toJavaScript();
    }
    return {};
}

function typeOfUrn(urn: string): string {
    const parts = urn.split("::");
    return parts.length >= 4 ? parts[2] : "";
}

/** The engine's URN scheme: the parent's qualified type is prefixed unless the parent is the root stack. */
function makeUrn(stack: string, project: string, parent: string, type: string, name: string): string {
    let qualified = type;
    if (parent) {
        const pt = typeOfUrn(parent);
        if (pt && pt !== ROOT_STACK_TYPE) qualified = pt + "$" + type;
    }
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

function aliasUrns(
    req: { getAliasesList?: () => unknown[]; getAliasurnsList?: () => string[] },
    stack: string,
    project: string,
    type: string,
    name: string,
    parent: string,
): string[] {
    const out: string[] = [...(req.getAliasurnsList?.() ?? [])];
    for (const a of (req.getAliasesList?.() ?? []) as Array<Record<string, () => unknown>>) {
        const urn = a.getUrn?.() as string | undefined;
        if (urn) {
            out.push(urn);
            continue;
        }
        const spec = a.getSpec?.() as Record<string, () => unknown> | undefined;
        if (!spec) continue;
        const aParent = spec.getNoparent?.() ? "" : (spec.getParenturn?.() as string) || parent;
        out.push(
            makeUrn(
                (spec.getStack?.() as string) || stack,
                (spec.getProject?.() as string) || project,
                aParent,
                (spec.getType?.() as string) || type,
                (spec.getName?.() as string) || name,
            ),
        );
    }
    return out;
}

function versionToName(v: string): string {
    return v ? "default_" + v.replace(/[.\-+]/g, "_") : "default";
}

/**
 * Resolves a program path to a module file: a file as is; a folder via its package.json `main`, else
 * `index.js`, else `index.ts` (TypeScript programs are transpiled on load, see `ensureTypeScript`).
 */
export function resolveProgramPath(p: string): string {
    const abs = path.resolve(p);
    if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) {
        const pkgPath = path.join(abs, "package.json");
        let main: string | undefined;
        if (fs.existsSync(pkgPath)) {
            const pkg = JSON.parse(fs.readFileSync(pkgPath, "utf8")) as { main?: string };
            if (typeof pkg.main === "string" && pkg.main) main = pkg.main;
        }
        if (main === undefined) {
            main = !fs.existsSync(path.join(abs, "index.js")) && fs.existsSync(path.join(abs, "index.ts")) ? "index.ts" : "index.js";
        }
        return require.resolve(path.resolve(abs, main));
    }
    return require.resolve(abs);
}

let typeScriptRegistered = false;

/**
 * Lets `require` load `.ts` programs, as the Pulumi Node.js host does for `runtime.options.typescript`: it
 * registers ts-node (the project's, else the copy vendored in @pulumi/pulumi) process-wide, transpile-only
 * (no type check: run `tsc` for that), CommonJS output.
 */
export function ensureTypeScript(): void {
    if (typeScriptRegistered) return;

    const tsutils = require("@pulumi/pulumi/tsutils") as { typeScriptRequireStrings(): { tsnodeRequire: string; typescriptRequire: string } };
    const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();

    (require(tsnodeRequire) as { register(o: unknown): void }).register({
        transpileOnly: true,
        skipProject: true,
        compiler: typescriptRequire,
        compilerOptions: { target: "ES2020", module: "commonjs", moduleResolution: "node", esModuleInterop: true, sourceMap: true },
    });
    typeScriptRegistered = true;
}

function clearProgramModules(root: string): void {
    const prefix = root.endsWith(path.sep) ? root : root + path.sep;
    for (const k of Object.keys(require.cache)) {
        if (k.startsWith(prefix) && !k.slice(prefix.length).split(path.sep).includes("node_modules")) {
            delete require.cache[k];
        }
    }
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs `program` under mocks and returns every captured resource plus the stack outputs. */
export function runProgram(program: (() => unknown) | string, opts: RunOptions): Promise<RunResult> {
    const next = queue.then(
        () => runOnce(program, opts),
        () => runOnce(program, opts),
    );
    queue = next.catch(() => undefined);
    return next;
}

async function runOnce(program: (() => unknown) | string, opts: RunOptions): Promise<RunResult> {
    const preview = opts.preview ?? true;
    const { project, stack } = opts;
    let programFile: string | undefined;
    let programRoot: string | undefined;
    if (typeof program === "string") {
        programFile = resolveProgramPath(program);
        if (/\.[cm]?tsx?$/.test(programFile)) ensureTypeScript();
        if (!opts.isolated) {
            programRoot = fs.statSync(path.resolve(program)).isDirectory() ? path.resolve(program) : path.dirname(programFile);
            clearProgramModules(programRoot);
        }
    }
    const restore = installLeanRuntime();
    try {
        const run = () => runInStore(program, programFile, opts, preview, project, stack);
        return await (opts.isolated ? run() : stateModule.withLocalStorage(run));
    } finally {
        restore();
        if (programRoot) clearProgramModules(programRoot);
    }
}

async function runInStore(
    program: (() => unknown) | string,
    programFile: string | undefined,
    opts: RunOptions,
    preview: boolean,
    project: string,
    stack: string,
): Promise<RunResult> {
    const raws: RawCapture[] = [];
    const outputsByUrn = new Map<string, Record<string, unknown>>();
    const unknownOutputs = opts.unknownOutputs ?? {};

    const userMocks = opts.mocks ?? {};
    const mocks: pulumi.runtime.Mocks = {
        call: (args) => (userMocks.call ? userMocks.call(args) : {}),
        newResource: async (args) => {
            const res = userMocks.newResource ? await userMocks.newResource(args) : { id: preview ? undefined : `${args.name}_id`, state: { ...args.inputs } };
            if (preview) {
                const keys = [...(unknownOutputs[args.name] ?? []), ...(unknownOutputs[args.type] ?? [])];
                if (keys.length > 0) {
                    const state = { ...(res.state ?? {}) };
                    for (const k of keys) state[k] = UNKNOWN;
                    return { id: res.id, state };
                }
            }
            return res;
        },
    };

    await pulumi.runtime.setMocks(mocks, project, stack, preview, opts.organization);
    pulumi.runtime.setAllConfig(opts.config ?? {}, opts.secretConfigKeys ?? []);

    const store = stateModule.getStore();
    const monitor = store.settings.monitor as Record<string, unknown> & {
        registerResource(req: unknown, cb: (e: unknown, r: unknown) => void): Promise<void>;
        readResource(req: unknown, cb: (e: unknown, r: unknown) => void): Promise<void>;
        registerResourceOutputs(req: unknown, cb: (e: unknown, r: unknown) => void): void;
    };
    // Engine-faithful URNs (the stock mock prefixes the root stack type onto top-level children).
    monitor.newUrn = (parent: string, type: string, name: string) => makeUrn(stack, project, parent, type, name);

    const origRegister = monitor.registerResource.bind(monitor);
    const origRead = monitor.readResource.bind(monitor);
    const origOutputs = monitor.registerResourceOutputs.bind(monitor);

    monitor.registerResource = (req: unknown, cb: (e: unknown, r: unknown) => void) => {
        const r = req as Req & Record<string, () => unknown>;
        const urn = makeUrn(stack, project, r.getParent(), r.getType(), r.getName());
        const propertyDependencies: Record<string, string[]> = {};
        (r.getPropertydependenciesMap() as { forEach(f: (v: { getUrnsList(): string[] }, k: string) => void): void }).forEach((v, k) => {
            propertyDependencies[k] = [...v.getUrnsList()];
        });
        const timeouts = r.getCustomtimeouts?.() as Record<string, () => string> | undefined;
        raws.push({
            kind: "register",
            type: r.getType(),
            name: r.getName(),
            urn,
            custom: r.getCustom() as boolean,
            parent: r.getParent(),
            providerRef: r.getProvider(),
            version: r.getVersion(),
            props: structToJs(r.getObject()),
            dependencies: [...r.getDependenciesList()],
            propertyDependencies,
            options: {
                protect: (r.getProtect() as boolean | undefined) ?? false,
                ignoreChanges: [...(r.getIgnorechangesList() as string[])],
                ...(r.getDeletebeforereplacedefined() ? { deleteBeforeReplace: r.getDeletebeforereplace() as boolean } : {}),
                aliases: aliasUrns(r as never, stack, project, r.getType(), r.getName(), r.getParent()),
                additionalSecretOutputs: [...r.getAdditionalsecretoutputsList()],
                ...(timeouts && (timeouts.getCreate() || timeouts.getUpdate() || timeouts.getDelete())
                    ? {
                          customTimeouts: {
                              ...(timeouts.getCreate() ? { create: timeouts.getCreate() } : {}),
                              ...(timeouts.getUpdate() ? { update: timeouts.getUpdate() } : {}),
                              ...(timeouts.getDelete() ? { delete: timeouts.getDelete() } : {}),
                          },
                      }
                    : {}),
            },
            ...((r.getImportid() as string) ? { id: r.getImportid() as string } : {}),
        });
        // The engine records the requested plugin version as the `version` input of explicit providers.
        const last = raws[raws.length - 1];
        if (last.type.startsWith("pulumi:providers:") && last.version && last.props.version === undefined) {
            last.props.version = last.version;
        }
        return origRegister(req, cb);
    };
    monitor.readResource = (req: unknown, cb: (e: unknown, r: unknown) => void) => {
        const r = req as Req & Record<string, () => unknown>;
        raws.push({
            kind: "read",
            type: r.getType(),
            name: r.getName(),
            urn: makeUrn(stack, project, r.getParent(), r.getType(), r.getName()),
            custom: true,
            parent: r.getParent(),
            providerRef: r.getProvider(),
            version: r.getVersion(),
            props: structToJs(r.getProperties()),
            dependencies: [...r.getDependenciesList()],
            propertyDependencies: {},
            options: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [...r.getAdditionalsecretoutputsList()] },
            id: r.getId() as string,
        });
        return origRead(req, cb);
    };
    monitor.registerResourceOutputs = (req: unknown, cb: (e: unknown, r: unknown) => void) => {
        const r = req as { getUrn(): string; getOutputs(): unknown };
        outputsByUrn.set(r.getUrn(), structToJs(r.getOutputs()));
        return origOutputs(req, cb);
    };

    const init = async (): Promise<unknown> => {
        if (typeof program === "function") return await program();
        // Like the language host: require the module; if it exports a function, call it; await the result.
        const mod = require(programFile as string) as unknown;
        const exported =
            (mod as { __esModule?: boolean; default?: unknown }).__esModule && typeof (mod as { default?: unknown }).default === "function"
                ? (mod as { default: unknown }).default
                : mod;
        return await (typeof exported === "function" ? (exported as () => unknown)() : exported);
    };

    await pulumi.runtime.runInPulumiStack(init);
    await (opts.untilIdle ? opts.untilIdle() : quiesce(() => raws.length));

    return assemble(raws, outputsByUrn, opts, stack, project);
}

/**
 * Waits until the program has stopped registering resources. The language host keeps a program alive while
 * its event loop has work; here the run must not end while an `apply` callback (YAML and Helm v3 components
 * register their children in one) is still due to create resources. So: drain the RPC queue, let pending
 * callbacks run, and repeat until a round registers nothing new. Bounded, so a program that never settles ends.
 */
async function quiesce(registered: () => number): Promise<void> {
    const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
    for (let round = 0; round < 200; round++) {
        const before = registered();
        await settingsModule.waitForRPCs();
        for (let i = 0; i < 3; i++) await turn();
        await settingsModule.waitForRPCs();
        if (registered() === before) return;
    }
}

function assemble(raws: RawCapture[], outputsByUrn: Map<string, Record<string, unknown>>, opts: RunOptions, stack: string, project: string): RunResult {
    const resources: CapturedResource[] = [];
    const byUrn = new Map<string, CapturedResource>();
    const defaultProviders = new Map<string, CapturedResource>();
    const secretKeys = new Set(opts.secretConfigKeys ?? []);
    const stackUrn = raws.find((r) => r.type === ROOT_STACK_TYPE && !r.parent)?.urn;

    const toCaptured = (r: RawCapture): CapturedResource => {
        const c: CapturedResource = {
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: r.props,
            custom: r.custom,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
            options: r.options,
            kind: r.kind,
        };
        if (r.parent) c.parent = r.parent;
        if (r.id !== undefined) c.id = r.id;
        const out = outputsByUrn.get(r.urn);
        if (out) c.outputs = out;
        return c;
    };

    const defaultProviderFor = (pkg: string, version: string): CapturedResource => {
        const key = `${pkg}@${version}`;
        let p = defaultProviders.get(key);
        if (!p) {
            const props: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(opts.config ?? {})) {
                const idx = k.indexOf(":");
                if (idx <= 0 || k.slice(0, idx) !== pkg) continue;
                const bare = k.slice(idx + 1).replace(/^config:/, "");
                // The engine passes structured (object/array) config as values, everything else as strings.
                let val: unknown = v;
                if (/^\s*[[{]/.test(v)) {
                    try {
                        val = JSON.parse(v);
                    } catch {
                        val = v;
                    }
                }
                props[bare] = secretKeys.has(k) ? wireSecret(val) : val;
            }
            if (version) props.version = version;
            const name = versionToName(version);
            p = {
                type: `pulumi:providers:${pkg}`,
                name,
                urn: `urn:pulumi:${stack}::${project}::pulumi:providers:${pkg}::${name}`,
                props,
                custom: true,
                dependencies: [],
                propertyDependencies: {},
                options: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [] },
                kind: "default-provider",
            };
            defaultProviders.set(key, p);
            resources.push(p);
            byUrn.set(p.urn, p);
        }
        return p;
    };

    const pending: Array<[CapturedResource, RawCapture]> = [];
    for (const r of raws) {
        const c = toCaptured(r);
        pending.push([c, r]);
        byUrn.set(c.urn, c);
    }
    for (const [c, r] of pending) {
        if (c.custom && !c.type.startsWith("pulumi:providers:")) {
            let prov: CapturedResource | undefined;
            if (r.providerRef) {
                const urn = r.providerRef.slice(0, r.providerRef.lastIndexOf("::"));
                prov = byUrn.get(urn);
            } else {
                prov = defaultProviderFor(c.type.split(":")[0], r.version);
            }
            if (prov) {
                const cp: CapturedProvider = { type: prov.type, name: prov.name, urn: prov.urn, props: prov.props };
                c.provider = cp;
            }
        }
        resources.push(c);
    }
    // Default providers appear right before their first user, as the engine registers them.
    const outputs = (stackUrn && outputsByUrn.get(stackUrn)) || {};
    return { resources, outputs };
}
