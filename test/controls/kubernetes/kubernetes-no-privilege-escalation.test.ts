import control from "stride-guard/lib/controls/kubernetes/kubernetes-no-privilege-escalation";
import {
    assertMalformedReported,
    assertOne,
    assertPasses,
    assertRemediates,
    assertSecretHidden,
    assertUnknown,
    container,
    deploy,
    outcome,
} from "../../support/kubernetes-fixtures";
import { run, UNKNOWN_BOOL, UNKNOWN_STRING } from "../../support/run-control";
import assert from "assert/strict";

const path = "spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation";

describe("kubernetes-no-privilege-escalation", () => {
    it("passes allowPrivilegeEscalation: false", () => {
        assertPasses(control, deploy());
    });

    it("flags true and unset (the Kubernetes default allows escalation)", () => {
        assertOne(control, deploy({ sc: { allowPrivilegeEscalation: true } }), [
            'Deployment "shop/api" container "app"',
            path,
            "is true",
            "CIS Kubernetes 5.2.6",
            "PSS restricted",
        ]);
        assertOne(control, deploy({ sc: { allowPrivilegeEscalation: undefined } }), [path, "is unset"]);
        assertOne(control, deploy({ pod: { initContainers: [container({ container: { name: "init" }, sc: { allowPrivilegeEscalation: undefined } })] } }), [
            'initContainer "init"',
        ]);
    });

    it("is a restricted-only rule: off under baseline, and for Windows pods", () => {
        const bad = deploy({ sc: { allowPrivilegeEscalation: true } });
        assertPasses(control, bad, { level: "baseline" });
        assertPasses(control, bad, { namespaceLevels: { shop: "baseline" } });
        assertOne(control, bad, ["is true"], { level: "baseline", namespaceLevels: { shop: "restricted" } });
        assertPasses(control, deploy({ sc: { allowPrivilegeEscalation: undefined }, pod: { os: { name: "windows" } } }));
    });

    it("with a namespace unknown at preview, reports what only a stricter namespace level forbids as unknown", () => {
        const bad = deploy({ sc: { allowPrivilegeEscalation: true }, namespace: UNKNOWN_STRING });
        assertOne(control, bad, ["is true"]);
        const levels = { namespaceLevels: { legacy: "baseline" } };
        assert.deepEqual(outcome(control, bad, levels), { violations: [], unknownPaths: [path] });
        const failed = run(control, bad, { ...levels, unknownValues: "fail" }).violations;
        assert.equal(failed.length, 1);
        assert.match(failed[0].message, /is true: .*namespace is unknown at preview; its PSS level decides/);
        assertPasses(control, bad, { level: "baseline", namespaceLevels: { legacy: "privileged" } });
    });

    it("handles unknown, secret and malformed values", () => {
        assertUnknown(control, deploy({ sc: { allowPrivilegeEscalation: UNKNOWN_BOOL } }), path);
        assertSecretHidden(control, deploy({ sc: { allowPrivilegeEscalation: true } }));
        assertMalformedReported(control);
        assertOne(control, deploy({ sc: { allowPrivilegeEscalation: [] } }), [path, "malformed: expected a boolean, got an array"]);
    });

    it("remediates into the container's securityContext, creating it if absent", () => {
        assertRemediates(control, deploy({ sc: { allowPrivilegeEscalation: true } }), { [path]: false });
        assertRemediates(control, deploy({ container: { securityContext: undefined } }), { [path]: false });
    });
});
