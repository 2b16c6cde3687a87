import { ContainerRole } from "../../model/container";
import { KubernetesContainerField, KubernetesContainerModel, Located, PlainEnvVar, PodContext } from "../../model/kubernetes-container";
import { PodDefaults, PodModel, PodVolume } from "../../model/pod";
import { arr, atPath, boolish, field, Invalid, isObj, num, obj, Obj, str, strList, UNKNOWN, V } from "../../core/values";
import { quantity } from "./quantity";

/** Pod-bearing kinds and where their pod spec lives. */
export const POD_SPEC_PATH: Readonly<Record<string, string>> = {
    Pod: "spec",
    PodTemplate: "template.spec",
    Deployment: "spec.template.spec",
    StatefulSet: "spec.template.spec",
    DaemonSet: "spec.template.spec",
    ReplicaSet: "spec.template.spec",
    ReplicationController: "spec.template.spec",
    Job: "spec.template.spec",
    CronJob: "spec.jobTemplate.spec.template.spec",
};

/** `kubernetes:apps/v1:Deployment` → "Deployment" when it is a pod-bearing kind (any API version). */
export function podKindOfType(type: string): string | undefined {
    // The kind is the type's last segment (no other part may hold a colon): most types are rejected without the regex.
    const kind = type.slice(type.lastIndexOf(":") + 1);
    if (!Object.prototype.hasOwnProperty.call(POD_SPEC_PATH, kind)) return undefined;
    const m = POD_TYPE.exec(type);
    return m ? m[1] : undefined;
}

const POD_TYPE = /^kubernetes:[\w.-]+\/v\w+:(\w+)$/;

const CONTAINER_LISTS: readonly [string, ContainerRole][] = [
    ["containers", "container"],
    ["initContainers", "initContainer"],
    ["ephemeralContainers", "ephemeralContainer"],
];

export const APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

/** An object-valued field: the object, nothing, UNKNOWN, or Invalid when it is not an object. */
const sub = (parent: unknown, key: string): V<Obj> => obj(field(parent, key));

function describe(v: unknown): string {
    if (v === null) return "null";
    if (v instanceof Invalid) return v.got;
    return Array.isArray(v) ? "an array" : `a ${typeof v}`;
}

/**
 * Reads a list whose entries each yield zero or one item. An unknown list or entry makes the whole
 * value UNKNOWN, a malformed one Invalid; `each` returns undefined to skip an entry.
 */
function listOf<T>(v: unknown, base: string, key: string, each: (item: Obj, itemPath: string, i: number) => V<T> | undefined): V<readonly T[]> {
    const items = arr(v);
    if (!Array.isArray(items)) return items as V<readonly T[]>;
    // The list's path (`${base}.${key}`) is built only for a list that is there.
    const path = `${base}.${key}`;
    const out: T[] = [];
    let unknown = false;
    for (let i = 0; i < items.length; i++) {
        const item = items[i];
        if (item === UNKNOWN) {
            unknown = true;
            continue;
        }
        if (!isObj(item)) return new Invalid(`an object at ${path}[${i}]`, describe(item));
        const got = each(item, `${path}[${i}]`, i);
        if (got === UNKNOWN) unknown = true;
        else if (got instanceof Invalid) return got;
        else if (got !== undefined) out.push(got);
    }
    return unknown ? UNKNOWN : out;
}

/** Two findings lists of one field: definite entries win over unknowns, so a certain violation is never hidden. */
function merge<T>(a: V<readonly T[]>, b: V<readonly T[]>): V<readonly T[]> {
    if (a instanceof Invalid) return a;
    if (b instanceof Invalid) return b;
    if (b === undefined && Array.isArray(a)) return a; // the usual case: env entries, no envFrom (`a` is the reader's own array)
    const known = [...(Array.isArray(a) ? a : []), ...(Array.isArray(b) ? b : [])];
    if (known.length > 0 || (a !== UNKNOWN && b !== UNKNOWN)) return known;
    return UNKNOWN;
}

/** "spec.template.spec" → "spec.template.metadata"; a bare Pod's own metadata for "spec". */
function templateMetaPath(specPath: string): string {
    return specPath === "spec" ? "metadata" : specPath.replace(/\.spec$/, ".metadata");
}

function stringRecord(v: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    if (isObj(v)) {
        for (const k of Object.keys(v)) {
            const x = v[k];
            if (typeof x === "string") out[k] = x;
        }
    }
    return out;
}

/** Per pod-bearing kind: the pod spec's and the template metadata's paths, split once. */
const KIND_PATHS: ReadonlyMap<string, { readonly spec: readonly string[]; readonly meta: string; readonly metaKeys: readonly string[] }> = new Map(
    Object.entries(POD_SPEC_PATH).map(([kind, path]) => [
        kind,
        { spec: path.split("."), meta: templateMetaPath(path), metaKeys: templateMetaPath(path).split(".") },
    ]),
);

/**
 * Normalizes the pod template of a Kubernetes object (Pulumi inputs and manifests share this
 * shape). The adapters share one model between the controls of a resource input (adapters/kubernetes).
 */
export function kubernetesPodModel(kind: string, props: unknown, resourceName: string): PodModel {
    const specPath = POD_SPEC_PATH[kind] ?? "spec";
    const known = Object.prototype.hasOwnProperty.call(POD_SPEC_PATH, kind) ? KIND_PATHS.get(kind) : undefined;
    const spec = atPath(props, known ? known.spec : specPath.split("."));
    const meta = field(props, "metadata");
    const metaName = str(field(meta, "name"));
    const ns = str(field(meta, "namespace"));
    const templateMeta = known ? known.meta : templateMetaPath(specPath);
    const tmeta = atPath(props, known ? known.metaKeys : templateMeta.split("."));
    const podSc = sub(spec, "securityContext");
    const podScPath = `${specPath}.securityContext`;
    const pod: PodContext = {
        kind,
        name: typeof metaName === "string" && metaName !== "" ? metaName : resourceName,
        namespace: typeof ns === "string" && ns !== "" ? ns : undefined,
        namespaceUnknown: ns === UNKNOWN,
        os: str(field(sub(spec, "os"), "name")),
    };
    const annotations = sub(tmeta, "annotations");
    const env: ContainerEnv = { pod, podSc, podScPath, annotations, annotationsPath: `${templateMeta}.annotations` };
    const containers: KubernetesContainerModel[] = [];
    const malformed: { path: string; problem: string }[] = [];
    if (spec === UNKNOWN) containers.push(unknownContainer(pod, "container", specPath));
    else if (!isObj(spec)) {
        malformed.push({
            path: specPath,
            problem: spec === undefined || spec === null ? "the pod spec is missing" : `the pod spec must be an object, got ${describe(spec)}`,
        });
    } else {
        for (const [list, role] of CONTAINER_LISTS) {
            const items = arr(spec[list]);
            const listPath = `${specPath}.${list}`;
            if (items === undefined) continue;
            if (items === UNKNOWN) containers.push(unknownContainer(pod, role, listPath));
            else if (items instanceof Invalid) malformed.push({ path: listPath, problem: `expected a list of containers, got ${items.got}` });
            else {
                items.forEach((c, i) => {
                    const path = `${listPath}[${i}]`;
                    if (c === UNKNOWN) containers.push(unknownContainer(pod, role, path));
                    else if (!isObj(c)) malformed.push({ path, problem: `expected a container object, got ${describe(c)}` });
                    else containers.push(readContainer(c, role, path, env));
                });
            }
        }
        if (spec["containers"] === undefined || spec["containers"] === null)
            malformed.push({ path: `${specPath}.containers`, problem: "the pod spec has no containers" });
    }
    const saName = field(spec, "serviceAccountName");
    let inherited = 0;
    for (const c of containers) inherited |= (c.paths as unknown as ContainerPaths).from;
    return {
        kind: pod.kind,
        name: pod.name,
        namespace: pod.namespace,
        namespaceUnknown: pod.namespaceUnknown,
        os: pod.os,
        specPath,
        labels: stringRecord(field(tmeta, "labels")),
        hostNetwork: boolish(field(spec, "hostNetwork")),
        hostPID: boolish(field(spec, "hostPID")),
        hostIPC: boolish(field(spec, "hostIPC")),
        serviceAccountName: str(saName ?? field(spec, "serviceAccount")),
        automountServiceAccountToken: boolish(field(spec, "automountServiceAccountToken")),
        volumes: listOf<PodVolume>(field(spec, "volumes"), specPath, "volumes", (v, path, i) => {
            const name = v["name"];
            const types = Object.keys(v).filter((k) => k !== "name" && v[k] !== undefined && v[k] !== null);
            return { name: typeof name === "string" && name !== "" ? name : `volumes[${i}]`, types, path };
        }),
        sysctls: listOf<Located<string>>(field(podSc, "sysctls"), podScPath, "sysctls", (s, path) => {
            const name = str(s["name"]);
            return typeof name === "string" ? { value: name, path: `${path}.name` } : name === undefined ? new Invalid(`a name at ${path}`, "none") : name;
        }),
        overriddenDefaults: containers.length === 0 ? {} : overriddenDefaults(podSc, podScPath, inherited),
        containers,
        malformed,
        paths: {
            hostNetwork: `${specPath}.hostNetwork`,
            hostPID: `${specPath}.hostPID`,
            hostIPC: `${specPath}.hostIPC`,
            serviceAccountName: `${specPath}.serviceAccountName`,
            automountServiceAccountToken: `${specPath}.automountServiceAccountToken`,
            volumes: `${specPath}.volumes`,
            sysctls: `${podScPath}.sysctls`,
            os: `${specPath}.os.name`,
        },
    };
}

/** Pod-level settings each with the FROM_POD bit of the securityContext key it lives under. */
const POD_DEFAULTS: readonly [keyof PodDefaults, keyof typeof FROM_POD, string, (v: unknown) => V<unknown>][] = [
    ["runAsNonRoot", "runAsNonRoot", "", boolish],
    ["runAsUser", "runAsUser", "", num],
    ["seccompProfileType", "seccompProfile", "type", str],
    ["seLinuxType", "seLinuxOptions", "type", str],
    ["seLinuxUser", "seLinuxOptions", "user", str],
    ["seLinuxRole", "seLinuxOptions", "role", str],
    ["appArmorProfileType", "appArmorProfile", "type", str],
    ["windowsHostProcess", "windowsOptions", "hostProcess", boolish],
];

/** The pod's securityContext settings that no container inherits (`inherited`: FROM_POD bits some container took). */
function overriddenDefaults(podSc: V<Obj>, podScPath: string, inherited: number): PodModel["overriddenDefaults"] {
    const out: Record<string, Located<unknown>> = {};
    if (!isObj(podSc)) return out;
    for (const [name, key, inner, read] of POD_DEFAULTS) {
        if (inherited & FROM_POD[key]) continue;
        const v = inner === "" ? podSc[key] : field(obj(podSc[key]), inner);
        if (present(v)) out[name] = { value: read(v), path: `${podScPath}.${key}${inner === "" ? "" : `.${inner}`}` };
    }
    return out;
}

interface ContainerEnv {
    readonly pod: PodContext;
    readonly podSc: V<Obj>;
    readonly podScPath: string;
    readonly annotations: V<Obj>;
    readonly annotationsPath: string;
}

const present = (v: unknown) => v !== undefined && v !== null;

/** Bits of `ContainerPaths.from`: which effective values came from the pod, which requests from the limits. */
const FROM_POD = { runAsUser: 1, runAsGroup: 2, runAsNonRoot: 4, seccompProfile: 8, seLinuxOptions: 16, appArmorProfile: 32, windowsOptions: 64 } as const;
const FROM_LIMIT = { cpu: 128, memory: 256 } as const;

/**
 * Source paths of a container's fields, built only when a message asks for one (most checks pass, and
 * every control parses the pod again): the container's path, where its pod settings live, and `from`.
 */
class ContainerPaths {
    constructor(
        readonly c: string,
        readonly env: Pick<ContainerEnv, "podScPath" | "annotationsPath">,
        readonly annotationKey: string,
        /** FROM_POD / FROM_LIMIT bits; -1 for a container unknown as a whole, whose every field is `c`. */
        readonly from: number,
    ) {}
    sc(key: keyof typeof FROM_POD, rest = ""): string {
        return `${this.from & FROM_POD[key] ? this.env.podScPath : `${this.c}.securityContext`}.${key}${rest}`;
    }
    request(key: keyof typeof FROM_LIMIT): string {
        return `${this.c}.resources.${this.from & FROM_LIMIT[key] ? "limits" : "requests"}.${key}`;
    }
}

const CONTAINER_PATHS: Readonly<Record<KubernetesContainerField, (p: ContainerPaths) => string>> = {
    image: (p) => `${p.c}.image`,
    command: (p) => `${p.c}.command`,
    args: (p) => `${p.c}.args`,
    privileged: (p) => `${p.c}.securityContext.privileged`,
    allowPrivilegeEscalation: (p) => `${p.c}.securityContext.allowPrivilegeEscalation`,
    readOnlyRootFilesystem: (p) => `${p.c}.securityContext.readOnlyRootFilesystem`,
    capabilitiesAdd: (p) => `${p.c}.securityContext.capabilities.add`,
    capabilitiesDrop: (p) => `${p.c}.securityContext.capabilities.drop`,
    procMount: (p) => `${p.c}.securityContext.procMount`,
    hostPorts: (p) => `${p.c}.ports`,
    secretEnv: (p) => `${p.c}.env`,
    plainEnv: (p) => `${p.c}.env`,
    memoryLimitBytes: (p) => `${p.c}.resources.limits.memory`,
    memoryRequestBytes: (p) => p.request("memory"),
    cpuRequestCores: (p) => p.request("cpu"),
    runAsUser: (p) => p.sc("runAsUser"),
    runAsGroup: (p) => p.sc("runAsGroup"),
    runAsNonRoot: (p) => p.sc("runAsNonRoot"),
    seccompProfileType: (p) => p.sc("seccompProfile", ".type"),
    appArmorProfileType: (p) => p.sc("appArmorProfile", ".type"),
    seLinuxType: (p) => p.sc("seLinuxOptions", ".type"),
    seLinuxUser: (p) => p.sc("seLinuxOptions", ".user"),
    seLinuxRole: (p) => p.sc("seLinuxOptions", ".role"),
    windowsHostProcess: (p) => p.sc("windowsOptions", ".hostProcess"),
    appArmorAnnotation: (p) => `${p.env.annotationsPath}["${p.annotationKey}"]`,
};
for (const [key, build] of Object.entries(CONTAINER_PATHS)) {
    Object.defineProperty(ContainerPaths.prototype, key, {
        enumerable: true,
        get(this: ContainerPaths) {
            return this.from === -1 ? this.c : build(this);
        },
    });
}
const pathsOf = (p: ContainerPaths) => p as unknown as KubernetesContainerModel["paths"];

/** The container's own value of a securityContext key if present, else the pod's; `fromPod` says which. */
function effective(sc: V<Obj>, podSc: V<Obj>, key: keyof typeof FROM_POD): { v: unknown; fromPod: number } {
    const own = field(sc, key);
    if (present(own)) return { v: own, fromPod: 0 };
    const fromPod = field(podSc, key);
    return present(fromPod) ? { v: fromPod, fromPod: FROM_POD[key] } : { v: undefined, fromPod: 0 };
}

/** A resource request; the API defaults a missing request to the limit. */
function request(requests: V<Obj>, limits: V<Obj>, key: keyof typeof FROM_LIMIT): { v: V<number>; fromLimit: number } {
    const own = field(requests, key);
    if (present(own)) return { v: quantity(own), fromLimit: 0 };
    const limit = field(limits, key);
    return present(limit) ? { v: quantity(limit), fromLimit: FROM_LIMIT[key] } : { v: quantity(own), fromLimit: 0 };
}

function readContainer(c: Obj, role: ContainerRole, path: string, env: ContainerEnv): KubernetesContainerModel {
    const sc = obj(c["securityContext"]);
    const name = str(c["name"]);
    const displayName = typeof name === "string" && name !== "" ? name : path;
    const runAsUser = effective(sc, env.podSc, "runAsUser");
    const runAsGroup = effective(sc, env.podSc, "runAsGroup");
    const runAsNonRoot = effective(sc, env.podSc, "runAsNonRoot");
    const seccomp = effective(sc, env.podSc, "seccompProfile");
    const seccompProfile = obj(seccomp.v);
    const appArmor = effective(sc, env.podSc, "appArmorProfile");
    const seLinux = effective(sc, env.podSc, "seLinuxOptions");
    const seLinuxOptions = obj(seLinux.v);
    // windowsOptions merge field by field.
    const ownHostProcess = field(sub(sc, "windowsOptions"), "hostProcess");
    const podHostProcess = field(sub(env.podSc, "windowsOptions"), "hostProcess");
    const hostProcessFromPod = !present(ownHostProcess) && present(podHostProcess) ? FROM_POD.windowsOptions : 0;
    const resources = sub(c, "resources");
    const limits = sub(resources, "limits");
    const requests = sub(resources, "requests");
    const memoryRequest = request(requests, limits, "memory");
    const cpuRequest = request(requests, limits, "cpu");
    const caps = sub(sc, "capabilities");
    const annotationKey = APPARMOR_ANNOTATION_PREFIX + displayName;
    const from =
        runAsUser.fromPod |
        runAsGroup.fromPod |
        runAsNonRoot.fromPod |
        seccomp.fromPod |
        appArmor.fromPod |
        seLinux.fromPod |
        hostProcessFromPod |
        memoryRequest.fromLimit |
        cpuRequest.fromLimit;
    return {
        runtime: "kubernetes",
        role,
        name: displayName,
        pod: env.pod,
        path,
        image: str(c["image"]),
        command: strList(c["command"]),
        args: strList(c["args"]),
        privileged: boolish(field(sc, "privileged")),
        memoryLimitBytes: quantity(field(limits, "memory")),
        memoryRequestBytes: memoryRequest.v,
        cpuRequestCores: cpuRequest.v,
        runAsUser: num(runAsUser.v),
        runAsGroup: num(runAsGroup.v),
        runAsNonRoot: boolish(runAsNonRoot.v),
        allowPrivilegeEscalation: boolish(field(sc, "allowPrivilegeEscalation")),
        readOnlyRootFilesystem: boolish(field(sc, "readOnlyRootFilesystem")),
        capabilitiesAdd: strList(field(caps, "add")),
        capabilitiesDrop: strList(field(caps, "drop")),
        seccompProfileType: str(field(seccompProfile, "type")),
        seLinuxType: str(field(seLinuxOptions, "type")),
        seLinuxUser: str(field(seLinuxOptions, "user")),
        seLinuxRole: str(field(seLinuxOptions, "role")),
        appArmorProfileType: str(field(obj(appArmor.v), "type")),
        appArmorAnnotation: str(field(env.annotations, annotationKey)),
        windowsHostProcess: boolish(hostProcessFromPod ? podHostProcess : ownHostProcess),
        procMount: str(field(sc, "procMount")),
        hostPorts: listOf<Located<number>>(c["ports"], path, "ports", (p, pPath) => {
            const port = num(p["hostPort"]);
            return typeof port === "number" ? (port === 0 ? undefined : { value: port, path: `${pPath}.hostPort` }) : port;
        }),
        secretEnv: merge(
            listOf<Located<string>>(c["env"], path, "env", (e, ePath) => {
                const ref = field(sub(e, "valueFrom"), "secretKeyRef");
                if (ref === UNKNOWN || ref instanceof Invalid) return ref;
                const varName = e["name"];
                return present(ref) ? { value: typeof varName === "string" ? varName : ePath, path: `${ePath}.valueFrom.secretKeyRef` } : undefined;
            }),
            listOf<Located<string>>(c["envFrom"], path, "envFrom", (e, ePath) => {
                const ref = e["secretRef"];
                return ref === UNKNOWN ? UNKNOWN : present(ref) ? { value: "envFrom", path: `${ePath}.secretRef` } : undefined;
            }),
        ),
        plainEnv: listOf<PlainEnvVar>(c["env"], path, "env", (e, ePath) =>
            e["value"] === undefined || e["value"] === null ? undefined : { path: ePath, name: str(e["name"]), value: str(e["value"]) },
        ),
        paths: pathsOf(new ContainerPaths(path, env, annotationKey, from)),
    };
}

/** A container whose whole entry (or list) is unknown at preview: every field is unknown and points at it. */
function unknownContainer(pod: PodContext, role: ContainerRole, path: string): KubernetesContainerModel {
    return {
        runtime: "kubernetes",
        role,
        name: path,
        pod,
        path,
        image: UNKNOWN,
        privileged: UNKNOWN,
        command: UNKNOWN,
        args: UNKNOWN,
        memoryLimitBytes: UNKNOWN,
        memoryRequestBytes: UNKNOWN,
        cpuRequestCores: UNKNOWN,
        runAsUser: UNKNOWN,
        runAsGroup: UNKNOWN,
        runAsNonRoot: UNKNOWN,
        allowPrivilegeEscalation: UNKNOWN,
        readOnlyRootFilesystem: UNKNOWN,
        capabilitiesAdd: UNKNOWN,
        capabilitiesDrop: UNKNOWN,
        seccompProfileType: UNKNOWN,
        seLinuxType: UNKNOWN,
        seLinuxUser: UNKNOWN,
        seLinuxRole: UNKNOWN,
        appArmorProfileType: UNKNOWN,
        appArmorAnnotation: UNKNOWN,
        windowsHostProcess: UNKNOWN,
        procMount: UNKNOWN,
        hostPorts: UNKNOWN,
        secretEnv: UNKNOWN,
        plainEnv: UNKNOWN,
        paths: pathsOf(new ContainerPaths(path, { podScPath: path, annotationsPath: path }, "", -1)),
    };
}
