import control from "stride-guard/lib/controls/kubernetes/kubernetes-etcd-mutual-tls";
import { describeFlagRuleControl } from "../../support/control-plane-fixtures";

describeFlagRuleControl(control, {
    cases: [
        ["no serving certificate", "etcd", { "cert-file": null }, /--cert-file is unset.*\(2\.1\)/],
        ["no serving key", "etcd", { "key-file": null }, /--key-file is unset.*\(2\.1\)/],
        ["no client certificate auth", "etcd", { "client-cert-auth": "false" }, /--client-cert-auth is "false".*\(2\.2\)/],
        ["auto TLS", "etcd", { "auto-tls": "true" }, /--auto-tls is "true".*\(2\.3\)/],
        ["no peer certificate", "etcd", { "peer-cert-file": null }, /--peer-cert-file is unset.*\(2\.4\)/],
        ["no peer key", "etcd", { "peer-key-file": null }, /--peer-key-file is unset.*\(2\.4\)/],
        ["no peer client certificate auth", "etcd", { "peer-client-cert-auth": null }, /--peer-client-cert-auth is unset \(the default is false\).*\(2\.5\)/],
        ["peer auto TLS", "etcd", { "peer-auto-tls": "true" }, /--peer-auto-tls is "true".*\(2\.6\)/],
        ["no trusted CA", "etcd", { "trusted-ca-file": null }, /--trusted-ca-file is unset.*\(2\.7\)/],
        [
            "a plain-text client URL",
            "etcd",
            { "listen-client-urls": "https://127.0.0.1:2379,http://10.0.0.5:2379" },
            /--listen-client-urls has 1 URL\(s\) without TLS \(http:\/\/10\.0\.0\.5:2379\)/,
        ],
        ["a plain-text advertised URL", "etcd", { "advertise-client-urls": "http://10.0.0.5:2379" }, /--advertise-client-urls has 1 URL/],
        ["default peer URLs", "etcd", { "listen-peer-urls": null }, /--listen-peer-urls is unset \(the default is http:\/\/localhost:2380\)/],
        ["no API server etcd client certificate", "kube-apiserver", { "etcd-certfile": null }, /--etcd-certfile is unset.*\(1\.2\.23\)/],
        ["no API server etcd client key", "kube-apiserver", { "etcd-keyfile": null }, /--etcd-keyfile is unset.*\(1\.2\.23\)/],
        ["no API server etcd CA", "kube-apiserver", { "etcd-cafile": null }, /--etcd-cafile is unset.*\(1\.2\.26\)/],
        ["a plain-text etcd server", "kube-apiserver", { "etcd-servers": "http://127.0.0.1:2379" }, /--etcd-servers has 1 URL/],
    ],
    unknown: ["etcd", "listen-client-urls"],
    secret: ["etcd", "listen-client-urls", "http://root:s3cr3tpass@0.0.0.0:2379"],
});
