/**
 * Docker Compose services (Compose file format v2.x, v3.x and the Compose Specification) → the Docker
 * container model, so that the Docker container controls apply to them unchanged.
 *
 * A service arrives as the resource `compose:service` whose props are the service's mapping as parsed
 * from the file (`services.<name>`). Compose-specific shapes are read here: byte strings (`512m`),
 * short and long syntaxes of `volumes`, `ports` and `devices`, `restart: on-failure:5`, `environment`
 * as list or map, `ulimits` as numbers or `{soft, hard}`, and the v3 `deploy` block. Where both the v2
 * key and the v3 `deploy` key can say a thing, the one the file uses is read (and named in messages).
 */
import { isAbsolute, relative, resolve, sep } from "node:path";
import { Adapted, ResourceInput } from "../../core/subject";
import { arr, boolish, field, Invalid, isObj, num, numish, obj, show, str, strList, UNKNOWN, V } from "../../core/values";
import { BuiltImage, DockerContainerField, DockerEnvVar, DockerContainerModel, DockerMount, DockerPort, DockerUlimit } from "../../model/docker-container";
import { Dockerfile, effectiveUser, expand, finalStage, globalScope, stageOf, Vars } from "../../model/docker-image";
import { envList, envMap, nanoCpusOf } from "./container";
import { parseDockerfile, readDockerfile } from "./dockerfile";

export const COMPOSE_SERVICE = "compose:service";

const has = (o: unknown, key: string): boolean => isObj(o) && Object.prototype.hasOwnProperty.call(o, key) && o[key] !== null;

const BYTE_UNITS: Readonly<Record<string, number>> = {
    "": 1,
    b: 1,
    k: 1024,
    kb: 1024,
    m: 1024 ** 2,
    mb: 1024 ** 2,
    g: 1024 ** 3,
    gb: 1024 ** 3,
    t: 1024 ** 4,
    tb: 1024 ** 4,
};

/** Compose byte values: a number of bytes, or `{amount}{unit}` with b, k(b), m(b), g(b), t(b). */
export function composeBytes(v: unknown): V<number> {
    if (typeof v === "string") {
        const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]{0,2})\s*$/i.exec(v);
        const unit = m ? BYTE_UNITS[m[2].toLowerCase()] : undefined;
        if (!m || unit === undefined) return new Invalid('a byte value such as "512m" or "1g"', show(v));
        return Math.round(Number(m[1]) * unit);
    }
    return num(v);
}

/** `restart`: "no" | "always" | "unless-stopped" | "on-failure[:N]". */
function restartOf(v: unknown): { policy: V<string>; retries: V<number> } {
    const s = str(v);
    if (typeof s !== "string") return { policy: s, retries: s === undefined ? undefined : s };
    const m = /^on-failure(?::(-?\d+))?$/.exec(s.trim());
    if (m) return { policy: "on-failure", retries: m[1] === undefined ? undefined : Number(m[1]) };
    if (["no", "always", "unless-stopped"].includes(s.trim())) return { policy: s.trim(), retries: undefined };
    return { policy: new Invalid('"no", "always", "unless-stopped" or "on-failure[:N]"', show(s)), retries: undefined };
}

/** `deploy.restart_policy.condition`: Swarm words, as docker compose maps them for plain containers. */
const CONDITIONS: Readonly<Record<string, string>> = { none: "no", "on-failure": "on-failure", any: "always" };

function deployRestartOf(rp: unknown): { policy: V<string>; retries: V<number> } {
    const c = str(field(rp, "condition"));
    const retries = numish(field(rp, "max_attempts"));
    if (c === undefined) return { policy: "always", retries }; // Compose's default condition is `any`
    if (typeof c !== "string") return { policy: c, retries };
    return { policy: Object.prototype.hasOwnProperty.call(CONDITIONS, c) ? CONDITIONS[c] : new Invalid('"none", "on-failure" or "any"', show(c)), retries };
}

/** `ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: 512 }`. */
function ulimitsOf(v: unknown): V<readonly DockerUlimit[]> {
    const o = obj(v);
    if (!isObj(o)) return o as V<readonly DockerUlimit[]>;
    return Object.keys(o).map((name): DockerUlimit => {
        const u = o[name];
        if (isObj(u)) return { name, soft: numish(u["soft"]), hard: numish(u["hard"]) };
        const n = numish(u);
        return { name, soft: n, hard: n };
    });
}

/** `healthcheck.test` as a string (run by the shell) or a list; `disable: true` is `["NONE"]`. */
function healthcheckOf(hc: unknown): V<readonly string[]> {
    if (hc === UNKNOWN || hc instanceof Invalid) return hc;
    if (hc === undefined || hc === null) return undefined;
    if (!isObj(hc)) return new Invalid("a healthcheck mapping", Array.isArray(hc) ? "an array" : `a ${typeof hc}`);
    if (boolish(hc["disable"]) === true) return ["NONE"];
    const t = hc["test"];
    if (typeof t === "string") return t.trim() === "" ? ["NONE"] : ["CMD-SHELL", t];
    return strList(t);
}

/** A string or a list of strings (`tmpfs`, `dns`…). */
function oneOrMany(v: unknown): V<readonly string[]> {
    return typeof v === "string" ? [v] : strList(v);
}

const PROPAGATIONS = new Set(["shared", "rshared", "slave", "rslave", "private", "rprivate"]);

/** `volumes` short syntax: `[SOURCE:]TARGET[:OPTIONS]`; a source that looks like a path is a bind mount. */
function shortVolume(s: string, path: string): DockerMount {
    const parts = s.split(":");
    // Windows drive letters (`C:\data:/data`) would split wrongly; rejoin a one-letter first part.
    if (parts.length > 1 && /^[A-Za-z]$/.test(parts[0]) && /^[\\/]/.test(parts[1])) parts.splice(0, 2, `${parts[0]}:${parts[1]}`);
    if (parts.length === 1) return { path, type: "volume", source: undefined, target: parts[0], readOnly: false, propagation: undefined };
    const [source, target, opts = ""] = parts;
    const options = opts.split(",").map((o) => o.trim());
    const bind = /^([./~]|[A-Za-z]:[\\/]|\$)/.test(source);
    return {
        path,
        type: bind ? "bind" : "volume",
        source,
        target,
        readOnly: options.includes("ro"),
        propagation: options.find((o) => PROPAGATIONS.has(o)),
    };
}

function longVolume(e: unknown, path: string): DockerMount {
    const type = str(field(e, "type"));
    return {
        path,
        type,
        source: str(field(e, "source")),
        target: str(field(e, "target")),
        readOnly: boolish(field(e, "read_only")),
        propagation: str(field(field(e, "bind"), "propagation")),
    };
}

function volumesOf(v: unknown): V<readonly DockerMount[]> {
    const a = arr(v);
    if (!Array.isArray(a)) return a as V<readonly DockerMount[]>;
    return a.map((e, i) => {
        const path = `volumes[${i}]`;
        if (typeof e === "string") return shortVolume(e, path);
        if (isObj(e)) return longVolume(e, path);
        const bad = e === UNKNOWN ? UNKNOWN : new Invalid("a volume string or mapping", e === null ? "null" : typeof e);
        return { path, type: bad, source: bad, target: bad, readOnly: bad, propagation: bad };
    });
}

/** `"[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]"`, with ranges (`8000-8010`) and bracketed IPv6. */
function shortPort(s: string, path: string): DockerPort {
    const spec = s.replace(/\/\w+$/, "");
    let hostIp: string | undefined;
    let rest = spec;
    const v6 = /^\[([^\]]+)\]:(.*)$/.exec(spec);
    if (v6) {
        hostIp = v6[1];
        rest = v6[2];
    }
    const parts = rest.split(":");
    if (!v6 && parts.length === 3) hostIp = parts.shift();
    const first = (p: string | undefined): V<number> => {
        if (p === undefined || p === "") return undefined;
        const m = /^(\d+)(?:-\d+)?$/.exec(p);
        return m ? Number(m[1]) : new Invalid("a port or port range", show(p));
    };
    const container = first(parts[parts.length - 1]);
    const host = parts.length >= 2 ? first(parts[parts.length - 2]) : undefined;
    // `- "3000"` publishes the port on an ephemeral host port, on every interface.
    return { path, hostIp, interfaceBindable: true, hostPort: host, containerPort: container };
}

function portsOf(v: unknown): V<readonly DockerPort[]> {
    const a = arr(v);
    if (!Array.isArray(a)) return a as V<readonly DockerPort[]>;
    return a.map((e, i): DockerPort => {
        const path = `ports[${i}]`;
        if (typeof e === "number") return { path, hostIp: undefined, interfaceBindable: true, hostPort: undefined, containerPort: e };
        if (typeof e === "string") return shortPort(e, path);
        if (isObj(e)) {
            const published = e["published"];
            const hostPort = typeof published === "string" ? shortPort(published, path).containerPort : numish(published);
            return {
                path,
                hostIp: str(e["host_ip"]),
                // `mode: ingress` (the default under Swarm) goes through the routing mesh on every interface
                interfaceBindable: str(e["mode"]) !== "ingress",
                hostPort: published === undefined ? undefined : hostPort,
                containerPort: numish(e["target"]),
            };
        }
        const bad = e === UNKNOWN ? UNKNOWN : new Invalid("a port string or mapping", e === null ? "null" : typeof e);
        return { path, hostIp: bad, interfaceBindable: true, hostPort: bad, containerPort: bad };
    });
}

/** `devices`: `"/dev/x[:/dev/y[:rwm]]"` or `{ source, target, permissions }`; the host side of each. */
function devicesOf(v: unknown): V<readonly string[]> {
    const a = arr(v);
    if (!Array.isArray(a)) return a as V<readonly string[]>;
    const out: string[] = [];
    for (const e of a) {
        if (e === UNKNOWN) return UNKNOWN;
        if (typeof e === "string") out.push(e.split(":")[0]);
        else {
            const s = str(field(e, "source"));
            if (typeof s !== "string") return s === undefined ? new Invalid("a device with a source", "a device without one") : s;
            out.push(s);
        }
    }
    return out;
}

function tmpfsMountsOf(mounts: V<readonly DockerMount[]>, tmpfs: V<readonly string[]>): V<readonly string[]> {
    if (mounts === UNKNOWN || mounts instanceof Invalid) return mounts;
    if (tmpfs === UNKNOWN || tmpfs instanceof Invalid) return tmpfs;
    const out = (tmpfs ?? []).map((t) => t.split(":")[0]);
    for (const m of mounts ?? []) if (m.type === "tmpfs" && typeof m.target === "string") out.push(m.target);
    return out;
}

/** The first key of `keys` the service sets, else the first (what a fix should set). */
function pathOf(props: unknown, ...keys: string[]): string {
    for (const k of keys) {
        let cur: unknown = props;
        let ok = true;
        for (const part of k.split(".")) {
            if (!has(cur, part)) {
                ok = false;
                break;
            }
            cur = field(cur, part);
        }
        if (ok) return k;
    }
    return keys[0];
}

/** Reads the first key of `keys` the service sets. */
function firstOf(props: unknown, keys: readonly string[]): unknown {
    for (const k of keys) {
        let cur: unknown = props;
        for (const part of k.split(".")) cur = field(cur, part);
        if (cur !== undefined && cur !== null) return cur;
    }
    return undefined;
}

/** A remote build context (a Git repository or a URL): nothing here can read it. */
const REMOTE_CONTEXT = /^([a-z][\w+.-]*:\/\/|git@|github\.com\/)/i;

/** Compose `build.args`: a map, or a list of `NAME=value` / `NAME` (no value). */
function composeBuildArgs(v: unknown): Vars {
    const vars = new Map<string, string | undefined>();
    if (Array.isArray(v)) {
        for (const e of v) {
            if (typeof e !== "string") continue;
            const eq = e.indexOf("=");
            if (eq < 0) vars.set(e, undefined);
            else vars.set(e.slice(0, eq), e.slice(eq + 1));
        }
    } else if (isObj(v)) {
        for (const [k, x] of Object.entries(v))
            vars.set(k, typeof x === "string" ? x : typeof x === "number" || typeof x === "boolean" ? String(x) : undefined);
    }
    return vars;
}

/** How messages name a Dockerfile: relative to the working directory when it is under it. */
function displayPath(path: string): string {
    const rel = relative(process.cwd(), path);
    return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

function describeBuilt(dockerfile: string, df: Dockerfile | string, target: string | undefined, args: Vars): BuiltImage {
    if (typeof df === "string") return { dockerfile, unreadable: df, user: undefined, bases: [] };
    const stage = finalStage(df, target);
    if (typeof stage === "string") return { dockerfile, unreadable: `the Dockerfile ${stage}`, user: undefined, bases: [] };
    const u = effectiveUser(df, stage, args);
    const scope = globalScope(df, args);
    const bases: BuiltImage["bases"][number][] = [];
    for (const st of df.stages) {
        const { value, missing } = expand(st.from, scope);
        if (value.toLowerCase() === "scratch" || (missing.length === 0 && stageOf(df, value, st.index))) continue;
        bases.push({ ref: value, line: st.fromLine, stage: st.name ? `stage "${st.name}"` : `stage ${st.index}`, unresolved: missing });
    }
    return {
        dockerfile,
        unreadable: undefined,
        user: u.kind === "set" ? { kind: "set", user: u.user, line: u.line, missing: u.missing } : { kind: "inherited", base: u.base },
        bases,
    };
}

/**
 * The image a service builds (`build:` as a context path or a mapping with `context`, `dockerfile`,
 * `dockerfile_inline`, `target`, `args`). The scanner resolves a context inside the Compose file's
 * directory against it, as Compose does; a context left relative (outside it, or a file read from stdin),
 * a remote one, or a Dockerfile outside its context is not read.
 * The Dockerfile is read bounded (readDockerfile: a regular file, at most 1 MiB) and never quoted.
 */
export function composeBuiltImage(build: unknown): V<BuiltImage> {
    if (build === undefined || build === null) return undefined;
    if (build === UNKNOWN || build instanceof Invalid) return build;
    if (typeof build !== "string" && !isObj(build))
        return new Invalid("a build context path or a build mapping", Array.isArray(build) ? "an array" : `a ${typeof build}`);
    const context = typeof build === "string" ? build : (str(build["context"]) ?? ".");
    const dockerfile = typeof build === "string" ? undefined : str(build["dockerfile"]);
    const inline = typeof build === "string" ? undefined : str(build["dockerfile_inline"]);
    const target = typeof build === "string" ? undefined : str(build["target"]);
    for (const v of [context, dockerfile, inline, target]) {
        if (v === UNKNOWN) return UNKNOWN;
        if (v instanceof Invalid) return v;
    }
    const args = composeBuildArgs(typeof build === "string" ? undefined : build["args"]);
    const t = target as string | undefined;
    if (typeof inline === "string") return describeBuilt("build.dockerfile_inline", parseDockerfile(inline), t, args);
    const ctx = context as string;
    const name = (dockerfile as string | undefined) ?? "Dockerfile";
    if (REMOTE_CONTEXT.test(ctx)) return describeBuilt(`${name} of a remote build context`, "the build context is remote", t, args);
    if (!isAbsolute(ctx)) {
        return describeBuilt(
            name,
            "the build context is outside the Compose file's directory, or the file was read from stdin, so the scan does not read it",
            t,
            args,
        );
    }
    const path = resolve(ctx, name);
    // A Dockerfile named outside its context (`dockerfile: ../x` or an absolute path) is not read either.
    if (!path.startsWith(ctx.endsWith(sep) ? ctx : ctx + sep))
        return describeBuilt(name, "the Dockerfile is outside the build context, so the scan does not read it", t, args);
    const read = readDockerfile(path);
    return describeBuilt(displayPath(path), typeof read === "string" ? `${read}` : read, t, args);
}

/**
 * Variables of `env_file` entries as the scanner read them (`{path, values: {NAME: value}}`), after those of
 * `environment`; an entry the scanner could not read (`path` only, or values unknown) makes the list unknown.
 */
function withEnvFiles(env: V<readonly DockerEnvVar[]>, files: unknown): V<readonly DockerEnvVar[]> {
    if (files === undefined || files === null) return env;
    if (env === UNKNOWN || env instanceof Invalid) return env;
    const list = Array.isArray(files) ? files : [files];
    const out: DockerEnvVar[] = [...(env ?? [])];
    for (let i = 0; i < list.length; i++) {
        const values = field(list[i], "values");
        if (values === UNKNOWN) return UNKNOWN;
        // Entries the scanner did not read (a plain path: Compose files not read from disk) hold no values here.
        if (!isObj(values)) continue;
        for (const [name, value] of Object.entries(values)) {
            out.push({
                path: /^[\w.-]{1,128}$/.test(name) ? `env_file[${i}].${name}` : `env_file[${i}]`,
                name,
                value: typeof value === "string" ? value : undefined,
            });
        }
    }
    return out;
}

/** Compose puts a service without `network_mode` on its project's own network; only `bridge` is docker0. */
function composeDefaultBridge(mode: unknown): V<boolean> {
    const m = str(mode);
    return typeof m === "string" ? m.trim() === "bridge" : m === undefined ? false : m;
}

/** A Compose service's mapping → the Docker container model. `serviceName` is the key under `services`. */
export function composeServiceModel(props: unknown, serviceName: string): DockerContainerModel {
    const limits = "deploy.resources.limits";
    const memKeys = ["mem_limit", `${limits}.memory`];
    const cpuKeys = ["cpus", `${limits}.cpus`];
    const pidsKeys = ["pids_limit", `${limits}.pids`];
    const restart =
        has(props, "restart") || !has(field(props, "deploy"), "restart_policy")
            ? restartOf(field(props, "restart"))
            : deployRestartOf(field(field(props, "deploy"), "restart_policy"));
    const restartPath = has(props, "restart") || !has(field(props, "deploy"), "restart_policy") ? "restart" : "deploy.restart_policy.condition";
    const envRaw = field(props, "environment");
    const env = withEnvFiles(isObj(envRaw) ? envMap(envRaw, "environment") : envList(envRaw, "environment"), field(props, "env_file"));
    const mounts = volumesOf(field(props, "volumes"));
    const caps = (k: string): V<readonly string[]> => strList(field(props, k));
    const paths: Partial<Record<DockerContainerField, string>> = {
        image: "image",
        privileged: "privileged",
        memoryBytes: pathOf(props, ...memKeys),
        restartPolicy: restartPath,
        restartMaxRetries: restartPath === "restart" ? "restart" : "deploy.restart_policy.max_attempts",
        user: "user",
        readOnlyRootFilesystem: "read_only",
        capabilitiesAdd: "cap_add",
        capabilitiesDrop: "cap_drop",
        cpuShares: "cpu_shares",
        nanoCpus: pathOf(props, ...cpuKeys),
        cpuQuota: "cpu_quota",
        pidsLimit: pathOf(props, ...pidsKeys),
        ulimits: "ulimits",
        healthcheckTest: "healthcheck.test",
        securityOpts: "security_opt",
        networkMode: "network_mode",
        pidMode: "pid",
        ipcMode: "ipc",
        utsMode: "uts",
        usernsMode: "userns_mode",
        devices: "devices",
        cgroupParent: "cgroup_parent",
        deviceCgroupRules: "device_cgroup_rules",
        cgroupnsMode: "cgroup",
        defaultBridge: "network_mode",
        mounts: "volumes",
        tmpfsTargets: "tmpfs",
        ports: "ports",
        env: "environment",
        builtImage: "build",
    };
    const containerName = str(field(props, "container_name"));
    return {
        runtime: "docker",
        role: "container",
        name: typeof containerName === "string" && containerName !== "" ? containerName : serviceName,
        image: str(field(props, "image")),
        privileged: boolish(field(props, "privileged")),
        memoryBytes: composeBytes(firstOf(props, memKeys)),
        restartPolicy: restart.policy,
        restartPolicyDefault: "no",
        restartMaxRetries: restart.retries,
        user: userOf(field(props, "user")),
        readOnlyRootFilesystem: boolish(field(props, "read_only")),
        capabilitiesAdd: caps("cap_add"),
        capabilitiesDrop: caps("cap_drop"),
        cpuShares: numish(field(props, "cpu_shares")),
        nanoCpus: nanoCpusOf(firstOf(props, cpuKeys)),
        cpuQuota: numish(field(props, "cpu_quota")),
        pidsLimit: numish(firstOf(props, pidsKeys)),
        ulimits: ulimitsOf(field(props, "ulimits")),
        healthcheckTest: healthcheckOf(field(props, "healthcheck")),
        securityOpts: strList(field(props, "security_opt")),
        networkMode: str(field(props, "network_mode")),
        pidMode: str(field(props, "pid")),
        ipcMode: str(field(props, "ipc")),
        utsMode: str(field(props, "uts")),
        usernsMode: str(field(props, "userns_mode")),
        devices: devicesOf(field(props, "devices")),
        cgroupParent: str(field(props, "cgroup_parent")),
        deviceCgroupRules: strList(field(props, "device_cgroup_rules")),
        cgroupnsMode: str(field(props, "cgroup")),
        defaultBridge: composeDefaultBridge(field(props, "network_mode")),
        mounts,
        tmpfsTargets: tmpfsMountsOf(mounts, oneOrMany(field(props, "tmpfs"))),
        ports: portsOf(field(props, "ports")),
        publishAllPorts: undefined,
        env,
        builtImage: composeBuiltImage(field(props, "build")),
        paths,
    };
}

/** `user` may be written as a bare number (`user: 1000`). */
function userOf(v: unknown): V<string> {
    return typeof v === "number" && Number.isInteger(v) ? String(v) : str(v);
}

/** Adapter for `compose:service` resources; undefined for any other type (so tables can chain adapters). */
export function composeServiceAdapter(res: ResourceInput): Adapted<"dockerContainer"> | undefined {
    if (res.type !== COMPOSE_SERVICE) return undefined;
    if (res.props === UNKNOWN || !isObj(res.props)) {
        return { subjects: [], problems: [{ label: `Compose service "${res.name}"`, path: `services.${res.name}`, problem: "the service is not a mapping" }] };
    }
    const model = composeServiceModel(res.props, res.name);
    return { subjects: [{ model, label: `Compose service "${res.name}"` }], problems: [] };
}
