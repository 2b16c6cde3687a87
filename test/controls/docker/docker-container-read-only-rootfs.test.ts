import assert from "assert/strict";
import control from "stride-guard/lib/controls/docker/docker-container-read-only-rootfs";
import { remediate, secret, UNKNOWN_BOOL, UNKNOWN_STRING } from "../../support/run-control";
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

describe("docker-container-read-only-rootfs", () => {
    it("passes hardened containers and service tasks", () => {
        assertPass(control, [hardenedContainer(), hardenedService()]);
    });

    it("fails a writable root filesystem, naming the container, field and CIS id", () => {
        assertOne(control, hardenedContainer({ readOnly: false }), ['Docker container "web"', "readOnly", "is false", "CIS Docker 5.13 (legacy 5.12)"]);
        assertOne(control, hardenedContainer({ readOnly: undefined }), ["readOnly", "is not set"]);
        assertOne(control, hardenedService({ readOnly: undefined }), ['Docker service task "api"', "taskSpec.containerSpec.readOnly"]);
    });

    it("treats an unknown value per the unknownValues setting", () => {
        assertUnknown(control, hardenedContainer({ readOnly: UNKNOWN_BOOL }), "readOnly");
        assertUnknown(control, hardenedService({}, { containerSpec: UNKNOWN_STRING }), "taskSpec.containerSpec.readOnly");
    });

    it("never shows a secret value", () => {
        const msgs = assertSecretHidden(control, hardenedContainer({ readOnly: secret("no-way") }), "no-way");
        assert.ok(msgs.some((m) => m.includes("malformed")));
    });

    it("reports malformed input without throwing", () => {
        assertMalformed(control, hardenedContainer({ readOnly: "yes" }), ["readOnly", "malformed", "expected a boolean, got a string"]);
        assertUnreadableReported(control);
    });

    it("remediates with readOnly and a tmpfs for /tmp, keeping existing tmpfs entries", () => {
        const fixed = assertRemediates(control, hardenedContainer({ readOnly: false, tmpfs: { "/run": "rw" } }));
        assert.equal(fixed["readOnly"], true);
        assert.deepEqual(Object.keys(fixed["tmpfs"] as object).sort(), ["/run", "/tmp"]);
        const svc = assertRemediates(control, hardenedService({ readOnly: false, mounts: [] }));
        const spec = (svc["taskSpec"] as { containerSpec: { readOnly: boolean; mounts: unknown[] } }).containerSpec;
        assert.equal(spec.readOnly, true);
        assert.deepEqual(spec.mounts, [{ type: "tmpfs", target: "/tmp", tmpfsOptions: { sizeBytes: 64 * MIB } }]);
    });

    it("does not add a tmpfs where /tmp is already mounted, and does not remediate blind", () => {
        const fixed = remediate(control, hardenedContainer({ readOnly: false, tmpfs: undefined, mounts: [{ type: "volume", source: "t", target: "/tmp" }] }));
        assert.ok(fixed);
        assert.equal(fixed["tmpfs"], undefined);
        assert.equal(remediate(control, hardenedContainer({ readOnly: false, tmpfs: UNKNOWN_STRING })), undefined);
    });
});
