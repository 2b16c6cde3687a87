import { resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { globMatch } from "../../engine/settings";
import { isSettled, show } from "../../kernel/values";
import { EXEMPT_NAMESPACES_SCHEMA } from "../shared/namespaces";
import { KubernetesNamespaceModel, PSS_ENFORCE_LABEL } from "../../model/kubernetes-namespace";

export interface NamespacePodSecurityConfig {
    /** Namespaces (patterns) where `baseline` is enough. */
    readonly baselineNamespaces: readonly string[];
    readonly exemptNamespaces: readonly string[];
}

/** The levels a namespace may enforce: restricted, or baseline where allowed. */
function allowedLevels(ns: KubernetesNamespaceModel, cfg: NamespacePodSecurityConfig): readonly string[] {
    return cfg.baselineNamespaces.some((p) => globMatch(p, ns.name)) ? ["restricted", "baseline"] : ["restricted"];
}

/** CIS Kubernetes 5.2.1: Pod Security admission as the cluster's policy control mechanism, per namespace. */
export default resourceControl<"kubernetesNamespace", NamespacePodSecurityConfig>({
    id: "kubernetes-namespace-pod-security",
    title: "Namespaces enforce the restricted Pod Security Standard",
    description:
        "Elevation of privilege: without `pod-security.kubernetes.io/enforce`, the API server admits privileged pods, host namespaces and hostPath mounts into the namespace, whatever the stack's own manifests say (kubectl, Helm, other controllers).",
    stride: "E",
    targets: ["kubernetes"],
    refs: { kubernetes: ["5.2.1"] },
    pss: "restricted",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        `Label the namespace \`${PSS_ENFORCE_LABEL}: restricted\` (and \`pod-security.kubernetes.io/enforce-version\` to pin the rules).`,
        "Where a namespace really needs more (CNI agents, storage drivers), list it in `baselineNamespaces` and label it baseline; kube-system, kube-public and kube-node-lease are exempt by default.",
    ],
    config: {
        baselineNamespaces: {
            type: "array",
            items: { type: "string", minLength: 1 },
            default: [],
            description: "Namespaces (`*` patterns) where enforcing `baseline` is enough.",
        },
        exemptNamespaces: EXEMPT_NAMESPACES_SCHEMA,
    },
    scope: "resource",
    subject: "kubernetesNamespace",
    check(ns, cfg) {
        if (cfg.exemptNamespaces.includes(ns.name) || (ns.patch && ns.enforce === undefined)) return [];
        const u = unsettled("enforce", ns.enforce);
        if (u) return [u];
        const allowed = allowedLevels(ns, cfg);
        if (typeof ns.enforce === "string" && allowed.includes(ns.enforce)) return [];
        const want = allowed.map((l) => `"${l}"`).join(" or ");
        const what = ns.enforce === undefined ? "is not set, so Pod Security admission admits privileged pods" : `is ${show(ns.enforce)}`;
        return [{ field: "enforce", message: `${what}. Set it to ${want}.` }];
    },
    remediate(ns, cfg) {
        if (cfg.exemptNamespaces.includes(ns.name) || !isSettled(ns.enforce) || (ns.patch && ns.enforce === undefined)) return [];
        const allowed = allowedLevels(ns, cfg);
        if (typeof ns.enforce === "string" && allowed.includes(ns.enforce)) return [];
        // The least strict level that passes: baseline where allowed, else restricted.
        return [{ field: "enforce", value: allowed[allowed.length - 1] }];
    },
});
