import control from "stride-guard/lib/controls/kubernetes/kubernetes-apiserver-tls";
import { describeFlagRuleControl } from "../../support/control-plane-fixtures";

describeFlagRuleControl(control, {
    cases: [
        ["no serving certificate", "kube-apiserver", { "tls-cert-file": null }, /--tls-cert-file is unset.*\(1\.2\.24\)/],
        ["no serving key", "kube-apiserver", { "tls-private-key-file": null }, /--tls-private-key-file is unset.*\(1\.2\.24\)/],
        ["TLS 1.1", "kube-apiserver", { "tls-min-version": "VersionTLS11" }, /--tls-min-version is "VersionTLS11".*\(1\.2\.29\)/],
        ["an unknown TLS version", "kube-apiserver", { "tls-min-version": "TLS1.2" }, /--tls-min-version is not one of VersionTLS10/],
        [
            "a weak cipher",
            "kube-apiserver",
            { "tls-cipher-suites": "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_AES_128_CBC_SHA" },
            /--tls-cipher-suites includes weak suites \(TLS_RSA_WITH_AES_128_CBC_SHA\)/,
        ],
    ],
    unknown: ["kube-apiserver", "tls-min-version"],
    secret: ["kube-apiserver", "tls-min-version", "s3cr3t-version"],
});
