import assert from "assert/strict";
import control from "stride-guard/lib/controls/docker/docker-container-host-devices";
import { messages, secret, UNKNOWN_STRING } from "../../support/run-control";
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

describe("docker-container-host-devices", () => {
    it("passes no devices and Docker's cgroup", () => {
        assertPass(control, [hardenedContainer(), hardenedService(), hardenedContainer({ devices: [], cgroupParent: "" })]);
    });

    it("fails host devices and a custom cgroup parent, each on its own", () => {
        assertOne(control, hardenedContainer({ devices: [{ hostPath: "/dev/sda", permissions: "rwm" }] }), [
            'Docker container "web": devices:',
            'host device "/dev/sda"',
            "CIS Docker 5.18, 5.25 (legacy 5.17, 5.24)",
        ]);
        assertOne(control, hardenedContainer({ cgroupParent: "/custom" }), ["cgroupParent:", 'cgroup "/custom"']);
        assert.equal(messages(control, hardenedContainer({ devices: [{ hostPath: "/dev/mem" }], cgroupParent: "x" })).length, 2);
        assertOne(control, hardenedContainer({ deviceCgroupRules: ["c 1:3 mr"] }), [
            "deviceCgroupRules: grants access to host devices through a device cgroup rule",
        ]);
        assertPass(control, hardenedContainer({ deviceCgroupRules: ["c 10:200 rwm"] }), { allowedDeviceCgroupRules: ["c 10:200 rwm"] });
    });

    it("honours the allow-lists", () => {
        assertPass(control, hardenedContainer({ devices: [{ hostPath: "/dev/fuse" }], cgroupParent: "apps.slice" }), {
            allowedDevices: ["/dev/fuse"],
            allowedCgroupParents: ["apps.slice"],
        });
        assertOne(control, hardenedContainer({ devices: [{ hostPath: "/dev/fuse" }, { hostPath: "/dev/kvm" }] }), ['"/dev/kvm"'], {
            allowedDevices: ["/dev/fuse"],
        });
    });

    it("treats unknown values per the unknownValues setting", () => {
        assertUnknown(control, hardenedContainer({ devices: [{ hostPath: UNKNOWN_STRING }] }), "devices");
        assertUnknown(control, hardenedContainer({ cgroupParent: UNKNOWN_STRING }), "cgroupParent");
    });

    it("never shows a secret value", () => {
        assertSecretHidden(control, hardenedContainer({ devices: [{ hostPath: secret("/dev/secret-disk") }] }), "/dev/secret-disk");
        assertSecretHidden(control, hardenedContainer({ devices: [{ hostPath: secret("/dev//secret-disk/") }] }), "secret-disk");
    });

    it("reports malformed input without throwing", () => {
        assertMalformed(control, hardenedContainer({ devices: ["/dev/sda"] }), ["devices", "malformed", "expected an object"]);
        assertMalformed(control, hardenedContainer({ devices: [{ containerPath: "/dev/x" }] }), ["devices", "a device without one"]);
        assertUnreadableReported(control);
    });
});
