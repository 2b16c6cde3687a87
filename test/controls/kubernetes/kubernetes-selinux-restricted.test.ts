import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-selinux-restricted";
import { assertMalformedReported, assertOne, assertPasses, assertSecretHidden, assertUnknown, deploy } from "../../support/kubernetes-fixtures";
import { messages, UNKNOWN_STRING } from "../../support/run-control";

const sc = "spec.template.spec.containers[0].securityContext.seLinuxOptions";

describe("kubernetes-selinux-restricted", () => {
    it("passes unset options, a confined type and a level", () => {
        assertPasses(control, deploy());
        assertPasses(control, deploy({ sc: { seLinuxOptions: { type: "container_init_t", level: "s0:c123,c456" } } }));
    });

    it("flags a custom type, user and role, each on its own", () => {
        assertOne(control, deploy({ sc: { seLinuxOptions: { type: "spc_t" } } }), ['container "app"', `${sc}.type`, '"spc_t"']);
        assertOne(control, deploy({ sc: { seLinuxOptions: { user: "system_u" } } }), [`${sc}.user`]);
        assertOne(control, deploy({ sc: { seLinuxOptions: { role: "sysadm_r" } } }), [`${sc}.role`]);
        assertOne(control, deploy({ pod: { securityContext: { seLinuxOptions: { type: "unconfined_t" } } } }), [
            "spec.template.spec.securityContext.seLinuxOptions.type",
        ]);
        assert.equal(messages(control, deploy({ sc: { seLinuxOptions: { type: "spc_t", user: "u", role: "r" } } })).length, 3);
    });

    it("handles levels, unknown, secret and malformed values", () => {
        assertPasses(control, deploy({ sc: { seLinuxOptions: { type: "spc_t" } } }), { namespaceLevels: { shop: "privileged" } });
        assertUnknown(control, deploy({ sc: { seLinuxOptions: { type: UNKNOWN_STRING } } }), `${sc}.type`);
        assertSecretHidden(control, deploy({ sc: { seLinuxOptions: { type: "spc_t" } } }));
        assertMalformedReported(control);
        assertOne(control, deploy({ sc: { seLinuxOptions: { role: ["r"] } } }), [`${sc}.role`, "malformed"]);
    });
});
