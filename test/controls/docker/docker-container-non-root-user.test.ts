import control from "stride-guard/lib/controls/docker/docker-container-non-root-user";
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

describe("docker-container-non-root-user", () => {
    it("passes non-root users", () => {
        assertPass(control, [
            hardenedContainer(),
            hardenedService(),
            hardenedContainer({ user: "app" }),
            hardenedContainer({ user: "1000:0" }),
            hardenedContainer({ user: "100" }),
        ]);
    });

    it("fails root in every spelling, naming the field and CIS id", () => {
        for (const user of ["root", "0", "0:0", "root:root", "00", "0:1000", " root "]) {
            assertOne(control, hardenedContainer({ user }), ['Docker container "web": user:', "runs the container as root", "CIS Docker 4.1"]);
        }
    });

    it("fails an unset user", () => {
        assertOne(control, hardenedContainer({ user: undefined }), ["user: is not set", "image's user"]);
        assertOne(control, hardenedContainer({ user: "" }), ["is not set"]);
        assertOne(control, hardenedService({ user: undefined }), ['Docker service task "api": taskSpec.containerSpec.user']);
    });

    it("honours the configuration", () => {
        assertOne(control, hardenedContainer({ user: "1000:0" }), ["primary group is root"], { forbidRootGroup: true });
        assertOne(control, hardenedContainer({ user: "toor" }), ["as root"], { forbiddenUsers: ["root", "0", "toor"] });
    });

    it("treats an unknown value per the unknownValues setting", () => {
        assertUnknown(control, hardenedContainer({ user: UNKNOWN_STRING }), "user");
    });

    it("never shows a secret value", () => {
        assertSecretHidden(control, hardenedContainer({ user: secret("root") }), "root:");
        assertSecretHidden(control, hardenedContainer({ user: secret("0:0") }), "0:0");
        assertSecretHidden(control, hardenedContainer({ user: secret(" 0:0 ") }), "0:0");
    });

    it("reports malformed input without throwing", () => {
        assertMalformed(control, hardenedContainer({ user: 1000 }), ["user", "malformed", "expected a string"]);
        assertUnreadableReported(control);
    });
});
