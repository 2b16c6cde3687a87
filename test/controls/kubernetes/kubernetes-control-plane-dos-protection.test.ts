import control from "stride-guard/lib/controls/kubernetes/kubernetes-control-plane-dos-protection";
import { describeFlagRuleControl } from "../../support/control-plane-fixtures";

describeFlagRuleControl(control, {
    cases: [
        [
            "no EventRateLimit",
            "kube-apiserver",
            { "enable-admission-plugins": "NodeRestriction" },
            /--enable-admission-plugins does not include EventRateLimit.*\(1\.2\.9\)/,
        ],
        ["no admission configuration", "kube-apiserver", { "admission-control-config-file": null }, /--admission-control-config-file is unset.*\(1\.2\.9\)/],
        ["a long request timeout", "kube-apiserver", { "request-timeout": "1h" }, /--request-timeout is 3600s, above 300s.*\(1\.2\.20\)/],
        ["a malformed request timeout", "kube-apiserver", { "request-timeout": "forever" }, /--request-timeout is "forever", not a duration/],
        ["no in-flight limit", "kube-apiserver", { "max-requests-inflight": null }, /--max-requests-inflight is unset/],
        [
            "unlimited mutating requests",
            "kube-apiserver",
            { "max-mutating-requests-inflight": "0" },
            /--max-mutating-requests-inflight is "0", which disables the limit/,
        ],
        [
            "no terminated-pod GC threshold",
            "kube-controller-manager",
            { "terminated-pod-gc-threshold": null },
            /--terminated-pod-gc-threshold is unset.*\(1\.3\.1\)/,
        ],
    ],
    unknown: ["kube-apiserver", "request-timeout"],
    secret: ["kube-apiserver", "request-timeout", "0"],
});
