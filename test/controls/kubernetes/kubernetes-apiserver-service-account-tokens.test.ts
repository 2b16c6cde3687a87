import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-apiserver-service-account-tokens";
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

describe("kubernetes-apiserver-service-account-tokens", () => {
    it("passes a hardened control plane", () => {
        assert.deepEqual(run(control, controlPlaneNode()), { violations: [], unknownPaths: [] });
    });

    const cases: Case[] = [
        ["lookup off", "kube-apiserver", { "service-account-lookup": "false" }, /--service-account-lookup is "false".*\(1\.2\.21\)/],
        ["no verification key", "kube-apiserver", { "service-account-key-file": null }, /--service-account-key-file is unset.*\(1\.2\.22\)/],
        ["extended token expiration", "kube-apiserver", { "service-account-extend-token-expiration": null }, /--service-account-extend-token-expiration is unset \(the default is true\).*\(1\.2\.30\)/],
    ];
    for (const [name, kind, over, re] of cases) {
        it(`fails on ${name}, naming the component, its manifest and the flag`, () => {
            const m = onlyMessage(control, nodeWith(kind, over), re);
            assert.ok(m.startsWith(`${kind} (static Pod /etc/kubernetes/manifests/${kind}.yaml on 10.0.0.5): spec.containers[0].command`), m);
        });
    }

    it("reports an unknown when a flag may be among unknown arguments", () => {
        assertUnknownWhenArgumentsUnknown(control, "kube-apiserver", "service-account-lookup");
    });

    it("never shows a secret-wrapped argument", () => {
        assertSecretArgumentHidden(control, "kube-apiserver", "service-account-lookup", "false");
    });

    it("reports malformed input clearly without throwing", () => {
        assertMalformedReported(control, "kube-apiserver");
    });
});
