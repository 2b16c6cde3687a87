import { MIB } from "../../core/check";
import { setPath } from "../../core/paths";
import { arr, bool, field, Invalid, isObj, num, numish, obj, str, strList, unproxy, UNKNOWN, V } from "../../core/values";
import { DockerContainerField, DockerContainerModel, DockerEnvVar, DockerMount, DockerPort, DockerUlimit, TmpfsFix } from "../../model/docker-container";

// ---- readers shared by the Docker adapters ------------------------------------------------------

/**
 * Reads keys of one object (cheaper than `field` per key; adapters read ~40 keys per resource):
 * an unknown or malformed parent reads as itself, anything but an object as undefined. Cleaned
 * props have no prototype, so their keys are read directly; other objects only by own keys.
 */
export function reader(parent: unknown): (key: string) => unknown {
    if (parent === UNKNOWN || parent instanceof Invalid) return () => parent;
    if (!isObj(parent)) return () => undefined;
    if (Object.getPrototypeOf(parent) === null) return (key) => parent[key];
    return (key) => (Object.prototype.hasOwnProperty.call(parent, key) ? parent[key] : undefined);
}

/** An array entry that must be an object: null and scalars become Invalid, so their fields read Invalid too. */
function entry(e: unknown): unknown {
    if (e === null || e === undefined) return new Invalid("an object", String(e));
    const o = obj(e);
    return o === undefined ? new Invalid("an object", "nothing") : o;
}

/** Reads an array of entries, each with its own source path. */
export function items<T>(v: unknown, base: string, read: (e: unknown, path: string) => T): V<readonly T[]> {
    const a = arr(v);
    if (!Array.isArray(a)) return a as V<readonly T[]>;
    const out: T[] = new Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = read(entry(a[i]), `${base}[${i}]`);
    return out;
}

/** A `mounts` entry (Pulumi `ContainerMount` and `ServiceTaskSpecContainerSpecMount` share the shape). */
export function readMount(e: unknown, path: string): DockerMount {
    const get = reader(e);
    return {
        path,
        type: str(get("type")),
        source: str(get("source")),
        target: str(get("target")),
        readOnly: bool(get("readOnly")),
        propagation: str(field(get("bindOptions"), "propagation")),
    };
}

/** tmpfs targets among mounts; UNKNOWN/Invalid when the mounts are. */
export function tmpfsOf(mounts: V<readonly DockerMount[]>, extra: readonly string[] = []): V<readonly string[]> {
    if (mounts === UNKNOWN || mounts instanceof Invalid) return mounts;
    const out = [...extra];
    for (const m of mounts ?? []) if (m.type === "tmpfs" && typeof m.target === "string") out.push(m.target);
    return out;
}

export function readUlimit(e: unknown): DockerUlimit {
    const get = reader(e);
    return { name: str(get("name")), soft: num(get("soft")), hard: num(get("hard")) };
}

/** `--cpus` as a decimal string ("1.5") or number → billionths of a CPU. */
export function nanoCpusOf(v: unknown): V<number> {
    const n = numish(v);
    return typeof n === "number" ? Math.round(n * 1e9) : n;
}

/** `["NAME=value", "NAME"]` (Pulumi `envs`, Compose list syntax, `Config.Env`). */
export function envList(v: unknown, base: string): V<readonly DockerEnvVar[]> {
    const a = arr(v);
    if (!Array.isArray(a)) return a as V<readonly DockerEnvVar[]>;
    return a.map((e, i): DockerEnvVar => {
        const path = `${base}[${i}]`;
        const s = str(e);
        if (typeof s !== "string") {
            const bad = s === undefined ? new Invalid("a string", "null") : s;
            return { path, name: bad, value: bad };
        }
        const eq = s.indexOf("=");
        return eq < 0 ? { path, name: s, value: undefined } : { path, name: s.slice(0, eq), value: s.slice(eq + 1) };
    });
}

/** `{ NAME: value }` (Swarm `containerSpec.env`, Compose map syntax). */
export function envMap(v: unknown, base: string): V<readonly DockerEnvVar[]> {
    const o = obj(v);
    if (!isObj(o)) return o as V<readonly DockerEnvVar[]>;
    return Object.keys(o).map((name) => ({
        path: /^[\w.-]{1,128}$/.test(name) ? `${base}.${name}` : base,
        name,
        value: str(o[name]),
    }));
}

/** Host paths of `devices` entries (`hostPath` in Pulumi inputs). */
function devicePaths(v: unknown): V<readonly string[]> {
    const list = items(v, "devices", (e) => str(field(e, "hostPath")));
    if (!Array.isArray(list)) return list as V<readonly string[]>;
    const out: string[] = [];
    for (const d of list as V<string>[]) {
        if (d === UNKNOWN || d instanceof Invalid) return d;
        if (d === undefined) return new Invalid("a device with a hostPath", "a device without one");
        out.push(d);
    }
    return out;
}

/**
 * `networkMode` "bridge" (or "default") is docker0; unset, the provider's default is docker0 too unless the
 * container is attached to networks of its own (`networksAdvanced`); other modes (host, none, container:…,
 * a network name) are not docker0.
 */
function pulumiDefaultBridge(mode: unknown, networks: unknown): V<boolean> {
    const m = str(mode);
    if (m === UNKNOWN || m instanceof Invalid) return m;
    if (m !== undefined && m.trim() !== "") return m.trim() === "bridge" || m.trim() === "default";
    const n = arr(networks);
    if (n === UNKNOWN || n instanceof Invalid) return n;
    return !(Array.isArray(n) && n.length > 0);
}

// ---- docker:index/container:Container ------------------------------------------------------------

/** `docker:index/container:Container` inputs (@pulumi/docker 4.x/5.x). `memory` is in MB. */
export function dockerContainerModel(props: unknown, resourceName: string): DockerContainerModel {
    const get = reader(props);
    const memoryMb = num(get("memory"));
    const caps = obj(get("capabilities"));
    const name = str(get("name"));
    const volumes = items(get("volumes"), "volumes", readVolume);
    const mountList = items(get("mounts"), "mounts", readMount);
    const mounts = joinLists(volumes, mountList);
    const tmpfsMap = obj(get("tmpfs"));
    return {
        runtime: "docker",
        role: "container",
        name: typeof name === "string" && name !== "" ? name : resourceName,
        image: str(get("image")),
        privileged: bool(get("privileged")),
        memoryBytes: typeof memoryMb === "number" ? memoryMb * MIB : memoryMb,
        restartPolicy: str(get("restart")),
        restartPolicyDefault: "no",
        restartMaxRetries: num(get("maxRetryCount")),
        user: str(get("user")),
        readOnlyRootFilesystem: bool(get("readOnly")),
        capabilitiesAdd: sub(caps, "adds"),
        capabilitiesDrop: sub(caps, "drops"),
        cpuShares: num(get("cpuShares")),
        nanoCpus: nanoCpusOf(get("cpus")),
        cpuQuota: num(get("cpuQuota")),
        pidsLimit: undefined,
        ulimits: items(get("ulimits"), "ulimits", readUlimit),
        healthcheckTest: strList(field(get("healthcheck"), "tests")),
        securityOpts: strList(get("securityOpts")),
        networkMode: str(get("networkMode")),
        pidMode: str(get("pidMode")),
        ipcMode: str(get("ipcMode")),
        utsMode: undefined,
        usernsMode: str(get("usernsMode")),
        devices: devicePaths(get("devices")),
        cgroupParent: str(get("cgroupParent")),
        deviceCgroupRules: strList(get("deviceCgroupRules")),
        cgroupnsMode: str(get("cgroupnsMode")),
        defaultBridge: pulumiDefaultBridge(get("networkMode"), get("networksAdvanced")),
        mounts,
        tmpfsTargets: tmpfsMap === UNKNOWN || tmpfsMap instanceof Invalid ? tmpfsMap : tmpfsOf(mountList, Object.keys(tmpfsMap ?? {})),
        ports: items(get("ports"), "ports", readPort),
        publishAllPorts: bool(get("publishAllPorts")),
        builtImage: undefined,
        env: envList(get("envs"), "envs"),
        paths: DOCKER_CONTAINER_PATHS,
    };
}

/** `volumes` entries: a `hostPath` is a bind mount, a `volumeName` a named volume, `fromContainer` volumes-from. */
function readVolume(e: unknown, path: string): DockerMount {
    const get = reader(e);
    const hostPath = str(get("hostPath"));
    const volumeName = str(get("volumeName"));
    const from = str(get("fromContainer"));
    const type: V<string> = hostPath !== undefined ? (typeof hostPath === "string" ? "bind" : hostPath) : from !== undefined ? "container" : "volume";
    return {
        path,
        type,
        source: hostPath ?? volumeName ?? from,
        target: str(get("containerPath")),
        readOnly: bool(get("readOnly")),
        propagation: undefined,
    };
}

/** `ports` entries; the provider publishes on 0.0.0.0 unless `ip` says otherwise. */
function readPort(e: unknown, path: string): DockerPort {
    const get = reader(e);
    return {
        path,
        hostIp: str(get("ip")),
        interfaceBindable: true,
        hostPort: num(get("external")),
        containerPort: num(get("internal")),
    };
}

export function joinLists<T>(a: V<readonly T[]>, b: V<readonly T[]>): V<readonly T[]> {
    if (a === UNKNOWN || a instanceof Invalid) return a;
    if (b === UNKNOWN || b instanceof Invalid) return b;
    if (a === undefined) return b;
    if (b === undefined) return a;
    return [...(a as readonly T[]), ...(b as readonly T[])];
}

function sub(caps: V<Record<string, unknown>>, key: string): V<readonly string[]> {
    if (caps === UNKNOWN || caps instanceof Invalid) return caps;
    return caps === undefined ? undefined : strList(caps[key]);
}

const DOCKER_CONTAINER_PATHS: Readonly<Partial<Record<DockerContainerField, string>>> = {
    image: "image",
    privileged: "privileged",
    memoryBytes: "memory",
    restartPolicy: "restart",
    restartMaxRetries: "maxRetryCount",
    user: "user",
    readOnlyRootFilesystem: "readOnly",
    capabilitiesAdd: "capabilities.adds",
    capabilitiesDrop: "capabilities.drops",
    cpuShares: "cpuShares",
    nanoCpus: "cpus",
    cpuQuota: "cpuQuota",
    ulimits: "ulimits",
    healthcheckTest: "healthcheck.tests",
    securityOpts: "securityOpts",
    networkMode: "networkMode",
    pidMode: "pidMode",
    ipcMode: "ipcMode",
    usernsMode: "usernsMode",
    devices: "devices",
    cgroupParent: "cgroupParent",
    deviceCgroupRules: "deviceCgroupRules",
    cgroupnsMode: "cgroupnsMode",
    defaultBridge: "networkMode",
    mounts: "mounts",
    tmpfsTargets: "tmpfs",
    ports: "ports",
    publishAllPorts: "publishAllPorts",
    env: "envs",
};

// ---- writing fixes back --------------------------------------------------------------------------

/** The raw (possibly proxied) value at `keys`; undefined when absent. */
export function rawAt(raw: unknown, keys: readonly string[]): unknown {
    let cur = unproxy(raw);
    for (const k of keys) {
        if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return undefined;
        cur = unproxy((cur as Record<string, unknown>)[k]);
    }
    return cur;
}

/**
 * Appends entries to the raw list at `path` (dotted object keys), keeping the entries already there
 * (and their secret wrappers). Refuses when the current value is not a plain list.
 */
export function appendAt(raw: unknown, path: string, added: readonly unknown[]): Record<string, unknown> | undefined {
    const current = rawAt(raw, path.split("."));
    if (current !== undefined && current !== null && !Array.isArray(current)) return undefined;
    return setPath(raw, path, [...((current as unknown[] | undefined) ?? []), ...added]);
}

/** Writes remediation fixes back into `docker:index/container:Container` inputs; undefined when it cannot. */
export function writeDockerContainer(raw: unknown, fieldName: string, value: unknown): Record<string, unknown> | undefined {
    switch (fieldName) {
        case "memoryBytes":
            return setPath(raw, "memory", Math.ceil((value as number) / MIB));
        case "securityOpts":
            return appendAt(raw, "securityOpts", value as readonly string[]);
        case "tmpfsTargets": {
            const current = rawAt(raw, ["tmpfs"]);
            if (current !== undefined && current !== null && (typeof current !== "object" || Array.isArray(current))) return undefined;
            const next: Record<string, unknown> = { ...((current as object | null) ?? {}) };
            for (const t of value as readonly TmpfsFix[]) next[t.target] = `rw,nosuid,nodev,size=${t.sizeMb}m`;
            return setPath(raw, "tmpfs", next);
        }
        case "restartPolicy":
        case "restartMaxRetries":
        case "privileged":
        case "readOnlyRootFilesystem":
        case "capabilitiesDrop":
        case "capabilitiesAdd":
            return setPath(raw, DOCKER_CONTAINER_PATHS[fieldName] as string, value);
        default:
            return undefined;
    }
}
