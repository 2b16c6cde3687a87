import control from "stride-guard/lib/controls/kubernetes/kubernetes-apiserver-service-account-tokens";
import { describeFlagRuleControl } from "../../support/control-plane-fixtures";

describeFlagRuleControl(control, {
    cases: [
        ["lookup off", "kube-apiserver", { "service-account-lookup": "false" }, /--service-account-lookup is "false".*\(1\.2\.21\)/],
        ["no verification key", "kube-apiserver", { "service-account-key-file": null }, /--service-account-key-file is unset.*\(1\.2\.22\)/],
        [
            "extended token expiration",
            "kube-apiserver",
            { "service-account-extend-token-expiration": null },
            /--service-account-extend-token-expiration is unset \(the default is true\).*\(1\.2\.30\)/,
        ],
    ],
    unknown: ["kube-apiserver", "service-account-lookup"],
    secret: ["kube-apiserver", "service-account-lookup", "false"],
});
