import { stackControl } from "../../contract/control";
import { show } from "../../kernel/values";
import { checkFlagRules, FlagRule, includes, Judge, present } from "../shared/control-plane-rules";

export interface DosProtectionConfig {
    /** Longest `--request-timeout` accepted, in seconds. */
    readonly maxRequestTimeoutSeconds: number;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Go's time.ParseDuration ("1m30s", "300s"), in seconds; undefined when malformed. */
export function durationSeconds(v: string): number | undefined {
    if (v === "0") return 0;
    const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
    let total = 0;
    let matched = 0;
    for (let m = re.exec(v); m; m = re.exec(v)) {
        total += Number(m[1]) * UNIT_SECONDS[m[2]];
        matched = re.lastIndex;
    }
    return matched === v.length && matched > 0 ? total : undefined;
}

function timeout(max: number): Judge {
    return (v) => {
        if (v === undefined) return undefined; // the default, 60s, is sane
        const s = durationSeconds(v);
        if (s === undefined) return `is ${show(v)}, not a duration such as "60s"`;
        if (s <= 0) return "is 0, which disables the timeout";
        return s > max ? `is ${s}s, above ${max}s` : undefined;
    };
}

const positive: Judge = (v) => {
    if (v === undefined) return "is unset";
    const n = Number(v);
    return Number.isInteger(n) && n > 0 ? undefined : `is ${show(v)}${n === 0 ? ", which disables the limit" : ", not a positive whole number"}`;
};

/** CIS Kubernetes 1.2.9, 1.2.20, 1.3.1. */
export default stackControl<DosProtectionConfig>({
    id: "kubernetes-control-plane-dos-protection",
    title: "The API server limits events, in-flight requests and request time; the controller manager collects terminated pods",
    description:
        "Denial of service: without EventRateLimit, in-flight limits and a request timeout a single client can flood the API server and etcd; without a terminated-pod GC threshold finished pods pile up until etcd and the controllers slow down.",
    stride: "D",
    targets: ["kubernetes"],
    refs: { kubernetes: ["1.2.9", "1.2.20", "1.3.1"] },
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: [
        "Add EventRateLimit to `--enable-admission-plugins` and point `--admission-control-config-file` at an AdmissionConfiguration with an EventRateLimit configuration.",
        "Set `--max-requests-inflight` and `--max-mutating-requests-inflight` to positive values, and keep `--request-timeout` at 60s–300s.",
        "Set `--terminated-pod-gc-threshold` on kube-controller-manager (e.g. 10 on small clusters; the built-in 12500 is too high for most).",
    ],
    config: {
        maxRequestTimeoutSeconds: { type: "integer", minimum: 1, default: 300, description: "Longest --request-timeout accepted, in seconds." },
    },
    scope: "stack",
    check(stack, cfg) {
        const A = "kube-apiserver" as const;
        const rules: FlagRule[] = [
            {
                kind: A,
                flag: "enable-admission-plugins",
                cis: "1.2.9",
                judge: includes("EventRateLimit"),
                why: "one client can flood the API server and etcd with events",
                fix: "--enable-admission-plugins=…,EventRateLimit",
            },
            {
                kind: A,
                flag: "admission-control-config-file",
                cis: "1.2.9",
                judge: present,
                why: "EventRateLimit needs its limits from an admission configuration file",
                fix: "--admission-control-config-file=/etc/kubernetes/admission.yaml",
            },
            {
                kind: A,
                flag: "request-timeout",
                cis: "1.2.20",
                judge: timeout(cfg.maxRequestTimeoutSeconds),
                why: "long-running requests pin API server resources",
                fix: "--request-timeout=60s",
            },
            {
                kind: A,
                flag: "max-requests-inflight",
                judge: positive,
                why: "without an explicit in-flight limit read load is bounded only by defaults nobody reviewed",
                fix: "--max-requests-inflight=400",
            },
            {
                kind: A,
                flag: "max-mutating-requests-inflight",
                judge: (v) => (v === undefined ? undefined : positive(v, [v])),
                why: "0 lets mutating requests pile up without bound",
                fix: "--max-mutating-requests-inflight=200",
            },
            {
                kind: "kube-controller-manager",
                flag: "terminated-pod-gc-threshold",
                cis: "1.3.1",
                judge: positive,
                why: "finished pods are kept until 12500 exist, filling etcd and slowing controllers",
                fix: "--terminated-pod-gc-threshold=10",
            },
        ];
        return checkFlagRules(stack.controlPlane, rules);
    },
});
