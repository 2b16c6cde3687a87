import type { Finding } from "../core/control";
import { unsettled } from "../core/check";
import { Invalid, UNKNOWN, V } from "../core/values";
import { ContainerBase } from "./container";

/**
 * A Docker container or Swarm service task, from Pulumi inputs, Compose files or `docker inspect`.
 *
 * Source-neutral: each adapter fills what its source can express and names, in `paths`, where each
 * field lives. A field the source cannot express at all (the Pulumi provider has no pids limit; Swarm
 * tasks have no `privileged`) has no entry in `paths` and reads `undefined`; see `expressible`.
 * List entries (mounts, ports, env) carry their own source `path`.
 */
export interface DockerContainerModel extends ContainerBase<DockerContainerField> {
    readonly runtime: "docker";
    /** Memory limit in bytes; 0 or undefined means unbounded. */
    readonly memoryBytes: V<number>;
    /** Restart policy: "no" | "on-failure" | "always" | "unless-stopped" (service tasks map "none"→"no", "any"→"always"). */
    readonly restartPolicy: V<string>;
    /** The policy that applies when `restartPolicy` is unset: "no" for containers, "always" for Swarm tasks. */
    readonly restartPolicyDefault: "no" | "always";
    /** Retries of "on-failure"; 0 or undefined means unlimited. */
    readonly restartMaxRetries: V<number>;
    /** `user` ("uid[:gid]" or "name[:group]"). */
    readonly user: V<string>;
    readonly readOnlyRootFilesystem: V<boolean>;
    readonly capabilitiesAdd: V<readonly string[]>;
    readonly capabilitiesDrop: V<readonly string[]>;
    /** Relative CPU weight (`--cpu-shares`, `HostConfig.CpuShares`); 1024 is Docker's default. */
    readonly cpuShares: V<number>;
    /** Hard CPU cap in billionths of a CPU (`--cpus`, `NanoCpus`, `resources.limits.nanoCpus`). */
    readonly nanoCpus: V<number>;
    /** CFS quota in µs per period (`--cpu-quota`, `CpuQuota`). */
    readonly cpuQuota: V<number>;
    /** `--pids-limit`, `HostConfig.PidsLimit`; 0, -1 or undefined mean unlimited. */
    readonly pidsLimit: V<number>;
    readonly ulimits: V<readonly DockerUlimit[]>;
    /** Health check command (`["CMD", …]`, `["CMD-SHELL", …]`, `["NONE"]` disables); undefined when not declared. */
    readonly healthcheckTest: V<readonly string[]>;
    /** `--security-opt` entries: "no-new-privileges[:true]", "seccomp=unconfined", "apparmor=…", "label=…". */
    readonly securityOpts: V<readonly string[]>;
    readonly networkMode: V<string>;
    readonly pidMode: V<string>;
    readonly ipcMode: V<string>;
    readonly utsMode: V<string>;
    readonly usernsMode: V<string>;
    /** Host device paths exposed to the container. */
    readonly devices: V<readonly string[]>;
    readonly cgroupParent: V<string>;
    /** `--device-cgroup-rule` entries ("c 1:3 mr"): device access granted through the cgroup, devices created later included. */
    readonly deviceCgroupRules: V<readonly string[]>;
    /** `--cgroupns`: "host" shares the host's cgroup namespace; "private" (or unset) does not. */
    readonly cgroupnsMode: V<string>;
    /** Attached to Docker's default bridge (docker0), where every container can reach every other; see each adapter. */
    readonly defaultBridge: V<boolean>;
    /** Bind mounts, volumes and tmpfs mounts, whatever syntax declared them. */
    readonly mounts: V<readonly DockerMount[]>;
    /** Container paths backed by tmpfs (`--tmpfs` and `type: tmpfs` mounts). */
    readonly tmpfsTargets: V<readonly string[]>;
    readonly ports: V<readonly DockerPort[]>;
    /** `-P`: publishes every exposed port on every interface. */
    readonly publishAllPorts: V<boolean>;
    readonly env: V<readonly DockerEnvVar[]>;
    /**
     * The image the source builds for this container from a Dockerfile it names (Compose `build:`), as far
     * as the Dockerfile shows it; undefined when the source runs an image it does not build.
     */
    readonly builtImage: V<BuiltImage>;
}

/** An image built from a Dockerfile: where the Dockerfile is, its user and its base images, or why it cannot be read. */
export interface BuiltImage {
    /** The Dockerfile as messages name it (relative to the working directory when under it). */
    readonly dockerfile: string;
    /** Why the Dockerfile cannot be read; the fields below are then empty. Never quotes the file. */
    readonly unreadable: string | undefined;
    /** The user of the stage that becomes the image: its USER (with the line), or the base image it inherits one from. */
    readonly user:
        | { readonly kind: "set"; readonly user: string; readonly line: number; readonly missing: readonly string[] }
        | { readonly kind: "inherited"; readonly base: string }
        | undefined;
    /** FROM references that are images (not earlier stages, not `scratch`), global ARGs expanded. */
    readonly bases: readonly { readonly ref: string; readonly line: number; readonly stage: string; readonly unresolved: readonly string[] }[];
}

export interface DockerMount {
    /** Source path of the entry, e.g. `volumes[0]`, `taskSpec.containerSpec.mounts[2]`. */
    readonly path: string;
    /** "bind" | "volume" | "tmpfs" | "npipe" | "cluster" | "container" (volumes-from). */
    readonly type: V<string>;
    /** Host path of a bind mount, volume name of a volume. */
    readonly source: V<string>;
    readonly target: V<string>;
    readonly readOnly: V<boolean>;
    /** Bind propagation: private | rprivate | shared | rshared | slave | rslave. */
    readonly propagation: V<string>;
}

export interface DockerPort {
    readonly path: string;
    /** Host interface the port is published on; unset, 0.0.0.0 or :: mean every interface. */
    readonly hostIp: V<string>;
    /** False where the source cannot bind a published port to one interface (Swarm-published ports). */
    readonly interfaceBindable: boolean;
    /** Host port; undefined means Docker picks an ephemeral one. */
    readonly hostPort: V<number>;
    readonly containerPort: V<number>;
}

export interface DockerEnvVar {
    readonly path: string;
    readonly name: V<string>;
    /** Undefined when the variable is passed through from the caller's environment (`-e NAME`). */
    readonly value: V<string>;
}

export interface DockerUlimit {
    readonly name: V<string>;
    readonly soft: V<number>;
    readonly hard: V<number>;
}

export type DockerContainerField =
    | "image"
    | "privileged"
    | "memoryBytes"
    | "restartPolicy"
    | "restartMaxRetries"
    | "user"
    | "readOnlyRootFilesystem"
    | "capabilitiesAdd"
    | "capabilitiesDrop"
    | "cpuShares"
    | "nanoCpus"
    | "cpuQuota"
    | "pidsLimit"
    | "ulimits"
    | "healthcheckTest"
    | "securityOpts"
    | "networkMode"
    | "pidMode"
    | "ipcMode"
    | "utsMode"
    | "usernsMode"
    | "devices"
    | "cgroupParent"
    | "deviceCgroupRules"
    | "cgroupnsMode"
    | "defaultBridge"
    | "mounts"
    | "tmpfsTargets"
    | "ports"
    | "publishAllPorts"
    | "env"
    | "builtImage";

/**
 * Fix values that are not plain settings: `securityOpts` fixes list entries to add; `tmpfsTargets`
 * fixes list tmpfs mounts to add. Every other fix sets the field to the value.
 */
export interface TmpfsFix {
    readonly target: string;
    readonly sizeMb: number;
}

/** Whether the source of this model can express `f` at all. */
export function expressible(c: DockerContainerModel, f: DockerContainerField): boolean {
    return c.paths[f] !== undefined;
}

/** A settled list (or the empty list when unset); undefined while the list is unknown or malformed. */
export function settledList<T>(v: V<readonly T[]>): readonly T[] | undefined {
    if (v === UNKNOWN || v instanceof Invalid) return undefined;
    return v ?? [];
}

/**
 * Findings over the entries of a list field: one finding when the list itself is unknown or malformed,
 * otherwise whatever `each` reports per entry (entries name their own source path).
 */
export function eachEntry<T>(fieldName: DockerContainerField, list: V<readonly T[]>, each: (e: T) => Finding | readonly Finding[] | undefined): Finding[] {
    const u = unsettled(fieldName, list);
    if (u) return [u];
    const out: Finding[] = [];
    for (const e of (list as readonly T[] | undefined) ?? []) {
        const f = each(e);
        if (f === undefined) continue;
        if (Array.isArray(f)) out.push(...(f as readonly Finding[]));
        else out.push(f as Finding);
    }
    return out;
}

/** Host path a mount exposes, normalized, when it is a bind mount (or may be); undefined for volumes and tmpfs. */
export function boundHostPath(m: DockerMount): V<string> {
    if (m.type === UNKNOWN || m.type instanceof Invalid) return m.type;
    if (m.type !== undefined && m.type !== "bind") return undefined;
    if (typeof m.source !== "string") return m.source;
    return m.source.startsWith("/") ? normalizeHostPath(m.source) : undefined;
}

/** `//`, `/./`, `/../` or a trailing slash (but not "/" itself). */
const NEEDS_NORMALIZING = /\/\/|\/\.\.?(?:\/|$)|.\/$/;

/** Lexically normalized absolute host path ("/var//run/" → "/var/run"); relative paths and names are returned as given. */
export function normalizeHostPath(p: string): string {
    if (!p.startsWith("/") || !NEEDS_NORMALIZING.test(p)) return p;
    const out: string[] = [];
    for (const seg of p.split("/")) {
        if (seg === "" || seg === ".") continue;
        if (seg === "..") out.pop();
        else out.push(seg);
    }
    return "/" + out.join("/");
}

/** True when `p` is `dir` or inside it (both normalized); "/" matches only itself. */
export function isUnder(p: string, dir: string): boolean {
    if (dir === "/") return p === "/";
    return p === dir || p.startsWith(dir + "/");
}

/** Splits a `--security-opt` entry into key and value ("seccomp=unconfined", "seccomp:unconfined", "no-new-privileges"). */
export function securityOpt(entry: string): { key: string; value: string | undefined } {
    const m = /^([^=:]+)[=:](.*)$/s.exec(entry.trim());
    return m ? { key: m[1].trim().toLowerCase(), value: m[2].trim() } : { key: entry.trim().toLowerCase(), value: undefined };
}

/** The name of a variable, as safe to show: variable names are not secret, but odd ones are elided. */
export function envName(name: string): string {
    return /^[\w.-]{1,128}$/.test(name) ? `"${name}"` : "(a variable with an unusual name)";
}

declare module "../core/subject" {
    interface SubjectModels {
        /** Docker containers and Swarm service tasks. */
        readonly dockerContainer: DockerContainerModel;
    }
}
