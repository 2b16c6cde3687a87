import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-control-plane-profiling-and-binds";
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

describe("kubernetes-control-plane-profiling-and-binds", () => {
    it("passes a hardened control plane", () => {
        assert.deepEqual(run(control, controlPlaneNode()), { violations: [], unknownPaths: [] });
    });

    const cases: Case[] = [
        ["API server profiling", "kube-apiserver", { profiling: null }, /--profiling is unset \(the default is true\).*\(1\.2\.15\)/],
        ["controller manager profiling", "kube-controller-manager", { profiling: "true" }, /--profiling is "true".*\(1\.3\.2\)/],
        ["controller manager on every interface", "kube-controller-manager", { "bind-address": "0.0.0.0" }, /--bind-address is "0\.0\.0\.0".*\(1\.3\.7\)/],
        ["scheduler profiling", "kube-scheduler", { profiling: null }, /--profiling is unset.*\(1\.4\.1\)/],
        ["scheduler bind address unset", "kube-scheduler", { "bind-address": null }, /--bind-address is unset \(the default is 0\.0\.0\.0, every interface\).*\(1\.4\.2\)/],
    ];
    for (const [name, kind, over, re] of cases) {
        it(`fails on ${name}, naming the component, its manifest and the flag`, () => {
            const m = onlyMessage(control, nodeWith(kind, over), re);
            assert.ok(m.startsWith(`${kind} (static Pod /etc/kubernetes/manifests/${kind}.yaml on 10.0.0.5): spec.containers[0].command`), m);
        });
    }

    it("reports an unknown when a flag may be among unknown arguments", () => {
        assertUnknownWhenArgumentsUnknown(control, "kube-scheduler", "bind-address");
    });

    it("never shows a secret-wrapped argument", () => {
        assertSecretArgumentHidden(control, "kube-scheduler", "bind-address", "0.0.0.0");
    });

    it("reports malformed input clearly without throwing", () => {
        assertMalformedReported(control, "kube-scheduler");
    });
});
