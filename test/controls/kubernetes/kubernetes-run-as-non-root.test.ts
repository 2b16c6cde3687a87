import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-run-as-non-root";
import {
    assertMalformedReported,
    assertOne,
    assertPasses,
    assertRemediates,
    assertSecretHidden,
    assertUnknown,
    deploy,
} from "../../support/kubernetes-fixtures";
import { messages, UNKNOWN_BOOL, UNKNOWN_NUMBER } from "../../support/run-control";

const sc = "spec.template.spec.containers[0].securityContext";
const podSc = "spec.template.spec.securityContext";

describe("kubernetes-run-as-non-root", () => {
    it("passes runAsNonRoot set on the container or inherited from the pod", () => {
        assertPasses(control, deploy());
        assertPasses(control, deploy({ sc: { runAsNonRoot: undefined, runAsUser: undefined } }));
    });

    it("flags runAsNonRoot unset everywhere, or false, at the path it came from", () => {
        assertOne(control, deploy({ sc: { runAsNonRoot: undefined }, pod: { securityContext: {} } }), [
            'container "app"',
            `${sc}.runAsNonRoot`,
            "neither on the container nor on the pod",
            "CIS Kubernetes 5.2.7",
        ]);
        assertOne(control, deploy({ sc: { runAsNonRoot: undefined }, pod: { securityContext: { runAsNonRoot: false } } }), [
            `${podSc}.runAsNonRoot`,
            "is false",
        ]);
        assertOne(control, deploy({ sc: { runAsNonRoot: false } }), [`${sc}.runAsNonRoot`, "is false"]);
    });

    it("flags runAsUser 0 from the container or the pod", () => {
        assertOne(control, deploy({ sc: { runAsUser: 0 } }), [`${sc}.runAsUser`, "is 0"]);
        assertOne(control, deploy({ sc: { runAsUser: undefined }, pod: { securityContext: { runAsNonRoot: true, runAsUser: 0 } } }), [`${podSc}.runAsUser`]);
        assertPasses(control, deploy({ sc: { runAsUser: 1000 }, pod: { securityContext: { runAsNonRoot: true, runAsUser: 0 } } }));
        assert.equal(messages(control, deploy({ sc: { runAsUser: 0, runAsNonRoot: false } })).length, 2);
    });

    it("is a restricted-only rule", () => {
        assertPasses(control, deploy({ sc: { runAsUser: 0 } }), { level: "baseline" });
    });

    it("handles unknown, secret and malformed values", () => {
        assertUnknown(control, deploy({ sc: { runAsNonRoot: UNKNOWN_BOOL } }), `${sc}.runAsNonRoot`);
        assertUnknown(control, deploy({ sc: { runAsUser: UNKNOWN_NUMBER } }), `${sc}.runAsUser`);
        assertSecretHidden(control, deploy({ sc: { runAsUser: 0 } }));
        assertMalformedReported(control);
        assertOne(control, deploy({ sc: { runAsUser: "root" } }), [`${sc}.runAsUser`, "malformed: expected a number, got a string"]);
    });

    it("remediates runAsNonRoot: true on the container", () => {
        assertRemediates(control, deploy({ sc: { runAsNonRoot: false } }), { [`${sc}.runAsNonRoot`]: true });
        assertRemediates(control, deploy({ sc: { runAsNonRoot: undefined }, pod: { securityContext: {} } }), { [`${sc}.runAsNonRoot`]: true });
    });
});
