/**
 * Finds every control-plane component a stack declares and normalizes its settings to flags:
 *  - Kubernetes objects whose containers run a control-plane binary (static-Pod-like Pods in
 *    kube-system, Deployments of hosted control planes) — command/args;
 *  - Docker containers (`docker:index/container:Container`) running one — entrypoint/command;
 *  - files the stack writes to machines (StackModel.hosts): static Pod manifests, kubeadm
 *    ClusterConfiguration / InitConfiguration / JoinConfiguration, KubeletConfiguration, systemd units.
 * Every YAML/JSON host file is parsed once here; controls read the parsed documents from the model.
 */
import { parse, parseAllDocuments } from "yaml";
import { AdapterTable } from "../../core/subject";
import type { StackResourceInput } from "../../core/stack";
import { arr, at, atPath, field, Invalid, isObj, str, UNKNOWN, V } from "../../core/values";
import {
    Component,
    ComponentKind,
    ControlPlaneModel,
    ControlPlaneProblem,
    COMPONENT_KINDS,
    isComponentKind,
    Origin,
    ParsedFile,
    Setting,
} from "../../model/control-plane";
import { HostFile, HostModel } from "../../model/host";
import { KUBEADM_FLAG_DEFAULTS, KUBEADM_KUBELET_DEFAULTS, KUBELET_CONFIG_DEFAULTS, KUBELET_CONFIG_FIELDS } from "./control-plane-defaults";
import { basename, parseArgs, ParsedFlag, shellWords } from "./flags";
import { podKindOfType } from "./workload";

/** Subjects of control-plane components and their documents: none per resource; see `controlPlaneOf` (stack scope). */
export const KUBERNETES_CONTROL_PLANE_ADAPTERS: AdapterTable<never> = {};

export const DOCKER_CONTAINER = "docker:index/container:Container";
const MANIFESTS_DIR = "/etc/kubernetes/manifests/";

/** Accumulates one component's settings. */
class Builder {
    readonly settings = new Map<string, Setting[]>();
    open = false;
    fieldNames: Readonly<Record<string, string>> | undefined;
    constructor(
        readonly kind: ComponentKind,
        readonly label: string,
        readonly urn: string,
        readonly argsAt: string,
        readonly host: string | undefined,
    ) {}
    add(name: string, value: V<string>, where: string, origin: Origin, bare?: true): void {
        const s: Setting = bare ? { value, where, origin, bare } : { value, where, origin };
        const list = this.settings.get(name);
        if (list) list.push(s);
        else this.settings.set(name, [s]);
    }
    /** Defaults go first; a declared flag of the same name replaces them (kubeadm's extraArgs semantics). */
    defaults(table: Readonly<Record<string, string>>, origin: Origin): void {
        for (const [k, v] of Object.entries(table)) if (!this.settings.has(k)) this.add(k, v, origin, origin);
    }
    declare(name: string, value: V<string>, where: string, bare?: true): void {
        const list = this.settings.get(name);
        if (list && list.every((s) => s.origin !== "declared")) this.settings.delete(name);
        this.add(name, value, where, "declared", bare);
    }
    flags(flags: readonly ParsedFlag[], whereOf: (i: number) => string): void {
        for (const f of flags) this.declare(f.name, f.value, whereOf(f.index), f.bare);
    }
    build(): Component {
        const c: Component = {
            kind: this.kind,
            label: this.label,
            urn: this.urn,
            argsAt: this.argsAt,
            host: this.host,
            settings: this.settings,
            open: this.open,
        };
        return this.fieldNames ? { ...c, fieldNames: this.fieldNames } : c;
    }
}

interface Context {
    readonly components: Component[];
    readonly problems: ControlPlaneProblem[];
    readonly files: Map<string, ParsedFile[]>;
    /** KubeletConfiguration documents by `host path`, for kubelets started with `--config`. */
    readonly kubeletConfigs: Map<string, { builder: Builder; used: boolean }>;
    /** Parsed documents by content: stacks repeat the same manifests and configurations on every node. */
    readonly parsed: Map<string, V<readonly unknown[]>>;
    /** `kubeletConfigs` keys by file path, in the map's order; `spaced` once a file path holds a space (the index then does not apply). */
    readonly kubeletConfigPaths: { readonly byPath: Map<string, string[]>; spaced: boolean };
    /** etcd found in workloads and Docker containers, kept only when they are the cluster's (see `isClusterEtcd`). */
    readonly workloadEtcds: { readonly component: Component; readonly namespace: string | undefined }[];
    /** Namespaces of kube-apiservers declared by workload objects; `anywhere` once any kube-apiserver is declared. */
    readonly apiservers: { readonly namespaces: Set<string>; anywhere: boolean };
}

/**
 * An etcd in a workload or a Docker container may be an application's own (Vitess, Patroni, operators
 * run one); the cluster-etcd CIS items (2.x, 1.1.11/1.1.12) concern only the cluster's. It is taken as
 * the cluster's when it runs in kube-system (where kubeadm's static and mirror Pods and hosted control
 * planes live), or beside a kube-apiserver the stack declares: in the same namespace for a workload (a
 * hosted control plane), anywhere for a Docker container. Static Pod manifests, kubeadm configurations
 * and systemd units on a machine are always the cluster's.
 */
function isClusterEtcd(ctx: Context, namespace: string | undefined): boolean {
    if (namespace === undefined) return ctx.apiservers.anywhere;
    return namespace === "kube-system" || ctx.apiservers.namespaces.has(namespace);
}

/** Records a KubeletConfiguration written to `f` (a later one for the same host and path replaces it, keeping its place). */
function setKubeletConfig(ctx: Context, f: HostFile, builder: Builder): void {
    const key = `${f.host} ${f.path}`;
    if (!ctx.kubeletConfigs.has(key)) {
        const idx = ctx.kubeletConfigPaths;
        const list = idx.byPath.get(f.path);
        if (list) list.push(key);
        else idx.byPath.set(f.path, [key]);
        if (f.path.includes(" ")) idx.spaced = true;
    }
    ctx.kubeletConfigs.set(key, { builder, used: false });
}

/**
 * The KubeletConfiguration a kubelet's `--config` names: the one on its host; for a kubelet whose host is not
 * known, the first written to that path on any host (the first key ending in " PATH"). Looked up in O(1).
 */
function kubeletConfigFor(ctx: Context, host: string | undefined, path: string): { builder: Builder; used: boolean } | undefined {
    if (host !== undefined) return ctx.kubeletConfigs.get(`${host} ${path}`);
    const idx = ctx.kubeletConfigPaths;
    if (!idx.spaced && !path.includes(" ")) {
        // Without spaces in paths, a key ends in " PATH" exactly when its file path is PATH.
        const key = idx.byPath.get(path)?.[0];
        return key === undefined ? undefined : ctx.kubeletConfigs.get(key);
    }
    for (const [key, entry] of ctx.kubeletConfigs) if (key.endsWith(` ${path}`)) return entry;
    return undefined;
}

const onHost = (f: HostFile) => `${f.path} on ${f.host}`;

/** Builds the control-plane model of a stack. Never throws; unreadable declarations become problems. */
export function controlPlaneOf(resources: readonly StackResourceInput[], hosts: readonly HostModel[]): ControlPlaneModel {
    const ctx: Context = {
        components: [],
        problems: [],
        files: new Map(),
        kubeletConfigs: new Map(),
        parsed: new Map(),
        kubeletConfigPaths: { byPath: new Map(), spaced: false },
        workloadEtcds: [],
        apiservers: { namespaces: new Set(), anywhere: false },
    };
    const later: (() => void)[] = [];
    for (const h of hosts) for (const f of h.files) readHostFile(ctx, f, later);
    for (const r of resources) {
        if (r.type === DOCKER_CONTAINER) later.push(() => readDockerContainer(ctx, r));
        else {
            const kind = podKindOfType(r.type);
            if (kind !== undefined) later.push(() => readPodObject(ctx, r, kind));
        }
    }
    // Command lines last: a kubelet started with `--config` reads a KubeletConfiguration parsed above.
    for (const f of later) f();
    if (ctx.components.some((c) => c.kind === "kube-apiserver")) ctx.apiservers.anywhere = true;
    for (const e of ctx.workloadEtcds) if (isClusterEtcd(ctx, e.namespace)) ctx.components.push(e.component);
    for (const { builder, used } of ctx.kubeletConfigs.values()) if (!used) ctx.components.push(builder.build());
    return { components: ctx.components, files: ctx.files, problems: ctx.problems };
}

// ---- host files ------------------------------------------------------------------------------

const YAML_FILE = /\.(ya?ml|json)$/i;
const UNIT_FILE = /(\.service$|^\/(?:etc|run|lib|usr\/lib)\/systemd\/system\/[^/]+\.d\/[^/]+\.conf$)/;

function readHostFile(ctx: Context, f: HostFile, later: (() => void)[]): void {
    if (YAML_FILE.test(f.path)) {
        const parsed: ParsedFile = { file: f, docs: parseDocs(ctx, f.content) };
        const list = ctx.files.get(f.path);
        if (list) list.push(parsed);
        else ctx.files.set(f.path, [parsed]);
        readYamlFile(ctx, parsed);
    } else if (UNIT_FILE.test(f.path)) {
        if (typeof f.content === "string") {
            const content = f.content;
            later.push(() => readUnitFile(ctx, f, content));
        }
    }
}

/** Each distinct content is parsed once per model (documents are read-only, so files with the same content share them). */
function parseDocs(ctx: Context, content: V<string>): V<readonly unknown[]> {
    if (content === UNKNOWN || content instanceof Invalid) return content;
    if (content === undefined) return [];
    let docs = ctx.parsed.get(content);
    if (docs === undefined) {
        docs = parseYaml(content);
        ctx.parsed.set(content, docs);
    }
    return docs;
}

const MULTI_DOCUMENT = /(^|\n)---/;

function parseYaml(content: string): V<readonly unknown[]> {
    const options = { prettyErrors: false, uniqueKeys: false, maxAliasCount: 100 } as const;
    try {
        // A single document (the usual case) parses about three times faster without the document API.
        if (!MULTI_DOCUMENT.test(content)) return [parse(content, options)];
        const out: unknown[] = [];
        for (const d of parseAllDocuments(content, options)) {
            if (d.errors.length > 0) return new Invalid("valid YAML", `a YAML error (${d.errors[0].code})`);
            out.push(d.toJS({ maxAliasCount: 100 }));
        }
        return out;
    } catch (e) {
        const code = (e as { code?: unknown }).code;
        return new Invalid("valid YAML", typeof code === "string" ? `a YAML error (${code})` : "unparsable content");
    }
}

/** `/etc/kubernetes/manifests/kube-apiserver.yaml` → kube-apiserver. */
function kindFromManifestPath(path: string): ComponentKind | undefined {
    if (!path.startsWith(MANIFESTS_DIR)) return undefined;
    const name = basename(path).replace(YAML_FILE, "");
    return isComponentKind(name) ? name : undefined;
}

const KUBEADM_API = /^kubeadm\.k8s\.io\//;

function readYamlFile(ctx: Context, p: ParsedFile): void {
    const f = p.file;
    if (p.docs === UNKNOWN) {
        // Content unknown at preview: a kubeadm manifest path still says which component it is.
        const kind = kindFromManifestPath(f.path);
        if (kind) {
            const b = new Builder(kind, `${kind} (static Pod ${onHost(f)})`, f.source.urn, f.source.field, f.host);
            b.open = true;
            ctx.components.push(b.build());
        }
        return;
    }
    if (p.docs instanceof Invalid) {
        const kind = kindFromManifestPath(f.path);
        if (kind || /^\/etc\/kubernetes\/|^\/var\/lib\/kubelet\//.test(f.path)) {
            ctx.problems.push({
                kinds: kind ? [kind] : COMPONENT_KINDS,
                urn: f.source.urn,
                subject: `${f.path} on ${f.host}`,
                field: f.source.field,
                message: `cannot be checked: expected ${p.docs.expected}, got ${p.docs.got}.`,
                file: f,
            });
        }
        return;
    }
    const docs: readonly unknown[] = p.docs ?? [];
    const isKubeadmFile = docs.some((d) => KUBEADM_API.test(String(field(d, "apiVersion") ?? "")));
    const multi = docs.length > 1;
    let kubelet: Builder | undefined;
    const kubeletExtra: { args: unknown; where: string }[] = [];
    docs.forEach((doc, i) => {
        if (!isObj(doc)) return;
        const kind = field(doc, "kind");
        const prefix = multi ? `document ${i + 1}: ` : "";
        if (kind === "Pod") readStaticPod(ctx, f, doc, prefix);
        else if (kind === "ClusterConfiguration" && KUBEADM_API.test(String(field(doc, "apiVersion") ?? ""))) readClusterConfiguration(ctx, f, doc, prefix);
        else if (kind === "KubeletConfiguration") {
            kubelet = kubeletFromConfig(ctx, f, doc, prefix, isKubeadmFile);
        } else if ((kind === "InitConfiguration" || kind === "JoinConfiguration") && KUBEADM_API.test(String(field(doc, "apiVersion") ?? ""))) {
            const extra = at(doc, "nodeRegistration.kubeletExtraArgs");
            if (extra !== undefined) kubeletExtra.push({ args: extra, where: `${prefix}${kind} nodeRegistration.kubeletExtraArgs` });
        }
    });
    if (kubeletExtra.length > 0 && kubelet === undefined) {
        // kubeadm writes a KubeletConfiguration even when the file has none: its defaults apply.
        kubelet = new Builder("kubelet", `kubelet (kubeadm configuration ${onHost(f)})`, f.source.urn, kubeletExtra[0].where, f.host);
        kubelet.defaults(KUBEADM_KUBELET_DEFAULTS, "kubeadm default");
        kubelet.defaults(KUBELET_CONFIG_DEFAULTS, "kubelet config default");
        setKubeletConfig(ctx, f, kubelet);
    }
    for (const e of kubeletExtra) if (kubelet) readExtraArgs(ctx, kubelet, e.args, e.where);
}

function readStaticPod(ctx: Context, f: HostFile, doc: unknown, prefix: string): void {
    readPodSpec(ctx, field(doc, "spec"), "spec", prefix, f.source.urn, f.host, (kind) => `${kind} (static Pod ${onHost(f)})`, HOST_SCOPE);
}

const EXTRA_ARGS: readonly [ComponentKind, string, string][] = [
    ["kube-apiserver", "apiServer.extraArgs", "apiServer"],
    ["kube-controller-manager", "controllerManager.extraArgs", "controllerManager"],
    ["kube-scheduler", "scheduler.extraArgs", "scheduler"],
    ["etcd", "etcd.local.extraArgs", "etcd.local"],
];

function readClusterConfiguration(ctx: Context, f: HostFile, doc: unknown, prefix: string): void {
    const external = at(doc, "etcd.external");
    for (const [kind, path] of EXTRA_ARGS) {
        if (kind === "etcd" && external !== undefined && at(doc, "etcd.local") === undefined) continue;
        const b = new Builder(kind, `${kind} (kubeadm ClusterConfiguration ${onHost(f)})`, f.source.urn, `${prefix}${path}`, f.host);
        readExtraArgs(ctx, b, at(doc, path), `${prefix}${path}`);
        if (kind === "etcd") {
            const dataDir = str(at(doc, "etcd.local.dataDir"));
            if (dataDir !== undefined && !b.settings.has("data-dir")) b.declare("data-dir", dataDir, `${prefix}etcd.local.dataDir`);
        }
        if (kind === "kube-apiserver" && isObj(external)) {
            // External etcd: kubeadm passes its files as the API server's etcd client flags.
            for (const [key, flag] of [
                ["caFile", "etcd-cafile"],
                ["certFile", "etcd-certfile"],
                ["keyFile", "etcd-keyfile"],
            ] as const) {
                if (!b.settings.has(flag)) b.declare(flag, str(field(external, key)) ?? "", `${prefix}etcd.external.${key}`);
            }
        }
        b.defaults(KUBEADM_FLAG_DEFAULTS[kind as Exclude<ComponentKind, "kubelet">], "kubeadm default");
        ctx.components.push(b.build());
    }
}

/** kubeadm `extraArgs`: a map (v1beta3) or a list of `{name, value}` (v1beta4, names may repeat). */
function readExtraArgs(ctx: Context, b: Builder, v: unknown, where: string): void {
    if (v === undefined || v === null) return;
    if (v === UNKNOWN) {
        b.open = true;
        return;
    }
    if (Array.isArray(v)) {
        v.forEach((e, i) => {
            const name = str(field(e, "name"));
            if (typeof name !== "string" || name === "") {
                problem(ctx, b, `${where}[${i}]`, "expected an entry with a string `name` and `value`");
                return;
            }
            b.declare(name.replace(/^--?/, ""), scalar(field(e, "value")), `${where}[${i}]`);
        });
        return;
    }
    if (!isObj(v)) {
        problem(ctx, b, where, `expected a map of flag names to values or a list of {name, value}, got ${v instanceof Invalid ? v.got : typeof v}`);
        return;
    }
    for (const [k, val] of Object.entries(v)) b.declare(k.replace(/^--?/, ""), scalar(val), `${where}.${k}`);
}

/** A flag value written in YAML: strings as they are, numbers and booleans as their text. */
function scalar(v: unknown): V<string> {
    if (typeof v === "string" || v === UNKNOWN || v instanceof Invalid) return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    if (v === undefined || v === null) return "";
    return new Invalid("a string", Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `a ${typeof v}`);
}

function problem(ctx: Context, b: Builder, where: string, message: string): void {
    ctx.problems.push({ kinds: [b.kind], urn: b.urn, subject: b.label, field: where, message: `cannot be checked: ${message}.` });
}

function kubeletFromConfig(ctx: Context, f: HostFile, doc: unknown, prefix: string, kubeadm: boolean): Builder {
    const what = kubeadm ? "kubeadm KubeletConfiguration" : "KubeletConfiguration";
    const b = new Builder("kubelet", `kubelet (${what} ${onHost(f)})`, f.source.urn, `${prefix}KubeletConfiguration`, f.host);
    b.fieldNames = KUBELET_FIELD_NAMES;
    for (const [path, flag] of Object.entries(KUBELET_CONFIG_FIELDS)) {
        const v = at(doc, path);
        if (v === undefined || v === null) continue;
        b.declare(flag, configValue(path, v), `${prefix}${path}`);
    }
    if (kubeadm) b.defaults(KUBEADM_KUBELET_DEFAULTS, "kubeadm default");
    b.defaults(KUBELET_CONFIG_DEFAULTS, "kubelet config default");
    setKubeletConfig(ctx, f, b);
    return b;
}

/** Flag → KubeletConfiguration field, for messages about settings read from (or missing in) a config file. */
const KUBELET_FIELD_NAMES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(KUBELET_CONFIG_FIELDS).map(([f, flag]) => [flag, f]));

/** A KubeletConfiguration value as its flag would spell it: lists joined by commas, maps as `k=v` pairs. */
function configValue(path: string, v: unknown): V<string> {
    if (path !== "featureGates" && path !== "tlsCipherSuites") return scalar(v);
    if (Array.isArray(v)) return v.every((e) => typeof e === "string") ? v.join(",") : new Invalid("a list of strings", "a list holding other values");
    if (isObj(v)) {
        const pairs: string[] = [];
        for (const [k, val] of Object.entries(v)) {
            if (typeof val !== "boolean" && typeof val !== "string") return new Invalid("a map of names to booleans", "a map holding other values");
            pairs.push(`${k}=${String(val)}`);
        }
        return pairs.join(",");
    }
    return scalar(v);
}

/**
 * A systemd unit or drop-in: `ExecStart=` of a control-plane binary, with `$VAR`/`${VAR}` expanded from
 * the unit's `Environment=` lines (kubeadm's 10-kubeadm.conf passes `--config` that way). A variable
 * the unit does not define (e.g. from `EnvironmentFile=`) may hold any flag, so the component is open.
 */
function readUnitFile(ctx: Context, f: HostFile, content: string): void {
    const lines = content.replace(/\\\r?\n/g, " ").split(/\r?\n/);
    const env = new Map<string, string>();
    for (const line of lines) {
        const m = /^\s*Environment\s*=\s*(.*)$/.exec(line);
        if (!m) continue;
        for (const pair of shellWords(m[1])) {
            const eq = pair.indexOf("=");
            if (eq > 0) env.set(pair.slice(0, eq), pair.slice(eq + 1));
        }
    }
    for (const line of lines) {
        const m = /^\s*ExecStart\s*=\s*[-@+!:]*(.*)$/.exec(line);
        if (!m || m[1].trim() === "") continue;
        let open = false;
        const words = shellWords(m[1]).flatMap((w) => {
            const v = /^\$(?:\{(\w+)\}|(\w+))$/.exec(w);
            if (!v) return [w];
            const value = env.get(v[1] ?? v[2]);
            if (value === undefined) open = true;
            return value === undefined ? [] : shellWords(value);
        });
        const program = basename(words[0] ?? "");
        if (!isComponentKind(program)) continue;
        const b = new Builder(program, `${program} (systemd unit ${onHost(f)})`, f.source.urn, "ExecStart", f.host);
        const parsed = parseArgs(words, true);
        b.open = open || parsed.open;
        b.flags(parsed.flags, () => "ExecStart");
        finishCommandLine(ctx, b, HOST_SCOPE);
    }
}

// ---- resources ---------------------------------------------------------------------------------

function specPathOf(kind: string): string {
    if (kind === "Pod") return "spec";
    if (kind === "PodTemplate") return "template.spec";
    if (kind === "CronJob") return "spec.jobTemplate.spec.template.spec";
    return "spec.template.spec";
}

const SPEC_KEYS = new Map(["spec", "template.spec", "spec.jobTemplate.spec.template.spec", "spec.template.spec"].map((p) => [p, p.split(".")]));

function readPodObject(ctx: Context, r: StackResourceInput, kind: string): void {
    const specPath = specPathOf(kind);
    // The object's name is read only for the label of a control-plane container, which few objects run.
    const meta = () => field(r.props, "metadata");
    const namespace = () => {
        const ns = str(field(meta(), "namespace"));
        return typeof ns === "string" && ns !== "" ? ns : "default";
    };
    const label = (k: ComponentKind, container: string) => {
        const name = str(field(meta(), "name"));
        const ns = str(field(meta(), "namespace"));
        const id = `${typeof ns === "string" ? `${ns}/` : ""}${typeof name === "string" ? name : r.name}`;
        return `${k} (${kind} "${id}" container "${container}")`;
    };
    readPodSpec(ctx, atPath(r.props, SPEC_KEYS.get(specPath) as readonly string[]), specPath, "", r.urn, undefined, label, { namespace });
}

const CONTAINER_LISTS = ["containers", "initContainers"] as const;

/** Where a command line was found: on a machine (always the cluster's), in a workload's namespace, or in a Docker container. */
type Scope = "host" | "docker" | { readonly namespace: () => string };
const HOST_SCOPE: Scope = "host";
const DOCKER_SCOPE: Scope = "docker";

/** Finds containers running a control-plane binary in a pod spec. */
function readPodSpec(
    ctx: Context,
    spec: unknown,
    specPath: string,
    prefix: string,
    urn: string,
    host: string | undefined,
    label: (kind: ComponentKind, container: string) => string,
    scope: Scope,
): void {
    for (const list of CONTAINER_LISTS) {
        const items = field(spec, list);
        if (!Array.isArray(items)) continue;
        items.forEach((c, i) => {
            if (!isObj(c)) return;
            const found = programOf(field(c, "command"), field(c, "args"), field(c, "image"), "command", "args");
            if (!found) return;
            const path = `${prefix}${specPath}.${list}[${i}]`;
            const name = str(field(c, "name"));
            const b = new Builder(found.kind, label(found.kind, typeof name === "string" ? name : `${list}[${i}]`), urn, `${path}.${found.argsAt}`, host);
            b.open = found.open;
            b.flags(found.flags, (idx) => `${path}.${found.whereOf(idx)}`);
            for (const [idx, what] of found.malformed) problem(ctx, b, `${path}.${found.whereOf(idx)}`, `expected a string argument, got ${what}`);
            finishCommandLine(ctx, b, scope);
        });
    }
}

function readDockerContainer(ctx: Context, r: StackResourceInput): void {
    const found = programOf(field(r.props, "entrypoint"), field(r.props, "command"), field(r.props, "image"), "entrypoint", "command");
    if (!found) return;
    const name = str(field(r.props, "name"));
    const b = new Builder(found.kind, `${found.kind} (Docker container "${typeof name === "string" ? name : r.name}")`, r.urn, found.argsAt, undefined);
    b.open = found.open;
    b.flags(found.flags, found.whereOf);
    for (const [idx, what] of found.malformed) problem(ctx, b, found.whereOf(idx), `expected a string argument, got ${what}`);
    finishCommandLine(ctx, b, DOCKER_SCOPE);
}

interface Found {
    kind: ComponentKind;
    flags: readonly ParsedFlag[];
    open: boolean;
    malformed: readonly (readonly [number, string])[];
    /** Source path of the argument at an index of the joined list. */
    whereOf: (index: number) => string;
    argsAt: string;
}

/** `registry.k8s.io/kube-apiserver:v1.34.1` → kube-apiserver (these images run their binary). */
function kindFromImage(image: unknown): ComponentKind | undefined {
    if (typeof image !== "string") return undefined;
    const digest = image.indexOf("@");
    const repoTag = basename(digest < 0 ? image : image.slice(0, digest));
    const colon = repoTag.indexOf(":");
    const repo = colon < 0 ? repoTag : repoTag.slice(0, colon);
    return isComponentKind(repo) ? repo : undefined;
}

const SHELLS = new Set(["sh", "bash", "ash", "dash"]);

/** Words after which a shell script word is a command: `exec kube-apiserver`, `a && etcd`, `nohup kubelet`. */
const COMMAND_PREFIXES = new Set(["exec", "&&", "||", "|", ";", "nohup", "then", "do", "else", "env"]);

/** A word that can be an executable: not a flag (`--kubelet-service=kube-system/kubelet` names a kubelet only as a value). */
const isProgramWord = (w: unknown): w is string => typeof w === "string" && w !== "" && !w.startsWith("-") && !w.includes("=");

/** The component a word in executable position runs, if any. */
function componentOfProgram(w: unknown): ComponentKind | undefined {
    if (!isProgramWord(w)) return undefined;
    const name = basename(w);
    return isComponentKind(name) ? name : undefined;
}

/** The index of the first script word in command position that runs a component (never a flag's value). */
function scriptProgram(words: readonly string[]): number {
    for (let i = 0; i < words.length; i++) {
        const prev = i === 0 ? undefined : words[i - 1];
        const commandPosition = prev === undefined || COMMAND_PREFIXES.has(prev) || prev.endsWith(";") || /^[A-Za-z_]\w*=/.test(prev);
        if (commandPosition && componentOfProgram(words[i]) !== undefined) return i;
    }
    return -1;
}

/**
 * Which component a container runs, recognised from its executable only, never from a flag's value:
 * the first word of its program list (Kubernetes `command`, Docker `entrypoint`); without one, the first
 * argument when it is a word (an image without an entrypoint runs its arguments), else the image name;
 * `sh -c "exec kube-apiserver …"` included.
 */
function programOf(programList: unknown, argList: unknown, image: unknown, pName: string, aName: string): Found | undefined {
    const p = arr(programList);
    const a = arr(argList);
    const pl = Array.isArray(p) ? p : [];
    const al = Array.isArray(a) ? a : [];
    // The joined list `[...pl, ...al]`, read by index: most containers run no control-plane program.
    const nth = (i: number): unknown => (i < pl.length ? pl[i] : al[i - pl.length]);
    const whereOf = (i: number) => (i < pl.length ? `${pName}[${i}]` : `${aName}[${i - pl.length}]`);
    const first = nth(0);
    const direct = componentOfProgram(first);
    if (direct !== undefined) {
        const joined = [...pl, ...al];
        const parsed = parseArgs(joined, true);
        return {
            kind: direct,
            ...parsed,
            whereOf,
            argsAt: pl.length > 1 ? pName : aName,
            open: parsed.open || p === UNKNOWN || a === UNKNOWN,
        };
    }
    const script = nth(2);
    if (typeof first === "string" && SHELLS.has(basename(first)) && nth(1) === "-c" && typeof script === "string") {
        const words = shellWords(script);
        const start = scriptProgram(words);
        if (start < 0) return undefined;
        const parsed = parseArgs(words.slice(start), true);
        const at2 = whereOf(2);
        return { kind: componentOfProgram(words[start]) as ComponentKind, ...parsed, whereOf: () => at2, argsAt: at2 };
    }
    if (pl.length === 0 && p !== UNKNOWN) {
        const kind = kindFromImage(image);
        if (kind === undefined) return undefined;
        const parsed = parseArgs(al, false);
        return { kind, ...parsed, whereOf: (i) => `${aName}[${i}]`, argsAt: aName, open: parsed.open || a === UNKNOWN };
    }
    return undefined;
}

/** A kubelet started with `--config FILE` reads the KubeletConfiguration in FILE under its flags. */
function finishCommandLine(ctx: Context, b: Builder, scope: Scope): void {
    if (b.kind === "kubelet") {
        const config = b.settings.get("config");
        const path = config?.[config.length - 1].value;
        if (path === UNKNOWN) b.open = true;
        else if (typeof path === "string") {
            const entry = kubeletConfigFor(ctx, b.host, path);
            if (entry) {
                entry.used = true;
                for (const [name, list] of entry.builder.settings) {
                    if (b.settings.has(name)) continue; // flags win over the config file
                    b.settings.set(
                        name,
                        list.map((s) => ({ ...s, where: s.origin === "declared" ? `${path}: ${s.where}` : s.where })),
                    );
                }
                b.open ||= entry.builder.open;
            } else b.open = true; // the file is not in the stack: any setting may come from it
        }
    }
    if (typeof scope === "object" && b.kind === "kube-apiserver") ctx.apiservers.namespaces.add(scope.namespace());
    if (scope !== HOST_SCOPE && b.kind === "etcd") {
        ctx.workloadEtcds.push({ component: b.build(), namespace: typeof scope === "object" ? scope.namespace() : undefined });
        return;
    }
    ctx.components.push(b.build());
}
