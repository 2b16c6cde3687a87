import control from "stride-guard/lib/controls/kubernetes/kubernetes-control-plane-dos-protection";
import assert from "assert/strict";
import { args, controlPlanePod, describeFlagRuleControl, HARDENED, onlyMessage } from "../../support/control-plane-fixtures";

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

describe("kubernetes-control-plane-dos-protection: a value flag written alone", () => {
    it('says the flag has no value instead of judging the "true" it reads as', () => {
        const cm = "kube-controller-manager";
        const argv = [...args(HARDENED[cm], { "terminated-pod-gc-threshold": null }), "--terminated-pod-gc-threshold", "--v=2"];
        const msg = onlyMessage(control, [controlPlanePod(cm, argv)], /--terminated-pod-gc-threshold has no value \(the flag is written alone\).*\(1\.3\.1\)/);
        assert.doesNotMatch(msg, /"true"|not a (positive )?number/);
    });
});
