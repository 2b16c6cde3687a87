import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-apiserver-tls";
import { run } from "../../support/run-control";
import {
    assertMalformedReported,
    assertSecretArgumentHidden,
    assertUnknownWhenArgumentsUnknown,
    controlPlaneNode,
    FlagOverrides,
    nodeWith,
    onlyMessage,
} from "../../support/control-plane-fixtures";

type Case = [string, "kube-apiserver" | "etcd" | "kube-controller-manager" | "kube-scheduler", FlagOverrides, RegExp];

describe("kubernetes-apiserver-tls", () => {
    it("passes a hardened control plane", () => {
        assert.deepEqual(run(control, controlPlaneNode()), { violations: [], unknownPaths: [] });
    });

    const cases: Case[] = [
        ["no serving certificate", "kube-apiserver", { "tls-cert-file": null }, /--tls-cert-file is unset.*\(1\.2\.24\)/],
        ["no serving key", "kube-apiserver", { "tls-private-key-file": null }, /--tls-private-key-file is unset.*\(1\.2\.24\)/],
        ["TLS 1.1", "kube-apiserver", { "tls-min-version": "VersionTLS11" }, /--tls-min-version is "VersionTLS11".*\(1\.2\.29\)/],
        ["an unknown TLS version", "kube-apiserver", { "tls-min-version": "TLS1.2" }, /--tls-min-version is not one of VersionTLS10/],
        ["a weak cipher", "kube-apiserver", { "tls-cipher-suites": "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_AES_128_CBC_SHA" }, /--tls-cipher-suites includes weak suites \(TLS_RSA_WITH_AES_128_CBC_SHA\)/],
    ];
    for (const [name, kind, over, re] of cases) {
        it(`fails on ${name}, naming the component, its manifest and the flag`, () => {
            const m = onlyMessage(control, nodeWith(kind, over), re);
            assert.ok(m.startsWith(`${kind} (static Pod /etc/kubernetes/manifests/${kind}.yaml on 10.0.0.5): spec.containers[0].command`), m);
        });
    }

    it("reports an unknown when a flag may be among unknown arguments", () => {
        assertUnknownWhenArgumentsUnknown(control, "kube-apiserver", "tls-min-version");
    });

    it("never shows a secret-wrapped argument", () => {
        assertSecretArgumentHidden(control, "kube-apiserver", "tls-min-version", "s3cr3t-version");
    });

    it("reports malformed input clearly without throwing", () => {
        assertMalformedReported(control, "kube-apiserver");
    });
});
