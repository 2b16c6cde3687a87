import assert from "assert/strict";
import control from "stride-guard/lib/controls/docker/docker-container-security-profiles";
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

describe("docker-container-security-profiles", () => {
    it("passes default and custom profiles", () => {
        assertPass(control, [
            hardenedContainer(),
            hardenedService(),
            hardenedContainer({ securityOpts: ["seccomp=/etc/docker/seccomp/app.json", "apparmor=docker-default", "no-new-privileges"] }),
        ]);
    });

    it("fails unconfined seccomp and AppArmor, each with its CIS id", () => {
        assertOne(control, hardenedContainer({ securityOpts: ["seccomp=unconfined"] }), [
            'Docker container "web": securityOpts:',
            "switches the seccomp profile off (unconfined, CIS 5.22)",
            "CIS Docker 5.22, 5.2 (legacy 5.21, 5.1)",
        ]);
        assertOne(control, hardenedContainer({ securityOpts: ["apparmor:Unconfined"] }), ["AppArmor profile off (unconfined, CIS 5.2)"]);
        assert.equal(messages(control, hardenedContainer({ securityOpts: ["seccomp:unconfined", "apparmor=unconfined"] })).length, 2);
    });

    it("fails systempaths=unconfined, which unmasks /proc and /sys paths", () => {
        assertOne(control, hardenedContainer({ securityOpts: ["systempaths=unconfined"] }), ["switches the masked system paths protection off (unconfined): "]);
        assertPass(control, hardenedContainer({ securityOpts: ["systempaths=unconfined"] }), { allowUnconfined: ["systempaths"] });
    });

    it("honours the allow-list", () => {
        assertPass(control, hardenedContainer({ securityOpts: ["apparmor=unconfined"] }), { allowUnconfined: ["apparmor"] });
    });

    it("treats unknown values per the unknownValues setting", () => {
        assertUnknown(control, hardenedContainer({ securityOpts: UNKNOWN_STRING }), "securityOpts");
    });

    it("never shows a secret value", () => {
        assertSecretHidden(
            control,
            hardenedContainer({ securityOpts: [secret("seccomp=/secret/profile.json"), "seccomp=unconfined"] }),
            "/secret/profile.json",
        );
    });

    it("reports malformed input without throwing", () => {
        assertMalformed(control, hardenedContainer({ securityOpts: [{ seccomp: "unconfined" }] }), ["securityOpts", "malformed", "a list of strings"]);
        assertUnreadableReported(control);
    });
});
