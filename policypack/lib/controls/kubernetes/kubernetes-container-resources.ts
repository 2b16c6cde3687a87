import { Finding, Fix, resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { V } from "../../kernel/values";
import { quantity } from "../../adapters/kubernetes/quantity";

export interface ResourcesConfig {
    /** Values a remediation fills in where a container has none. */
    readonly defaultCpuRequest: string;
    readonly defaultMemoryRequest: string;
    readonly defaultMemoryLimit: string;
}

const NEEDED = [
    ["cpuRequestCores", "CPU request", "the scheduler reserves no CPU for it and it is squeezed first under contention", "resources.requests.cpu"],
    ["memoryRequestBytes", "memory request", "the node can be overcommitted and this pod is evicted first", "resources.requests.memory"],
    ["memoryLimitBytes", "memory limit", "a leak can exhaust the node's memory and get its neighbours OOM-killed", "resources.limits.memory"],
] as const;

/** Ephemeral containers cannot have resources; every other container is scheduled and sized by them. */
export default resourceControl<"kubernetesContainer", ResourcesConfig>({
    id: "kubernetes-container-resources",
    title: "Kubernetes containers request CPU and memory and have a memory limit",
    description:
        "Denial of service: without requests the scheduler overcommits nodes and the pod is first to be evicted; without a memory limit one leaking container exhausts the node and gets its neighbours OOM-killed.",
    stride: "D",
    targets: ["kubernetes"],
    refs: {},
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Set `resources.requests.cpu`, `resources.requests.memory` and `resources.limits.memory` on every container and initContainer.",
        "Size requests from observed usage, the memory limit from the observed peak plus headroom.",
        "Add a LimitRange to each namespace so that containers without values get defaults.",
    ],
    config: {
        defaultCpuRequest: { type: "string", minLength: 1, default: "100m", description: "CPU request a remediation sets where none is given." },
        defaultMemoryRequest: { type: "string", minLength: 1, default: "128Mi", description: "Memory request a remediation sets where none is given." },
        defaultMemoryLimit: {
            type: "string",
            minLength: 1,
            default: "256Mi",
            description: "Memory limit a remediation sets where none is given (raised to the memory request if that is higher).",
        },
    },
    scope: "resource",
    subject: "kubernetesContainer",
    check(c) {
        if (c.role === "ephemeralContainer") return [];
        const findings: Finding[] = [];
        for (const [f, what, why, where] of NEEDED) {
            const v: V<number> = c[f];
            const u = unsettled(f, v);
            if (u) findings.push(u);
            else if (v === undefined || (v as number) <= 0) findings.push({ field: f, message: `has no ${what}: ${why}. Set ${where}.` });
        }
        return findings;
    },
    remediate(c, cfg) {
        if (c.role === "ephemeralContainer") return [];
        const fixes: Fix[] = [];
        const missing = (v: V<number>) => v === undefined || v === 0;
        // A configured value that is not a quantity is never written: the result would not validate.
        const amount = (q: string): number | undefined => {
            const n = quantity(q);
            return typeof n === "number" && n > 0 ? n : undefined;
        };
        if (missing(c.cpuRequestCores) && amount(cfg.defaultCpuRequest) !== undefined) fixes.push({ field: "cpuRequestCores", value: cfg.defaultCpuRequest });
        let request = typeof c.memoryRequestBytes === "number" ? c.memoryRequestBytes : undefined;
        if (missing(c.memoryRequestBytes) && amount(cfg.defaultMemoryRequest) !== undefined) {
            fixes.push({ field: "memoryRequestBytes", value: cfg.defaultMemoryRequest });
            request = amount(cfg.defaultMemoryRequest);
        }
        const limit = amount(cfg.defaultMemoryLimit);
        if (missing(c.memoryLimitBytes) && limit !== undefined) {
            // A limit below the request does not validate: raise it to the request.
            fixes.push({ field: "memoryLimitBytes", value: request !== undefined && request > limit ? request : cfg.defaultMemoryLimit });
        }
        return fixes;
    },
});
