import { stackControl } from "../../contract/control";
import { show } from "../../kernel/values";
import { checkFlagRules, Judge } from "../shared/control-plane-rules";

export interface PodPidsConfig {
    /** Largest per-pod PID limit accepted. */
    readonly maxPodPids: number;
}

function pidsLimit(max: number): Judge {
    return (v) => {
        if (v === undefined) return "is unset (pods may create processes until the node runs out)";
        const n = Number(v);
        if (!Number.isInteger(n)) return `is ${show(v)}, not a whole number`;
        if (n <= 0) return `is ${n}, which means unlimited`;
        return n > max ? `is ${n}, above ${max}` : undefined;
    };
}

/** CIS Kubernetes 4.2.13. */
export default stackControl<PodPidsConfig>({
    id: "kubernetes-kubelet-pod-pids-limit",
    title: "Kubelets limit the processes of each pod",
    description:
        "Denial of service: without a per-pod PID limit one fork bomb exhausts the node's process table and takes down every pod on it, and the kubelet.",
    stride: "D",
    targets: ["kubernetes"],
    refs: { kubernetes: ["4.2.13"] },
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: ["Set `podPidsLimit` in the KubeletConfiguration (or `--pod-max-pids`) to a bound that fits the workloads, e.g. 4096."],
    config: {
        maxPodPids: { type: "integer", minimum: 1, default: 32768, description: "Largest per-pod PID limit accepted." },
    },
    scope: "stack",
    check(stack, cfg) {
        return checkFlagRules(stack.controlPlane, [
            {
                kind: "kubelet",
                flag: "pod-max-pids",
                cis: "4.2.13",
                judge: pidsLimit(cfg.maxPodPids),
                why: "a runaway or malicious pod can exhaust the node's PIDs",
                fix: "podPidsLimit: 4096 (or --pod-max-pids=4096)",
            },
        ]);
    },
});
