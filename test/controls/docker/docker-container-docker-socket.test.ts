import assert from "assert/strict";
import control from "stride-guard/lib/controls/docker/docker-container-docker-socket";
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

describe("docker-container-docker-socket", () => {
    it("passes containers without a runtime socket", () => {
        assertPass(control, [hardenedContainer(), hardenedService(), hardenedContainer({ volumes: [{ hostPath: "/var/run-data", containerPath: "/r" }] })]);
    });

    it("fails the socket, even read-only, and the directories that hold it", () => {
        assertOne(control, hardenedContainer({ volumes: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock", readOnly: true }] }), [
            'Docker container "web": volumes[0]:',
            '"/var/run/docker.sock"',
            "CIS Docker 5.32 (legacy 5.31)",
        ]);
        assertOne(control, hardenedContainer({ mounts: [{ type: "bind", source: "/run/", target: "/host-run" }] }), ["mounts[0]", '"/run/"']);
        assertOne(control, hardenedContainer({ volumes: [{ hostPath: "/var/run", containerPath: "/r" }] }), ['"/var/run"']);
        assertOne(control, hardenedContainer({ volumes: [{ hostPath: "/home/me/.docker/run/docker.sock", containerPath: "/s" }] }), ["docker.sock"]);
        assertOne(control, hardenedContainer({ mounts: [{ type: "npipe", source: "\\\\.\\pipe\\docker_engine", target: "\\\\.\\pipe\\docker_engine" }] }), [
            "mounts[0]",
            "container runtime's API",
        ]);
        assertOne(control, hardenedService({ mounts: [{ type: "bind", source: "/var/run/docker.sock", target: "/s" }] }), [
            'Docker service task "api": taskSpec.containerSpec.mounts[0]',
        ]);
    });

    it("treats unknown values per the unknownValues setting", () => {
        assertUnknown(control, hardenedContainer({ volumes: [{ hostPath: UNKNOWN_STRING, containerPath: "/s" }] }), "volumes[0]");
    });

    it("never shows a secret value", () => {
        assert.ok(
            assertSecretHidden(
                control,
                hardenedContainer({ volumes: [{ hostPath: secret("//var/run/docker.sock"), containerPath: "/s" }] }),
                "/var/run/docker.sock",
            ).length > 0,
        );
        const msgs = assertSecretHidden(
            control,
            hardenedContainer({ volumes: [{ hostPath: secret("/var/run/docker.sock"), containerPath: "/s" }] }),
            "/var/run/docker.sock",
        );
        if (msgs.length === 0) throw new Error("the secret-wrapped socket mount must still fail");
    });

    it("reports malformed input without throwing", () => {
        assertMalformed(control, hardenedContainer({ mounts: [{ type: "bind", source: ["/var/run/docker.sock"], target: "/s" }] }), [
            "mounts[0]",
            "malformed",
            "got an array",
        ]);
        assertUnreadableReported(control);
    });
});
