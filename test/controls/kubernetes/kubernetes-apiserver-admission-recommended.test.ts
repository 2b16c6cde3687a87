import control from "stride-guard/lib/controls/kubernetes/kubernetes-apiserver-admission-recommended";
import { describeFlagRuleControl } from "../../support/control-plane-fixtures";

describeFlagRuleControl(control, {
    cases: [
        [
            "no AlwaysPullImages",
            "kube-apiserver",
            { "enable-admission-plugins": "NodeRestriction,EventRateLimit,DenyServiceExternalIPs" },
            /--enable-admission-plugins does not include AlwaysPullImages.*\(1\.2\.11\)/,
        ],
        [
            "no DenyServiceExternalIPs",
            "kube-apiserver",
            { "enable-admission-plugins": "NodeRestriction,EventRateLimit,AlwaysPullImages" },
            /--enable-admission-plugins does not include DenyServiceExternalIPs.*\(1\.2\.3\)/,
        ],
    ],
    unknown: ["kube-apiserver", "enable-admission-plugins"],
    secret: ["kube-apiserver", "enable-admission-plugins", "NodeRestriction,s3cr3t"],
});
