import assert from "assert/strict";
import control from "stride-guard/lib/controls/docker/docker-container-restart-on-failure";
import { remediate, secret, UNKNOWN_NUMBER, UNKNOWN_STRING } from "../../support/run-control";
import {
    assertMalformed,
    assertOne,
    assertPass,
    assertRemediates,
    assertSecretHidden,
    assertUnknown,
    assertUnreadableReported,
    hardenedContainer,
    hardenedService,
} from "../../support/docker-fixtures";

describe("docker-container-restart-on-failure", () => {
    it("passes on-failure with a bounded retry count", () => {
        assertPass(control, [hardenedContainer(), hardenedContainer({ maxRetryCount: 1 }), hardenedService()]);
    });

    it("fails always, unless-stopped and no", () => {
        for (const p of ["always", "unless-stopped", "no"]) {
            assertOne(control, hardenedContainer({ restart: p }), [`restart: the restart policy is "${p}"`, "CIS Docker 5.15 (legacy 5.14)"]);
        }
    });

    it("fails an unset policy with the default that applies", () => {
        assertOne(control, hardenedContainer({ restart: undefined }), ['"no" applies (the Docker default)']);
        assertOne(control, hardenedService({}, { restartPolicy: undefined }), [
            'Docker service task "api"',
            "taskSpec.restartPolicy.condition",
            '"always" applies (the Swarm default)',
        ]);
    });

    it("maps Swarm conditions", () => {
        assertOne(control, hardenedService({}, { restartPolicy: { condition: "any" } }), ['the restart policy is "always"']);
        assertOne(control, hardenedService({}, { restartPolicy: { condition: "none" } }), ['the restart policy is "no"']);
    });

    it("fails a missing, zero or excessive retry count", () => {
        assertOne(control, hardenedContainer({ maxRetryCount: undefined }), ["maxRetryCount", "restarts forever"]);
        assertOne(control, hardenedService({}, { restartPolicy: { condition: "on-failure", maxAttempts: 0 } }), [
            "taskSpec.restartPolicy.maxAttempts",
            "restarts forever",
        ]);
        assertOne(control, hardenedContainer({ maxRetryCount: 10 }), ["10 retries exceed the maximum of 5"]);
        assertPass(control, hardenedContainer({ maxRetryCount: 10 }), { maxRetries: 10 });
    });

    it("treats unknown values per the unknownValues setting", () => {
        assertUnknown(control, hardenedContainer({ restart: UNKNOWN_STRING }), "restart");
        assertUnknown(control, hardenedContainer({ maxRetryCount: UNKNOWN_NUMBER }), "maxRetryCount");
    });

    it("never shows a secret value", () => {
        assertSecretHidden(control, hardenedContainer({ restart: secret("hush-policy") }), "hush-policy");
    });

    it("reports malformed input without throwing", () => {
        assertMalformed(control, hardenedContainer({ restart: 5 }), ["restart", "malformed", "expected a string"]);
        assertMalformed(control, hardenedService({}, { restartPolicy: { condition: "sometimes" } }), [
            "taskSpec.restartPolicy.condition",
            "malformed",
            '"none", "on-failure" or "any"',
            '"sometimes"',
        ]);
        assertUnreadableReported(control);
    });

    it("remediates containers and service tasks", () => {
        const fixed = assertRemediates(control, hardenedContainer({ restart: "always", maxRetryCount: undefined }));
        assert.equal(fixed["restart"], "on-failure");
        assert.equal(fixed["maxRetryCount"], 5);
        const svc = assertRemediates(control, hardenedService({}, { restartPolicy: undefined }));
        assert.deepEqual((svc["taskSpec"] as { restartPolicy: unknown }).restartPolicy, { condition: "on-failure", maxAttempts: 5 });
        assert.equal(remediate(control, hardenedContainer()), undefined);
    });

    it("keeps a valid retry count when remediating, and bounds an excessive one", () => {
        assert.equal(assertRemediates(control, hardenedContainer({ restart: "always", maxRetryCount: 3 }))["maxRetryCount"], 5);
        assert.equal(assertRemediates(control, hardenedContainer({ restart: "on-failure", maxRetryCount: 0 }))["maxRetryCount"], 5);
        assert.equal(assertRemediates(control, hardenedContainer({ restart: "on-failure", maxRetryCount: 9 }), { maxRetries: 4 })["maxRetryCount"], 4);
        const kept = remediate(control, hardenedContainer({ restart: "on-failure", maxRetryCount: 2 }), { maxRetries: 4 });
        assert.ok(kept === undefined || kept["maxRetryCount"] === 2);
    });
});
