/**
 * Running (or created) containers as the Docker Engine reports them — `GET /containers/{id}/json`, which is
 * what `docker inspect` prints — → the Docker container model.
 *
 * A container arrives as the resource `docker:engine/container` whose props are one inspect object. The
 * engine's zero values mean "not set": `Memory: 0`, `CpuShares: 0`, `NanoCpus: 0`, `PidsLimit: 0|-1|null`,
 * `User: ""`, `RestartPolicy.Name: ""`, `CgroupParent: ""`. `Config` is the merge of the image's config
 * and the run flags, so an image's HEALTHCHECK, USER and ENV show here too.
 */
import { Adapted, ResourceInput } from "../../core/subject";
import { arr, bool, field, Invalid, isObj, num, obj, show, str, strList, UNKNOWN, V } from "../../core/values";
import { DockerContainerField, DockerContainerModel, DockerMount, DockerPort, DockerUlimit } from "../../model/docker-container";
import { envList, items } from "./container";

export const ENGINE_CONTAINER = "docker:engine/container";

/** The engine's "unset" zero value for a number or string → undefined. */
function nonZero(v: V<number>): V<number> {
    return v === 0 ? undefined : v;
}
function nonEmpty(v: V<string>): V<string> {
    return v === "" ? undefined : v;
}

/** `Mounts[]`: `{ Type, Source, Destination, RW, Propagation }`. */
function readMount(e: unknown, path: string): DockerMount {
    const rw = bool(field(e, "RW"));
    return {
        path,
        type: str(field(e, "Type")),
        source: str(field(e, "Source")),
        target: str(field(e, "Destination")),
        readOnly: typeof rw === "boolean" ? !rw : rw,
        propagation: nonEmpty(str(field(e, "Propagation"))),
    };
}

/**
 * `Mounts[]`. The engine lists them in no stable order (a Go map underneath), so they are ordered by
 * destination and named by it (`Mounts["/data"]`): a finding reads the same on every scan.
 */
function mountsOf(v: unknown): V<readonly DockerMount[]> {
    const list = items(v, "Mounts", (e, p) => ({ e, p }));
    if (!Array.isArray(list)) return list as V<readonly DockerMount[]>;
    const dest = (x: { e: unknown }) => {
        const d = field(x.e, "Destination");
        return typeof d === "string" ? d : "";
    };
    return [...(list as { e: unknown; p: string }[])]
        .sort((a, b) => (dest(a) < dest(b) ? -1 : dest(a) > dest(b) ? 1 : 0))
        .map((x) => readMount(x.e, /^[\w./@:+-]{1,128}$/.test(dest(x)) ? `Mounts["${dest(x)}"]` : x.p));
}

/** `HostConfig.PortBindings`: `{ "80/tcp": [{ HostIp, HostPort }] }`; ports exposed but not bound are absent. */
function portBindings(v: unknown): V<readonly DockerPort[]> {
    const o = obj(v);
    if (!isObj(o)) return o as V<readonly DockerPort[]>;
    const out: DockerPort[] = [];
    for (const key of Object.keys(o)) {
        const container = /^(\d+)(?:\/\w+)?$/.exec(key);
        const bindings = arr(o[key]);
        if (bindings === undefined) continue;
        if (!Array.isArray(bindings)) return bindings as V<readonly DockerPort[]>;
        bindings.forEach((b, i) => {
            const hostPort = str(field(b, "HostPort"));
            out.push({
                path: `HostConfig.PortBindings["${key.replace(/[^\w/.-]/g, "")}"][${i}]`,
                hostIp: nonEmpty(str(field(b, "HostIp"))),
                interfaceBindable: true,
                hostPort:
                    typeof hostPort === "string"
                        ? /^\d+$/.test(hostPort)
                            ? Number(hostPort)
                            : hostPort === ""
                              ? undefined
                              : new Invalid("a port number", show(hostPort))
                        : (hostPort as V<number>),
                containerPort: container ? Number(container[1]) : new Invalid("a port such as 80/tcp", show(key)),
            });
        });
    }
    return out;
}

function ulimit(e: unknown): DockerUlimit {
    return { name: str(field(e, "Name")), soft: num(field(e, "Soft")), hard: num(field(e, "Hard")) };
}

/** `HostConfig.Devices[].PathOnHost`. */
function devicesOf(v: unknown): V<readonly string[]> {
    const list = items(v, "HostConfig.Devices", (e) => str(field(e, "PathOnHost")));
    if (!Array.isArray(list)) return list as V<readonly string[]>;
    const out: string[] = [];
    for (const d of list as V<string>[]) {
        if (typeof d !== "string") return d === undefined ? new Invalid("a device with a PathOnHost", "a device without one") : d;
        out.push(d);
    }
    return out;
}

/** `HostConfig.Tmpfs` (`{ "/run": "rw,size=64m" }`) and `Mounts[]` of type tmpfs. */
function tmpfsOf(tmpfs: unknown, mounts: V<readonly DockerMount[]>): V<readonly string[]> {
    const t = obj(tmpfs);
    if (t === UNKNOWN || t instanceof Invalid) return t;
    if (mounts === UNKNOWN || mounts instanceof Invalid) return mounts;
    const out = Object.keys(t ?? {});
    for (const m of mounts ?? []) if (m.type === "tmpfs" && typeof m.target === "string" && !out.includes(m.target)) out.push(m.target);
    return out;
}

const PATHS: Readonly<Partial<Record<DockerContainerField, string>>> = {
    image: "Config.Image",
    privileged: "HostConfig.Privileged",
    memoryBytes: "HostConfig.Memory",
    restartPolicy: "HostConfig.RestartPolicy.Name",
    restartMaxRetries: "HostConfig.RestartPolicy.MaximumRetryCount",
    user: "Config.User",
    readOnlyRootFilesystem: "HostConfig.ReadonlyRootfs",
    capabilitiesAdd: "HostConfig.CapAdd",
    capabilitiesDrop: "HostConfig.CapDrop",
    cpuShares: "HostConfig.CpuShares",
    nanoCpus: "HostConfig.NanoCpus",
    cpuQuota: "HostConfig.CpuQuota",
    pidsLimit: "HostConfig.PidsLimit",
    ulimits: "HostConfig.Ulimits",
    healthcheckTest: "Config.Healthcheck.Test",
    securityOpts: "HostConfig.SecurityOpt",
    networkMode: "HostConfig.NetworkMode",
    pidMode: "HostConfig.PidMode",
    ipcMode: "HostConfig.IpcMode",
    utsMode: "HostConfig.UTSMode",
    usernsMode: "HostConfig.UsernsMode",
    devices: "HostConfig.Devices",
    cgroupParent: "HostConfig.CgroupParent",
    deviceCgroupRules: "HostConfig.DeviceCgroupRules",
    defaultBridge: "NetworkSettings.Networks",
    mounts: "Mounts",
    tmpfsTargets: "HostConfig.Tmpfs",
    ports: "HostConfig.PortBindings",
    publishAllPorts: "HostConfig.PublishAllPorts",
    env: "Config.Env",
};

/** The container's name without the engine's leading slash; the short id when it has none. */
export function inspectName(props: unknown, fallback: string): string {
    const n = str(field(props, "Name"));
    if (typeof n === "string" && n.replace(/^\//, "") !== "") return n.replace(/^\//, "");
    const id = str(field(props, "Id"));
    return typeof id === "string" && id !== "" ? id.slice(0, 12) : fallback;
}

/** On docker0: connected to the network named "bridge", or created in network mode "bridge". */
function onDefaultBridge(settings: unknown, mode: unknown): V<boolean> {
    const networks = obj(field(settings, "Networks"));
    if (networks === UNKNOWN || networks instanceof Invalid) return networks;
    if (networks !== undefined) return Object.prototype.hasOwnProperty.call(networks, "bridge");
    return mode === "bridge";
}

/** One `docker inspect` object → the Docker container model. */
export function inspectContainerModel(props: unknown, resourceName: string): DockerContainerModel {
    const hc = field(props, "HostConfig");
    const cfg = field(props, "Config");
    const restart = field(hc, "RestartPolicy");
    const restartName = nonEmpty(str(field(restart, "Name")));
    const mounts = mountsOf(field(props, "Mounts"));
    const pids = num(field(hc, "PidsLimit"));
    return {
        runtime: "docker",
        role: "container",
        name: inspectName(props, resourceName),
        image: str(field(cfg, "Image")),
        privileged: bool(field(hc, "Privileged")),
        memoryBytes: nonZero(num(field(hc, "Memory"))),
        restartPolicy: restartName,
        restartPolicyDefault: "no",
        restartMaxRetries: restartName === "on-failure" ? nonZero(num(field(restart, "MaximumRetryCount"))) : undefined,
        user: nonEmpty(str(field(cfg, "User"))),
        readOnlyRootFilesystem: bool(field(hc, "ReadonlyRootfs")),
        capabilitiesAdd: strList(field(hc, "CapAdd")),
        capabilitiesDrop: strList(field(hc, "CapDrop")),
        cpuShares: nonZero(num(field(hc, "CpuShares"))),
        nanoCpus: nonZero(num(field(hc, "NanoCpus"))),
        cpuQuota: nonZero(num(field(hc, "CpuQuota"))),
        pidsLimit: pids === 0 || pids === -1 ? undefined : pids,
        ulimits: items(field(hc, "Ulimits"), "HostConfig.Ulimits", ulimit),
        healthcheckTest: strList(field(field(cfg, "Healthcheck"), "Test")),
        securityOpts: strList(field(hc, "SecurityOpt")),
        networkMode: nonEmpty(str(field(hc, "NetworkMode"))),
        pidMode: nonEmpty(str(field(hc, "PidMode"))),
        ipcMode: nonEmpty(str(field(hc, "IpcMode"))),
        utsMode: nonEmpty(str(field(hc, "UTSMode"))),
        usernsMode: nonEmpty(str(field(hc, "UsernsMode"))),
        devices: devicesOf(field(hc, "Devices")),
        cgroupParent: nonEmpty(str(field(hc, "CgroupParent"))),
        deviceCgroupRules: strList(field(hc, "DeviceCgroupRules")),
        // Not read: on cgroup v1 hosts the daemon's default is "host" for every container, which says nothing about the container.
        cgroupnsMode: undefined,
        defaultBridge: onDefaultBridge(field(props, "NetworkSettings"), field(hc, "NetworkMode")),
        mounts,
        tmpfsTargets: tmpfsOf(field(hc, "Tmpfs"), mounts),
        ports: portBindings(field(hc, "PortBindings")),
        publishAllPorts: bool(field(hc, "PublishAllPorts")),
        builtImage: undefined,
        env: envList(field(cfg, "Env"), "Config.Env"),
        paths: PATHS,
    };
}

/** Adapter for `docker:engine/container` resources; undefined for any other type (so tables can chain adapters). */
export function engineContainerAdapter(res: ResourceInput): Adapted<"dockerContainer"> | undefined {
    if (res.type !== ENGINE_CONTAINER) return undefined;
    if (res.props === UNKNOWN || !isObj(res.props)) {
        return {
            subjects: [],
            problems: [{ label: `Docker container "${res.name}"`, path: "(inspect object)", problem: "the inspect output is not an object" }],
        };
    }
    if (!isObj(field(res.props, "HostConfig")) || !isObj(field(res.props, "Config"))) {
        return {
            subjects: [],
            problems: [
                {
                    label: `Docker container "${res.name}"`,
                    path: "HostConfig",
                    problem: "the inspect object has no HostConfig or Config (is this `docker inspect` of a container?)",
                },
            ],
        };
    }
    const model = inspectContainerModel(res.props, res.name);
    return { subjects: [{ model, label: `Docker container "${model.name}"` }], problems: [] };
}
