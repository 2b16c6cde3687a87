import assert from "assert/strict";
import control from "stride-guard/lib/controls/docker/docker-container-memory-limit";
import { remediate, secret, UNKNOWN_NUMBER } from "../../support/run-control";
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
    MIB,
} from "../../support/docker-fixtures";

describe("docker-container-memory-limit", () => {
    it("passes hardened containers and service tasks", () => {
        assertPass(control, [hardenedContainer(), hardenedService()]);
        assertPass(control, hardenedContainer({ memory: 8192 }), { maxMemoryMb: 0 });
    });

    it("fails a missing or zero limit, naming the field and CIS id", () => {
        assertOne(control, hardenedContainer({ memory: undefined }), [
            'Docker container "web": memory:',
            "no memory limit",
            "at most 4096 MB",
            "CIS Docker 5.11 (legacy 5.10)",
        ]);
        assertOne(control, hardenedContainer({ memory: 0 }), ["no memory limit"]);
        assertOne(control, hardenedService({}, { resources: {} }), ['Docker service task "api"', "taskSpec.resources.limits.memoryBytes"]);
    });

    it("fails a limit above the configured maximum", () => {
        assertOne(control, hardenedContainer({ memory: 8192 }), ["8192 MB exceeds the allowed maximum of 4096 MB"]);
        assertOne(control, hardenedContainer({ memory: 300 }), ["exceeds the allowed maximum of 256 MB"], { maxMemoryMb: 256 });
    });

    it("treats an unknown value per the unknownValues setting", () => {
        assertUnknown(control, hardenedContainer({ memory: UNKNOWN_NUMBER }), "memory");
    });

    it("never shows a secret value", () => {
        assertSecretHidden(control, hardenedContainer({ memory: secret(987654) }), "987654", { maxMemoryMb: 1 });
    });

    it("reports malformed input without throwing", () => {
        assertMalformed(control, hardenedContainer({ memory: "lots" }), ["memory", "malformed", "expected a number"]);
        assertUnreadableReported(control);
    });

    it("remediates a missing limit within the maximum", () => {
        assert.equal(assertRemediates(control, hardenedContainer({ memory: undefined }))["memory"], 512);
        assert.equal(assertRemediates(control, hardenedContainer({ memory: 0 }), { maxMemoryMb: 128 })["memory"], 128);
        const svc = assertRemediates(control, hardenedService({}, { resources: undefined }));
        assert.deepEqual((svc["taskSpec"] as { resources: unknown }).resources, { limits: { memoryBytes: 512 * MIB } });
    });

    it("maxMemoryMb 0 allows any size, and the message then names no maximum", () => {
        assertPass(control, hardenedContainer({ memory: 1_000_000 }), { maxMemoryMb: 0 });
        const m = assertOne(control, hardenedContainer({ memory: undefined }), ["no memory limit is set"], { maxMemoryMb: 0 });
        assert.doesNotMatch(m, /at most/);
        assert.equal(assertRemediates(control, hardenedContainer({ memory: undefined }), { maxMemoryMb: 0, remediationMemoryMb: 2048 })["memory"], 2048);
    });

    it("never lowers a limit that is too high (that needs a person), and leaves a compliant one alone", () => {
        assert.equal(remediate(control, hardenedContainer({ memory: 8192 })), undefined);
        assert.equal(remediate(control, hardenedContainer()), undefined);
        assert.equal(assertRemediates(control, hardenedContainer({ memory: -5 }))["memory"], 512);
    });
});
