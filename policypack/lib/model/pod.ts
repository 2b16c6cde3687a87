import { V } from "../kernel/values";
import { KubernetesContainerModel, Located, PodContext } from "./kubernetes-container";

/** A volume of a pod spec: its name, the source type keys it sets (`hostPath`, `emptyDir`, …) and its path. */
export interface PodVolume {
    readonly name: string;
    /** Volume source keys set on the entry; empty means the API's default (emptyDir). */
    readonly types: readonly string[];
    readonly path: string;
}

/** The pod's own securityContext settings that containers inherit unless they set their own. */
export interface PodDefaults {
    readonly runAsNonRoot: V<boolean>;
    readonly runAsUser: V<number>;
    readonly seccompProfileType: V<string>;
    readonly seLinuxType: V<string>;
    readonly seLinuxUser: V<string>;
    readonly seLinuxRole: V<string>;
    readonly appArmorProfileType: V<string>;
    readonly windowsHostProcess: V<boolean>;
}

/** The pod template of any pod-bearing Kubernetes object, normalized. */
export interface PodModel extends PodContext {
    /** Path of the pod spec in the source, e.g. `spec.template.spec` or `spec.jobTemplate.spec.template.spec`. */
    readonly specPath: string;
    /** Labels of the pod template (of the Pod itself for bare pods), for selectors such as NetworkPolicies. */
    readonly labels: Readonly<Record<string, string>>;
    readonly hostNetwork: V<boolean>;
    readonly hostPID: V<boolean>;
    readonly hostIPC: V<boolean>;
    /** `serviceAccountName` (or the deprecated `serviceAccount`); undefined means "default". */
    readonly serviceAccountName: V<string>;
    readonly automountServiceAccountToken: V<boolean>;
    readonly volumes: V<readonly PodVolume[]>;
    /** `securityContext.sysctls[].name`. */
    readonly sysctls: V<readonly Located<string>[]>;
    /**
     * Pod-level securityContext settings that every container overrides, with their paths. They reach no
     * container now, but containers added later (ephemeral debug containers) inherit them, and Pod Security
     * Admission judges them; a setting some container inherits is judged through that container instead.
     */
    readonly overriddenDefaults: { readonly [K in keyof PodDefaults]?: Located<PodDefaults[K]> };
    /** Every container: containers, initContainers and ephemeralContainers. */
    readonly containers: readonly KubernetesContainerModel[];
    /** Malformed container entries, reported rather than skipped. */
    readonly malformed: readonly { readonly path: string; readonly problem: string }[];
    readonly paths: Readonly<Partial<Record<PodField, string>>>;
}

export type PodField = "hostNetwork" | "hostPID" | "hostIPC" | "serviceAccountName" | "automountServiceAccountToken" | "volumes" | "sysctls" | "os";

export function describePod(p: PodContext): string {
    return p.namespace ? `${p.kind} "${p.namespace}/${p.name}"` : `${p.kind} "${p.name}"`;
}

declare module "../contract/subject" {
    interface SubjectModels {
        /** The pod template of every pod-bearing Kubernetes object. */
        readonly pod: PodModel;
    }
}
