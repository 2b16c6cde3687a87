import control from "stride-guard/lib/controls/docker/docker-container-sensitive-host-paths";
import { secret, UNKNOWN_BOOL, UNKNOWN_STRING } from "../../support/run-control";
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

describe("docker-container-sensitive-host-paths", () => {
    it("passes ordinary and read-only binds", () => {
        assertPass(control, [
            hardenedContainer(),
            hardenedService(),
            hardenedContainer({ volumes: [{ hostPath: "/etc/ssl/certs", containerPath: "/certs", readOnly: true }] }),
            hardenedContainer({
                volumes: [
                    { hostPath: "/srv/etc", containerPath: "/x" },
                    { hostPath: "/usrdata", containerPath: "/y" },
                ],
            }),
            hardenedContainer({ mounts: [{ type: "volume", source: "etc", target: "/etc/app" }] }),
        ]);
    });

    it("fails writable binds of sensitive paths and their subpaths", () => {
        assertOne(control, hardenedContainer({ volumes: [{ hostPath: "/etc", containerPath: "/host-etc" }] }), [
            'Docker container "web": volumes[0]:',
            '"/etc"',
            "writable",
            "CIS Docker 5.6 (legacy 5.5)",
        ]);
        assertOne(control, hardenedContainer({ volumes: [{ hostPath: "/", containerPath: "/host" }] }), ['"/" (under /)']);
        assertOne(control, hardenedContainer({ mounts: [{ type: "bind", source: "/proc/sys/", target: "/p", readOnly: false }] }), [
            "mounts[0]",
            '"/proc/sys/" (under /proc)',
        ]);
        assertOne(control, hardenedContainer({ volumes: [{ hostPath: "/srv/../usr/lib", containerPath: "/l" }] }), ['"/srv/../usr/lib" (under /usr)']);
        assertOne(control, hardenedService({ mounts: [{ type: "bind", source: "/boot", target: "/b" }] }), ["taskSpec.containerSpec.mounts[0]"]);
    });

    it("fails read-only binds when allowReadOnly is off", () => {
        assertOne(control, hardenedContainer({ volumes: [{ hostPath: "/etc/ssl/certs", containerPath: "/c", readOnly: true }] }), ["read-only"], {
            allowReadOnly: false,
        });
    });

    it("treats unknown values per the unknownValues setting", () => {
        assertUnknown(control, hardenedContainer({ volumes: [{ hostPath: UNKNOWN_STRING, containerPath: "/x" }] }), "volumes[0]");
        assertUnknown(control, hardenedContainer({ volumes: [{ hostPath: "/etc", containerPath: "/x", readOnly: UNKNOWN_BOOL }] }), "volumes[0]");
        assertUnknown(control, hardenedContainer({ volumes: UNKNOWN_STRING }), "mounts");
    });

    it("never shows a secret value", () => {
        assertSecretHidden(
            control,
            hardenedContainer({ volumes: [{ hostPath: secret("/etc/shadow-of-secret"), containerPath: "/x" }] }),
            "/etc/shadow-of-secret",
        );
        // Nor its normalized form.
        assertSecretHidden(control, hardenedContainer({ volumes: [{ hostPath: secret("/etc//private-dir/"), containerPath: "/x" }] }), "private-dir");
    });

    it("reports malformed input without throwing", () => {
        assertMalformed(control, hardenedContainer({ volumes: [{ hostPath: 42, containerPath: "/x" }] }), ["volumes[0]", "malformed", "expected a string"]);
        assertMalformed(control, hardenedContainer({ volumes: { hostPath: "/etc" } }), ["mounts", "expected an array"]);
        assertUnreadableReported(control);
    });
});
