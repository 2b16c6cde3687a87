import { stackControl } from "../../contract/control";
import { show } from "../../kernel/values";
import { checkFlagRules, equals, FlagRule, Judge } from "../shared/control-plane-rules";

export interface ProfilingBindsConfig {
    /** Addresses the controller manager and scheduler may bind their secure port to. */
    readonly allowedBindAddresses: readonly string[];
}

function bindAddress(allowed: readonly string[]): Judge {
    return (v) => (v === undefined ? "is unset (the default is 0.0.0.0, every interface)" : allowed.includes(v) ? undefined : `is ${show(v)}`);
}

const PROFILING = "profiling is served on /debug/pprof: anyone allowed to read it learns memory layout and internals, and can slow the component down";

/** CIS Kubernetes 1.2.15, 1.3.2, 1.3.7, 1.4.1, 1.4.2, 4.2.4. */
export default stackControl<ProfilingBindsConfig>({
    id: "kubernetes-control-plane-profiling-and-binds",
    title: "Control-plane components disable profiling, bind to localhost, and kubelets close the read-only port",
    description:
        "Information disclosure: profiling endpoints, a controller manager or scheduler listening on every interface, and the kubelet's unauthenticated read-only port (10255) give the network details about pods, nodes and the components' internals.",
    stride: "I",
    targets: ["kubernetes"],
    refs: { kubernetes: ["1.2.15", "1.3.2", "1.3.7", "1.4.1", "1.4.2", "4.2.4"] },
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: [
        'Add `--profiling=false` to kube-apiserver, kube-controller-manager and kube-scheduler (kubeadm: `profiling: "false"` in each `extraArgs`).',
        "Set `--bind-address=127.0.0.1` on kube-controller-manager and kube-scheduler (kubeadm's default).",
        "Set `readOnlyPort: 0` in the KubeletConfiguration (the default of the config file) or `--read-only-port=0`.",
    ],
    config: {
        allowedBindAddresses: {
            type: "array",
            items: { type: "string", minLength: 1 },
            uniqueItems: true,
            default: ["127.0.0.1", "::1", "localhost"],
            description: "Addresses kube-controller-manager and kube-scheduler may bind to.",
        },
    },
    scope: "stack",
    check(stack, cfg) {
        const off = equals("false", "the default is true");
        const bind = bindAddress(cfg.allowedBindAddresses);
        const rules: FlagRule[] = [
            { kind: "kube-apiserver", flag: "profiling", cis: "1.2.15", judge: off, why: PROFILING, fix: "--profiling=false" },
            { kind: "kube-controller-manager", flag: "profiling", cis: "1.3.2", judge: off, why: PROFILING, fix: "--profiling=false" },
            {
                kind: "kube-controller-manager",
                flag: "bind-address",
                cis: "1.3.7",
                judge: bind,
                why: "its metrics and health endpoints are reachable from the network",
                fix: "--bind-address=127.0.0.1",
            },
            { kind: "kube-scheduler", flag: "profiling", cis: "1.4.1", judge: off, why: PROFILING, fix: "--profiling=false" },
            {
                kind: "kube-scheduler",
                flag: "bind-address",
                cis: "1.4.2",
                judge: bind,
                why: "its metrics and health endpoints are reachable from the network",
                fix: "--bind-address=127.0.0.1",
            },
            {
                kind: "kubelet",
                flag: "read-only-port",
                cis: "4.2.4",
                judge: equals("0", "the kubelet flag default is 10255"),
                why: "the read-only port serves pod specs and node details without authentication",
                fix: "readOnlyPort: 0 (or --read-only-port=0)",
            },
        ];
        return checkFlagRules(stack.controlPlane, rules);
    },
});
