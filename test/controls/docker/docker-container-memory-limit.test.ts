import assert from "assert/strict";
import control from "stride-guard/lib/controls/docker/docker-container-memory-limit";
import { secret, UNKNOWN_NUMBER } from "../../support/run-control";
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
});
