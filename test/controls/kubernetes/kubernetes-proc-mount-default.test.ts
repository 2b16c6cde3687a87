import control from "stride-guard/lib/controls/kubernetes/kubernetes-proc-mount-default";
import {
    assertMalformedReported,
    assertOne,
    assertPasses,
    assertRemediates,
    assertSecretHidden,
    assertUnknown,
    deploy,
} from "../../support/kubernetes-fixtures";
import { UNKNOWN_STRING } from "../../support/run-control";

const path = "spec.template.spec.containers[0].securityContext.procMount";

describe("kubernetes-proc-mount-default", () => {
    it("passes unset and Default", () => {
        assertPasses(control, deploy());
        assertPasses(control, deploy({ sc: { procMount: "Default" } }));
    });

    it("flags Unmasked", () => {
        assertOne(control, deploy({ sc: { procMount: "Unmasked" } }), ['container "app"', path, '"Unmasked"', "PSS baseline"]);
    });

    it("handles levels, unknown, secret and malformed values", () => {
        assertPasses(control, deploy({ sc: { procMount: "Unmasked" } }), { level: "privileged" });
        assertUnknown(control, deploy({ sc: { procMount: UNKNOWN_STRING } }), path);
        assertSecretHidden(control, deploy({ sc: { procMount: "Unmasked" } }));
        assertMalformedReported(control);
        assertOne(control, deploy({ sc: { procMount: true } }), [path, "malformed: expected a string, got a boolean"]);
    });

    it("remediates to Default", () => {
        assertRemediates(control, deploy({ sc: { procMount: "Unmasked" } }), { [path]: "Default" });
    });
});
