import control from "stride-guard/lib/controls/docker/docker-container-healthcheck";
import { secret, UNKNOWN_STRING } from "../../support/run-control";
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

describe("docker-container-healthcheck", () => {
    it("passes a declared health check", () => {
        assertPass(control, [
            hardenedContainer(),
            hardenedService(),
            hardenedContainer({ healthcheck: { tests: ["CMD-SHELL", "curl -f http://localhost/ || exit 1"] } }),
        ]);
    });

    it("fails a missing, empty or disabled health check, naming the field and CIS ids", () => {
        assertOne(control, hardenedContainer({ healthcheck: undefined }), [
            'Docker container "web": healthcheck.tests:',
            "no health check",
            "CIS Docker 4.6, 5.27 (legacy 4.6, 5.26)",
        ]);
        assertOne(control, hardenedContainer({ healthcheck: { tests: [] } }), ["no health check"]);
        assertOne(control, hardenedContainer({ healthcheck: { tests: ["NONE"] } }), ["disabled (NONE)"]);
        assertOne(control, hardenedService({ healthcheck: undefined }), ['Docker service task "api": taskSpec.containerSpec.healthcheck.tests']);
    });

    it("treats unknown values per the unknownValues setting", () => {
        assertUnknown(control, hardenedContainer({ healthcheck: { tests: ["CMD", UNKNOWN_STRING] } }), "healthcheck.tests");
        assertUnknown(control, hardenedContainer({ healthcheck: UNKNOWN_STRING }), "healthcheck.tests");
    });

    it("never shows a secret value", () => {
        assertSecretHidden(control, hardenedContainer({ healthcheck: { tests: secret(["CMD", "check --token=abc123xyz"]) } }), "abc123xyz");
        assertSecretHidden(control, hardenedContainer({ healthcheck: { tests: secret("NONE-secret") } }), "NONE-secret");
    });

    it("reports malformed input without throwing", () => {
        assertMalformed(control, hardenedContainer({ healthcheck: { tests: "curl localhost" } }), ["healthcheck.tests", "malformed", "expected an array"]);
        assertMalformed(control, hardenedContainer({ healthcheck: { tests: [1] } }), ["healthcheck.tests", "a list of strings"]);
        assertUnreadableReported(control);
    });
});
