import control from "stride-guard/lib/controls/docker/docker-container-mount-propagation";
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

const bind = (propagation: unknown) => ({ type: "bind", source: "/srv/data", target: "/data", bindOptions: { propagation } });

describe("docker-container-mount-propagation", () => {
    it("passes private and slave propagation", () => {
        assertPass(control, [hardenedContainer(), hardenedService(), hardenedContainer({ mounts: [bind("rprivate"), bind("rslave")] })]);
    });

    it("fails shared and rshared, naming the mount entry and CIS id", () => {
        assertOne(control, hardenedContainer({ mounts: [bind("rprivate"), bind("shared")] }), [
            'Docker container "web": mounts[1]:',
            '"shared" propagation',
            "CIS Docker 5.20 (legacy 5.19)",
        ]);
        assertOne(control, hardenedService({ mounts: [bind("RSHARED")] }), ['Docker service task "api": taskSpec.containerSpec.mounts[0]:', '"RSHARED"']);
    });

    it("honours the configured modes", () => {
        assertOne(control, hardenedContainer({ mounts: [bind("rslave")] }), ["rslave"], { forbiddenModes: ["shared", "rshared", "rslave"] });
    });

    it("treats unknown values per the unknownValues setting", () => {
        assertUnknown(control, hardenedContainer({ mounts: [bind(UNKNOWN_STRING)] }), "mounts[0]");
        assertUnknown(control, hardenedContainer({ mounts: UNKNOWN_STRING }), "mounts");
        assertUnknown(control, hardenedContainer({ mounts: [UNKNOWN_STRING] }), "mounts[0]");
    });

    it("never shows a secret value", () => {
        assertSecretHidden(control, hardenedContainer({ mounts: [{ ...bind("shared"), source: secret("/very/secret/path") }] }), "/very/secret/path");
        assertSecretHidden(control, hardenedContainer({ mounts: [bind(secret("rShared"))] }), "rShared");
    });

    it("reports malformed input without throwing", () => {
        assertMalformed(control, hardenedContainer({ mounts: "/srv:/data" }), ["mounts", "malformed", "expected an array"]);
        assertMalformed(control, hardenedContainer({ mounts: [null] }), ["mounts[0]", "malformed", "expected an object, got null"]);
        assertMalformed(control, hardenedContainer({ mounts: [bind(7)] }), ["mounts[0]", "expected a string"]);
        assertUnreadableReported(control);
    });
});
