import control from "stride-guard/lib/controls/kubernetes/kubernetes-no-host-namespaces";
import {
    assertMalformedReported,
    assertOne,
    assertPasses,
    assertSecretHidden,
    assertUnknown,
    deploy,
    POD_BEARING_KINDS,
} from "../../support/kubernetes-fixtures";
import { messages, UNKNOWN_BOOL } from "../../support/run-control";
import assert from "assert/strict";

describe("kubernetes-no-host-namespaces", () => {
    it("passes pods that keep their own namespaces (unset or false)", () => {
        for (const kind of POD_BEARING_KINDS) assertPasses(control, deploy({ kind }));
        assertPasses(control, deploy({ pod: { hostNetwork: false, hostPID: false, hostIPC: false } }));
    });

    it("flags each host namespace on its own, with its CIS id", () => {
        assertOne(control, deploy({ pod: { hostNetwork: true } }), [
            'Deployment "shop/api": spec.template.spec.hostNetwork',
            "network namespace",
            "CIS Kubernetes 5.2.3, 5.2.4, 5.2.5",
        ]);
        assertOne(control, deploy({ pod: { hostPID: true } }), ["spec.template.spec.hostPID", "process ID namespace"]);
        assertOne(control, deploy({ kind: "CronJob", pod: { hostIPC: true } }), [
            'CronJob "shop/api"',
            "spec.jobTemplate.spec.template.spec.hostIPC",
            "IPC namespace",
        ]);
        assert.equal(messages(control, deploy({ pod: { hostNetwork: true, hostPID: true, hostIPC: true } })).length, 3);
    });

    it("handles unknown, secret and malformed values", () => {
        assertUnknown(control, deploy({ pod: { hostPID: UNKNOWN_BOOL } }), "spec.template.spec.hostPID");
        assertSecretHidden(control, deploy({ pod: { hostNetwork: true } }));
        assertMalformedReported(control);
        assertOne(control, deploy({ pod: { hostNetwork: "yes" } }), ["spec.template.spec.hostNetwork", "malformed: expected a boolean, got a string"]);
    });

    it("does not apply where the namespace's PSS level is privileged", () => {
        assertPasses(control, deploy({ namespace: "monitoring", pod: { hostPID: true } }), { namespaceLevels: { monitoring: "privileged" } });
        assertOne(control, deploy({ namespace: "shop", pod: { hostPID: true } }), ["hostPID"], {
            level: "baseline",
            namespaceLevels: { monitoring: "privileged" },
        });
    });
});
