import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-control-plane-dos-protection";
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

describe("kubernetes-control-plane-dos-protection", () => {
    it("passes a hardened control plane", () => {
        assert.deepEqual(run(control, controlPlaneNode()), { violations: [], unknownPaths: [] });
    });

    const cases: Case[] = [
        ["no EventRateLimit", "kube-apiserver", { "enable-admission-plugins": "NodeRestriction" }, /--enable-admission-plugins does not include EventRateLimit.*\(1\.2\.9\)/],
        ["no admission configuration", "kube-apiserver", { "admission-control-config-file": null }, /--admission-control-config-file is unset.*\(1\.2\.9\)/],
        ["a long request timeout", "kube-apiserver", { "request-timeout": "1h" }, /--request-timeout is 3600s, above 300s.*\(1\.2\.20\)/],
        ["a malformed request timeout", "kube-apiserver", { "request-timeout": "forever" }, /--request-timeout is "forever", not a duration/],
        ["no in-flight limit", "kube-apiserver", { "max-requests-inflight": null }, /--max-requests-inflight is unset/],
        ["unlimited mutating requests", "kube-apiserver", { "max-mutating-requests-inflight": "0" }, /--max-mutating-requests-inflight is "0", which disables the limit/],
        ["no terminated-pod GC threshold", "kube-controller-manager", { "terminated-pod-gc-threshold": null }, /--terminated-pod-gc-threshold is unset.*\(1\.3\.1\)/],
    ];
    for (const [name, kind, over, re] of cases) {
        it(`fails on ${name}, naming the component, its manifest and the flag`, () => {
            const m = onlyMessage(control, nodeWith(kind, over), re);
            assert.ok(m.startsWith(`${kind} (static Pod /etc/kubernetes/manifests/${kind}.yaml on 10.0.0.5): spec.containers[0].command`), m);
        });
    }

    it("reports an unknown when a flag may be among unknown arguments", () => {
        assertUnknownWhenArgumentsUnknown(control, "kube-apiserver", "request-timeout");
    });

    it("never shows a secret-wrapped argument", () => {
        assertSecretArgumentHidden(control, "kube-apiserver", "request-timeout", "0");
    });

    it("reports malformed input clearly without throwing", () => {
        assertMalformedReported(control, "kube-apiserver");
    });
});
