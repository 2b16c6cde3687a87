import control from "stride-guard/lib/controls/kubernetes/kubernetes-no-service-account-token-automount";
import {
    assertMalformedReported,
    assertOne,
    assertPasses,
    assertRemediates,
    assertSecretHidden,
    assertUnknown,
    deploy,
} from "../../support/kubernetes-fixtures";
import { UNKNOWN_BOOL, UNKNOWN_STRING } from "../../support/run-control";

const path = "spec.template.spec.automountServiceAccountToken";

describe("kubernetes-no-service-account-token-automount", () => {
    it("passes automountServiceAccountToken: false", () => {
        assertPasses(control, deploy());
    });

    it("flags unset and true", () => {
        assertOne(control, deploy({ pod: { automountServiceAccountToken: undefined } }), ['Deployment "shop/api"', path, "is unset", "CIS Kubernetes 5.1.6"]);
        assertOne(control, deploy({ kind: "Pod", pod: { automountServiceAccountToken: true } }), [
            'Pod "shop/api"',
            "spec.automountServiceAccountToken",
            "is true",
        ]);
    });

    it("allows the configured service accounts", () => {
        assertPasses(control, deploy({ pod: { automountServiceAccountToken: true, serviceAccountName: "operator" } }), {
            allowedServiceAccounts: ["operator"],
        });
        assertOne(control, deploy({ pod: { automountServiceAccountToken: true, serviceAccountName: "app" } }), [path], {
            allowedServiceAccounts: ["operator"],
        });
    });

    it("handles unknown, secret and malformed values", () => {
        assertUnknown(control, deploy({ pod: { automountServiceAccountToken: UNKNOWN_BOOL } }), path);
        assertUnknown(
            control,
            deploy({ pod: { automountServiceAccountToken: true, serviceAccountName: UNKNOWN_STRING } }),
            "spec.template.spec.serviceAccountName",
        );
        assertSecretHidden(control, deploy({ pod: { automountServiceAccountToken: true } }));
        assertMalformedReported(control);
        assertOne(control, deploy({ pod: { automountServiceAccountToken: 0 } }), [path, "malformed"]);
    });

    it("remediates to false in the pod spec", () => {
        assertRemediates(control, deploy({ pod: { automountServiceAccountToken: undefined } }), { [path]: false });
        assertRemediates(control, deploy({ kind: "CronJob", pod: { automountServiceAccountToken: true } }), {
            "spec.jobTemplate.spec.template.spec.automountServiceAccountToken": false,
        });
    });
});
