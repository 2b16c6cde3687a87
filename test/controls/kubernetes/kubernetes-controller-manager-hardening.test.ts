import control from "stride-guard/lib/controls/kubernetes/kubernetes-controller-manager-hardening";
import { describeFlagRuleControl } from "../../support/control-plane-fixtures";

describeFlagRuleControl(control, {
    cases: [
        [
            "shared credentials",
            "kube-controller-manager",
            { "use-service-account-credentials": "false" },
            /--use-service-account-credentials is "false".*\(1\.3\.3\)/,
        ],
        ["no signing key", "kube-controller-manager", { "service-account-private-key-file": null }, /--service-account-private-key-file is unset.*\(1\.3\.4\)/],
        ["no root CA", "kube-controller-manager", { "root-ca-file": null }, /--root-ca-file is unset.*\(1\.3\.5\)/],
        [
            "server certificate rotation off",
            "kube-controller-manager",
            { "feature-gates": "Foo=true,RotateKubeletServerCertificate=false" },
            /--feature-gates turns RotateKubeletServerCertificate off.*\(1\.3\.6\)/,
        ],
    ],
    unknown: ["kube-controller-manager", "root-ca-file"],
    secret: ["kube-controller-manager", "root-ca-file", ""],
});
