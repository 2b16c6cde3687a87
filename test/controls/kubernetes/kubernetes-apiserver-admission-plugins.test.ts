import control from "stride-guard/lib/controls/kubernetes/kubernetes-apiserver-admission-plugins";
import { describeFlagRuleControl } from "../../support/control-plane-fixtures";

describeFlagRuleControl(control, {
    cases: [
        [
            "AlwaysAdmit",
            "kube-apiserver",
            { "enable-admission-plugins": "NodeRestriction,AlwaysAdmit" },
            /--enable-admission-plugins includes AlwaysAdmit.*\(1\.2\.10\)/,
        ],
        [
            "ServiceAccount disabled",
            "kube-apiserver",
            { "disable-admission-plugins": "ServiceAccount" },
            /--disable-admission-plugins includes ServiceAccount.*\(1\.2\.12\)/,
        ],
        [
            "NamespaceLifecycle disabled",
            "kube-apiserver",
            { "disable-admission-plugins": "NamespaceLifecycle" },
            /--disable-admission-plugins includes NamespaceLifecycle.*\(1\.2\.13\)/,
        ],
        [
            "no NodeRestriction",
            "kube-apiserver",
            { "enable-admission-plugins": "EventRateLimit" },
            /--enable-admission-plugins does not include NodeRestriction.*\(1\.2\.14\)/,
        ],
    ],
    unknown: ["kube-apiserver", "enable-admission-plugins"],
    secret: ["kube-apiserver", "enable-admission-plugins", "AlwaysAdmit,NodeRestriction-s3cr3t"],
});
