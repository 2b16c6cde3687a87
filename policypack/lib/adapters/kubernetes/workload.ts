import { ContainerRole } from "../../model/container";
import { KubernetesContainerModel } from "../../model/kubernetes-container";
import { PodModel } from "../../model/pod";
import { arr, at, bool, boolish, field, Invalid, isObj, num, str, strList, UNKNOWN, V } from "../../core/values";
import { quantity } from "./quantity";

/** Pod-bearing kinds and where their pod spec lives. */
const POD_SPEC_PATH: Readonly<Record<string, string>> = {
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
    const m = /^kubernetes:[\w.-]+\/v[\w]+:(\w+)$/.exec(type);
    return m && Object.prototype.hasOwnProperty.call(POD_SPEC_PATH, m[1]) ? m[1] : undefined;
}

const CONTAINER_LISTS: readonly [string, ContainerRole][] = [
    ["containers", "container"],
    ["initContainers", "initContainer"],
    ["ephemeralContainers", "ephemeralContainer"],
];

/**
 * Normalizes the pod template of a Kubernetes object (Pulumi inputs and manifests share this
 * shape). Container security context fields are effective values: the container's own setting
 * wins over the pod's, and the path says which one applied.
 */
export function kubernetesPodModel(kind: string, props: unknown, resourceName: string): PodModel {
    const specPath = POD_SPEC_PATH[kind];
    const spec = at(props, specPath);
    const meta = field(props, "metadata");
    const metaName = str(field(meta, "name"));
    const ns = str(field(meta, "namespace"));
    const podSc = field(spec, "securityContext");
    const containers: KubernetesContainerModel[] = [];
    const malformed: { path: string; problem: string }[] = [];
    if (spec === UNKNOWN) containers.push(unknownContainer("container", specPath));
    else if (!isObj(spec)) {
        const problem = spec === undefined ? "the pod spec is missing" : `expected an object, got ${spec instanceof Invalid ? spec.got : typeof spec}`;
        malformed.push({ path: specPath, problem });
    } else for (const [list, role] of CONTAINER_LISTS) {
        const items = arr(field(spec, list));
        const listPath = `${specPath}.${list}`;
        if (items === undefined) continue;
        if (items === UNKNOWN) {
            containers.push(unknownContainer(role, `${listPath}`));
            continue;
        }
        if (items instanceof Invalid) {
            malformed.push({ path: listPath, problem: `expected ${items.expected}, got ${items.got}` });
            continue;
        }
        items.forEach((c, i) => {
            const path = `${listPath}[${i}]`;
            if (c === UNKNOWN) containers.push(unknownContainer(role, path));
            else if (!isObj(c)) malformed.push({ path, problem: `expected a container object, got ${c === null ? "null" : typeof c}` });
            else containers.push(kubernetesContainer(c, role, path, podSc, `${specPath}.securityContext`));
        });
    }
    return {
        kind,
        name: typeof metaName === "string" && metaName !== "" ? metaName : resourceName,
        namespace: typeof ns === "string" ? ns : undefined,
        specPath,
        hostNetwork: bool(field(spec, "hostNetwork")),
        hostPID: bool(field(spec, "hostPID")),
        hostIPC: bool(field(spec, "hostIPC")),
        serviceAccountName: str(field(spec, "serviceAccountName")),
        automountServiceAccountToken: bool(field(spec, "automountServiceAccountToken")),
        containers,
        malformed,
    };
}

function kubernetesContainer(
    c: Record<string, unknown>,
    role: ContainerRole,
    path: string,
    podSc: unknown,
    podScPath: string,
): KubernetesContainerModel {
    const sc = field(c, "securityContext");
    const scPath = `${path}.securityContext`;
    const name = str(c["name"]);
    const paths: Record<string, string> = {
        image: `${path}.image`,
        privileged: `${scPath}.privileged`,
        memoryLimitBytes: `${path}.resources.limits.memory`,
        allowPrivilegeEscalation: `${scPath}.allowPrivilegeEscalation`,
        readOnlyRootFilesystem: `${scPath}.readOnlyRootFilesystem`,
        capabilitiesAdd: `${scPath}.capabilities.add`,
        capabilitiesDrop: `${scPath}.capabilities.drop`,
    };
    const inherited = <T>(key: string, read: (v: unknown) => V<T>): V<T> => {
        const own = field(sc, key);
        if (own !== undefined && own !== null) {
            paths[key] = `${scPath}.${key}`;
            return read(own);
        }
        const fromPod = field(podSc, key);
        paths[key] = fromPod !== undefined && fromPod !== null ? `${podScPath}.${key}` : `${scPath}.${key}`;
        return read(fromPod);
    };
    return {
        runtime: "kubernetes",
        role,
        name: typeof name === "string" && name !== "" ? name : path,
        image: str(c["image"]),
        privileged: boolish(field(sc, "privileged")),
        memoryLimitBytes: quantity(at(c, "resources.limits.memory")),
        runAsUser: inherited("runAsUser", num),
        runAsNonRoot: inherited("runAsNonRoot", boolish),
        allowPrivilegeEscalation: boolish(field(sc, "allowPrivilegeEscalation")),
        readOnlyRootFilesystem: boolish(field(sc, "readOnlyRootFilesystem")),
        capabilitiesAdd: strList(at(sc, "capabilities.add")),
        capabilitiesDrop: strList(at(sc, "capabilities.drop")),
        paths,
    };
}

/** A container whose whole entry is unknown at preview: every field is unknown. */
function unknownContainer(role: ContainerRole, path: string): KubernetesContainerModel {
    return {
        runtime: "kubernetes",
        role,
        name: path,
        image: UNKNOWN,
        privileged: UNKNOWN,
        memoryLimitBytes: UNKNOWN,
        runAsUser: UNKNOWN,
        runAsNonRoot: UNKNOWN,
        allowPrivilegeEscalation: UNKNOWN,
        readOnlyRootFilesystem: UNKNOWN,
        capabilitiesAdd: UNKNOWN,
        capabilitiesDrop: UNKNOWN,
        paths: { privileged: path, memoryLimitBytes: path, image: path },
    };
}
