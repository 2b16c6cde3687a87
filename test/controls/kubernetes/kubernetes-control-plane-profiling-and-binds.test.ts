import control from "stride-guard/lib/controls/kubernetes/kubernetes-control-plane-profiling-and-binds";
import { describeFlagRuleControl } from "../../support/control-plane-fixtures";

describeFlagRuleControl(control, {
    cases: [
        ["API server profiling", "kube-apiserver", { profiling: null }, /--profiling is unset \(the default is true\).*\(1\.2\.15\)/],
        ["controller manager profiling", "kube-controller-manager", { profiling: "true" }, /--profiling is "true".*\(1\.3\.2\)/],
        ["controller manager on every interface", "kube-controller-manager", { "bind-address": "0.0.0.0" }, /--bind-address is "0\.0\.0\.0".*\(1\.3\.7\)/],
        ["scheduler profiling", "kube-scheduler", { profiling: null }, /--profiling is unset.*\(1\.4\.1\)/],
        [
            "scheduler bind address unset",
            "kube-scheduler",
            { "bind-address": null },
            /--bind-address is unset \(the default is 0\.0\.0\.0, every interface\).*\(1\.4\.2\)/,
        ],
    ],
    unknown: ["kube-scheduler", "bind-address"],
    secret: ["kube-scheduler", "bind-address", "0.0.0.0"],
});
