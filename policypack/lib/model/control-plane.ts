/**
 * The Kubernetes control plane a stack declares: every kube-apiserver, etcd, kube-controller-manager,
 * kube-scheduler and kubelet, wherever its settings are written (static Pod manifests, Pod resources,
 * Docker containers, systemd units, kubeadm ClusterConfiguration, KubeletConfiguration), normalized to
 * flags. Built once per stack by adapters/kubernetes/control-plane.ts.
 */
import { V } from "../core/values";
import { HostFile } from "./host";

export type ComponentKind = "kube-apiserver" | "etcd" | "kube-controller-manager" | "kube-scheduler" | "kubelet";

export const COMPONENT_KINDS: readonly ComponentKind[] = ["kube-apiserver", "etcd", "kube-controller-manager", "kube-scheduler", "kubelet"];

export function isComponentKind(s: string): s is ComponentKind {
    return (COMPONENT_KINDS as readonly string[]).includes(s);
}

/** Where a setting comes from: written in the declaration, or a default of the tool that writes the rest. */
export type Origin = "declared" | "kubeadm default" | "kubelet config default";

/** One occurrence of a flag (KubeletConfiguration fields are mapped to their flags). */
export interface Setting {
    readonly value: V<string>;
    /** The source field, e.g. `spec.containers[0].command[7]`, `apiServer.extraArgs.profiling`, `readOnlyPort`. */
    readonly where: string;
    readonly origin: Origin;
    /** A command-line flag written alone that is not a known boolean one (`--terminated-pod-gc-threshold` with no value). */
    readonly bare?: true;
}

/** One declared control-plane component. */
export interface Component {
    readonly kind: ComponentKind;
    /** How messages name it: `kube-apiserver (static Pod /etc/kubernetes/manifests/kube-apiserver.yaml on 10.0.0.5)`. */
    readonly label: string;
    /** The resource that declares it. */
    readonly urn: string;
    /** Where its flags are written, i.e. where a missing flag goes: `spec.containers[0].command`, `apiServer.extraArgs`. */
    readonly argsAt: string;
    /** The machine it runs on, when the stack says (host files); undefined for Pod resources and Docker containers. */
    readonly host: string | undefined;
    /** Every flag by name (no dashes), occurrences in order; defaults come first so declared values win. */
    readonly settings: ReadonlyMap<string, readonly Setting[]>;
    /** Part of the declaration is unknown at preview: a flag not seen may still be set. */
    readonly open: boolean;
    /** Names to use for flags in messages when the declaration is a configuration file (`readOnlyPort` for `read-only-port`). */
    readonly fieldNames?: Readonly<Record<string, string>>;
}

/** A YAML/JSON file the stack writes to a machine, parsed once. */
export interface ParsedFile {
    readonly file: HostFile;
    /** The documents; UNKNOWN when the content is unknown at preview, Invalid when it does not parse. */
    readonly docs: V<readonly unknown[]>;
}

/** A declaration that could not be read: reported by every control over that component kind. */
export interface ControlPlaneProblem {
    readonly kinds: readonly ComponentKind[];
    readonly urn: string;
    readonly subject: string;
    readonly field: string;
    readonly message: string;
    /** The unreadable host file, when the problem is one. */
    readonly file?: HostFile;
}

export interface ControlPlaneModel {
    readonly components: readonly Component[];
    /** YAML/JSON host files by path (a path may be written on several hosts). */
    readonly files: ReadonlyMap<string, readonly ParsedFile[]>;
    readonly problems: readonly ControlPlaneProblem[];
}

/** Occurrences of a flag (empty when absent). */
export function occurrences(c: Component, flag: string): readonly Setting[] {
    return c.settings.get(flag) ?? [];
}

/** The effective occurrence of a single-valued flag: the last one. */
export function lastSetting(c: Component, flag: string): Setting | undefined {
    const all = c.settings.get(flag);
    return all && all.length > 0 ? all[all.length - 1] : undefined;
}

/** The file a component refers to by path (e.g. `--audit-policy-file`): on its own machine first, then anywhere in the stack. */
export function referencedFile(model: ControlPlaneModel, c: Component, path: string): ParsedFile | undefined {
    const list = model.files.get(path);
    if (!list || list.length === 0) return undefined;
    const own = c.host === undefined ? undefined : lookupsOf(model).byPathAndHost.get(path)?.get(c.host);
    return own ?? list[list.length - 1];
}

/** True when the model already reports this file as unreadable (so a control need not say it again). */
export function isReportedUnreadable(model: ControlPlaneModel, f: ParsedFile): boolean {
    return lookupsOf(model).unreadable.has(f.file);
}

/** Per-model indexes, built on first use, so that lookups stay O(1) however many nodes the stack declares. */
const lookups = new WeakMap<ControlPlaneModel, { byPathAndHost: Map<string, Map<string, ParsedFile>>; unreadable: Set<unknown> }>();
function lookupsOf(model: ControlPlaneModel) {
    let l = lookups.get(model);
    if (!l) {
        const byPathAndHost = new Map<string, Map<string, ParsedFile>>();
        for (const [path, list] of model.files) {
            const byHost = new Map<string, ParsedFile>();
            for (const f of list) byHost.set(f.file.host, f); // the last write to a path on a host wins
            byPathAndHost.set(path, byHost);
        }
        l = { byPathAndHost, unreadable: new Set(model.problems.map((p) => p.file)) };
        lookups.set(model, l);
    }
    return l;
}

declare module "../core/stack" {
    interface StackModel {
        /** Control-plane components and their documents. */
        readonly controlPlane: ControlPlaneModel;
    }
}
