import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-apiserver-admission-plugins";
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

describe("kubernetes-apiserver-admission-plugins", () => {
    it("passes a hardened control plane", () => {
        assert.deepEqual(run(control, controlPlaneNode()), { violations: [], unknownPaths: [] });
    });

    const cases: Case[] = [
        ["AlwaysAdmit", "kube-apiserver", { "enable-admission-plugins": "NodeRestriction,AlwaysAdmit" }, /--enable-admission-plugins includes AlwaysAdmit.*\(1\.2\.10\)/],
        ["ServiceAccount disabled", "kube-apiserver", { "disable-admission-plugins": "ServiceAccount" }, /--disable-admission-plugins includes ServiceAccount.*\(1\.2\.12\)/],
        ["NamespaceLifecycle disabled", "kube-apiserver", { "disable-admission-plugins": "NamespaceLifecycle" }, /--disable-admission-plugins includes NamespaceLifecycle.*\(1\.2\.13\)/],
        ["no NodeRestriction", "kube-apiserver", { "enable-admission-plugins": "EventRateLimit" }, /--enable-admission-plugins does not include NodeRestriction.*\(1\.2\.14\)/],
    ];
    for (const [name, kind, over, re] of cases) {
        it(`fails on ${name}, naming the component, its manifest and the flag`, () => {
            const m = onlyMessage(control, nodeWith(kind, over), re);
            assert.ok(m.startsWith(`${kind} (static Pod /etc/kubernetes/manifests/${kind}.yaml on 10.0.0.5): spec.containers[0].command`), m);
        });
    }

    it("reports an unknown when a flag may be among unknown arguments", () => {
        assertUnknownWhenArgumentsUnknown(control, "kube-apiserver", "enable-admission-plugins");
    });

    it("never shows a secret-wrapped argument", () => {
        assertSecretArgumentHidden(control, "kube-apiserver", "enable-admission-plugins", "AlwaysAdmit,NodeRestriction-s3cr3t");
    });

    it("reports malformed input clearly without throwing", () => {
        assertMalformedReported(control, "kube-apiserver");
    });
});
