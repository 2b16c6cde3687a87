import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-no-service-account-token-automount";
import defaultAccountControl from "stride-guard/lib/controls/kubernetes/kubernetes-serviceaccount-default-automount";
import {
    assertMalformedReported,
    assertOne,
    assertPasses,
    assertRemediates,
    assertSecretHidden,
    assertUnknown,
    deploy,
} from "../../support/kubernetes-fixtures";
import { messages, remediate, UNKNOWN_BOOL, UNKNOWN_STRING } from "../../support/run-control";

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

    it("leaves pods on the default account to kubernetes-serviceaccount-default-automount, so the token is one finding", () => {
        for (const serviceAccountName of [undefined, "", "default"]) {
            const d = deploy({ pod: { automountServiceAccountToken: true, serviceAccountName } });
            assertPasses(control, d);
            assert.equal(messages(defaultAccountControl, d).length, 1, String(serviceAccountName));
        }
        // Still malformed, whoever owns the account.
        assertOne(control, deploy({ pod: { automountServiceAccountToken: "yes", serviceAccountName: "default" } }), [path, "malformed"]);
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

    it("remediates only what it reports", () => {
        assert.equal(
            remediate(control, deploy({ pod: { automountServiceAccountToken: true, serviceAccountName: "operator" } }), {
                allowedServiceAccounts: ["operator"],
            }),
            undefined,
        );
        assert.equal(remediate(control, deploy({ pod: { automountServiceAccountToken: true, serviceAccountName: "default" } })), undefined);
    });

    it("remediates to false in the pod spec", () => {
        assertRemediates(control, deploy({ pod: { automountServiceAccountToken: undefined } }), { [path]: false });
        assertRemediates(control, deploy({ kind: "CronJob", pod: { automountServiceAccountToken: true } }), {
            "spec.jobTemplate.spec.template.spec.automountServiceAccountToken": false,
        });
    });
});
