import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-apiserver-admission-recommended";
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

describe("kubernetes-apiserver-admission-recommended", () => {
    it("passes a hardened control plane", () => {
        assert.deepEqual(run(control, controlPlaneNode()), { violations: [], unknownPaths: [] });
    });

    const cases: Case[] = [
        ["no AlwaysPullImages", "kube-apiserver", { "enable-admission-plugins": "NodeRestriction,EventRateLimit,DenyServiceExternalIPs" }, /--enable-admission-plugins does not include AlwaysPullImages.*\(1\.2\.11\)/],
        ["no DenyServiceExternalIPs", "kube-apiserver", { "enable-admission-plugins": "NodeRestriction,EventRateLimit,AlwaysPullImages" }, /--enable-admission-plugins does not include DenyServiceExternalIPs.*\(1\.2\.3\)/],
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
        assertSecretArgumentHidden(control, "kube-apiserver", "enable-admission-plugins", "NodeRestriction,s3cr3t");
    });

    it("reports malformed input clearly without throwing", () => {
        assertMalformedReported(control, "kube-apiserver");
    });
});
