import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-seccomp-profile";
import {
    assertMalformedReported,
    assertOne,
    assertPasses,
    assertRemediates,
    assertSecretHidden,
    assertUnknown,
    deploy,
} from "../../support/kubernetes-fixtures";
import { remediate, UNKNOWN_STRING } from "../../support/run-control";

const sc = "spec.template.spec.containers[0].securityContext";
const podSc = "spec.template.spec.securityContext";
const unset = { sc: { seccompProfile: undefined }, pod: { securityContext: { runAsNonRoot: true } } };

describe("kubernetes-seccomp-profile", () => {
    it("passes RuntimeDefault or Localhost, on the container or inherited from the pod", () => {
        assertPasses(control, deploy());
        assertPasses(control, deploy({ sc: { seccompProfile: undefined } }));
        assertPasses(control, deploy({ sc: { seccompProfile: { type: "Localhost", localhostProfile: "profiles/app.json" } } }));
    });

    it("restricted: flags an unset profile and Unconfined, at the path the value came from", () => {
        assertOne(control, deploy(unset), [
            'container "app"',
            `${sc}.seccompProfile.type`,
            "set neither on the container nor on the pod",
            "CIS Kubernetes 5.6.2",
        ]);
        assertOne(control, deploy({ sc: { seccompProfile: undefined }, pod: { securityContext: { seccompProfile: { type: "Unconfined" } } } }), [
            `${podSc}.seccompProfile.type`,
            '"Unconfined"',
        ]);
        assertPasses(control, deploy({ pod: { securityContext: { seccompProfile: { type: "Unconfined" } } } }));
    });

    it("baseline: unset passes, Unconfined fails; Windows pods and privileged namespaces are exempt from the requirement", () => {
        assertPasses(control, deploy(unset), { level: "baseline" });
        assertOne(control, deploy({ sc: { seccompProfile: { type: "Unconfined" } } }), ['"Unconfined"'], { level: "baseline" });
        assertPasses(control, deploy({ ...unset, pod: { os: { name: "windows" } } }));
        assertPasses(control, deploy({ sc: { seccompProfile: { type: "Unconfined" } } }), { level: "privileged" });
    });

    it("handles unknown, secret and malformed values", () => {
        assertUnknown(control, deploy({ sc: { seccompProfile: { type: UNKNOWN_STRING } } }), `${sc}.seccompProfile.type`);
        assertSecretHidden(control, deploy(unset));
        assertMalformedReported(control);
        assertOne(control, deploy({ sc: { seccompProfile: "runtime/default" } }), [`${sc}.seccompProfile.type`, "malformed: expected an object"]);
    });

    it("remediates an unset profile to RuntimeDefault on the container; never overrides an explicit Unconfined", () => {
        assertRemediates(control, deploy(unset), { [`${sc}.seccompProfile`]: { type: "RuntimeDefault" } });
        assert.equal(remediate(control, deploy({ sc: { seccompProfile: { type: "Unconfined" } } })), undefined);
    });
});
