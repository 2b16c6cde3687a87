import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-controller-manager-hardening";
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

describe("kubernetes-controller-manager-hardening", () => {
    it("passes a hardened control plane", () => {
        assert.deepEqual(run(control, controlPlaneNode()), { violations: [], unknownPaths: [] });
    });

    const cases: Case[] = [
        ["shared credentials", "kube-controller-manager", { "use-service-account-credentials": "false" }, /--use-service-account-credentials is "false".*\(1\.3\.3\)/],
        ["no signing key", "kube-controller-manager", { "service-account-private-key-file": null }, /--service-account-private-key-file is unset.*\(1\.3\.4\)/],
        ["no root CA", "kube-controller-manager", { "root-ca-file": null }, /--root-ca-file is unset.*\(1\.3\.5\)/],
        ["server certificate rotation off", "kube-controller-manager", { "feature-gates": "Foo=true,RotateKubeletServerCertificate=false" }, /--feature-gates turns RotateKubeletServerCertificate off.*\(1\.3\.6\)/],
    ];
    for (const [name, kind, over, re] of cases) {
        it(`fails on ${name}, naming the component, its manifest and the flag`, () => {
            const m = onlyMessage(control, nodeWith(kind, over), re);
            assert.ok(m.startsWith(`${kind} (static Pod /etc/kubernetes/manifests/${kind}.yaml on 10.0.0.5): spec.containers[0].command`), m);
        });
    }

    it("reports an unknown when a flag may be among unknown arguments", () => {
        assertUnknownWhenArgumentsUnknown(control, "kube-controller-manager", "root-ca-file");
    });

    it("never shows a secret-wrapped argument", () => {
        assertSecretArgumentHidden(control, "kube-controller-manager", "root-ca-file", "");
    });

    it("reports malformed input clearly without throwing", () => {
        assertMalformedReported(control, "kube-controller-manager");
    });
});
