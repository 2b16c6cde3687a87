import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-pod-security-defaults";
import { assertMalformedReported, assertOne, assertPasses, assertSecretHidden, assertUnknown, deploy } from "../../support/kubernetes-fixtures";
import { messages, UNKNOWN_STRING } from "../../support/run-control";

const podSc = "spec.template.spec.securityContext";
/** A pod whose securityContext sets `sc`, overridden by the (hardened) container wherever it sets the same key. */
const pod = (sc: object, containerSc: Record<string, unknown> = {}) => deploy({ pod: { securityContext: { runAsNonRoot: true, ...sc } }, sc: containerSc });

describe("kubernetes-pod-security-defaults", () => {
    it("passes hardened pod defaults", () => {
        assertPasses(control, deploy());
        assertPasses(control, pod({ seccompProfile: { type: "Localhost", localhostProfile: "p" }, runAsUser: 1000 }));
    });

    it("flags bad defaults that every container overrides, each at its path", () => {
        assertOne(control, pod({ seccompProfile: { type: "Unconfined" } }), ['Deployment "shop/api"', `${podSc}.seccompProfile.type`, '"Unconfined"']);
        assertOne(control, pod({ appArmorProfile: { type: "Unconfined" } }, { appArmorProfile: { type: "RuntimeDefault" } }), [
            `${podSc}.appArmorProfile.type`,
        ]);
        assertOne(control, pod({ seLinuxOptions: { type: "spc_t" } }, { seLinuxOptions: { level: "s0:c1,c2" } }), [`${podSc}.seLinuxOptions.type`, '"spc_t"']);
        assertOne(control, pod({ windowsOptions: { hostProcess: true } }, { windowsOptions: { hostProcess: false } }), [`${podSc}.windowsOptions.hostProcess`]);
        assertOne(control, pod({ runAsNonRoot: false }), [`${podSc}.runAsNonRoot`, "is false"]);
        assertOne(control, pod({ runAsUser: 0 }), [`${podSc}.runAsUser`, "root"]);
    });

    it("leaves a default that some container inherits to the container controls", () => {
        assertPasses(control, pod({ seccompProfile: { type: "Unconfined" } }, { seccompProfile: undefined }));
        assertPasses(control, deploy({ pod: { securityContext: { runAsUser: 0 } }, sc: { runAsUser: undefined } }));
    });

    it("applies the restricted rules only under restricted", () => {
        assertPasses(control, pod({ runAsUser: 0 }), { level: "baseline" });
        assertOne(control, pod({ seccompProfile: { type: "Unconfined" } }), ["Unconfined"], { level: "baseline" });
        assertPasses(control, pod({ seccompProfile: { type: "Unconfined" } }), { level: "privileged" });
        assert.equal(messages(control, pod({ runAsUser: 0, seccompProfile: { type: "Unconfined" } })).length, 2);
    });

    it("handles unknown, secret and malformed values", () => {
        assertUnknown(control, pod({ seccompProfile: { type: UNKNOWN_STRING } }), `${podSc}.seccompProfile.type`);
        assertSecretHidden(control, pod({ seccompProfile: { type: "Unconfined" } }));
        assertMalformedReported(control);
        assertOne(control, pod({ runAsUser: "0" }), [`${podSc}.runAsUser`, "malformed: expected a number, got a string"]);
    });
});
