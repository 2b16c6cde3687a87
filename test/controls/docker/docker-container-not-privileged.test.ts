import control from "stride-guard/lib/controls/docker/docker-container-not-privileged";
import { secret, UNKNOWN_BOOL } from "../../support/run-control";
import {
    assertMalformed,
    assertOne,
    assertPass,
    assertSecretHidden,
    assertUnknown,
    assertUnreadableReported,
    hardenedContainer,
    hardenedService,
} from "../../support/docker-fixtures";

describe("docker-container-not-privileged", () => {
    it("passes unprivileged containers and service tasks (Swarm has no privileged mode)", () => {
        assertPass(control, [hardenedContainer(), hardenedContainer({ privileged: undefined }), hardenedService()]);
    });

    it("fails a privileged container, naming the field and CIS id", () => {
        assertOne(control, hardenedContainer({ privileged: true }), [
            'Docker container "web": privileged:',
            "every capability and host device",
            "CIS Docker 5.5 (legacy 5.4)",
        ]);
    });

    it("treats an unknown value per the unknownValues setting", () => {
        assertUnknown(control, hardenedContainer({ privileged: UNKNOWN_BOOL }), "privileged");
    });

    it("never shows a secret value", () => {
        assertSecretHidden(control, hardenedContainer({ privileged: secret("sekrit-flag") }), "sekrit-flag");
    });

    it("reports malformed input without throwing", () => {
        assertMalformed(control, hardenedContainer({ privileged: "true" }), ["privileged", "malformed", "expected a boolean"]);
        assertUnreadableReported(control);
    });
});
