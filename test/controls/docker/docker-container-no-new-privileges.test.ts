import assert from "assert/strict";
import control from "stride-guard/lib/controls/docker/docker-container-no-new-privileges";
import { remediate, secret, UNKNOWN_STRING } from "../../support/run-control";
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

describe("docker-container-no-new-privileges", () => {
    it("passes every spelling of no-new-privileges", () => {
        for (const opt of ["no-new-privileges", "no-new-privileges:true", "no-new-privileges=true", "No-New-Privileges:TRUE"]) {
            assertPass(control, hardenedContainer({ securityOpts: ["apparmor=docker-default", opt] }));
        }
    });

    it("fails a container without it, naming the field and CIS id", () => {
        assertOne(control, hardenedContainer({ securityOpts: undefined }), [
            'Docker container "web": securityOpts:',
            '"no-new-privileges:true"',
            "CIS Docker 5.26 (legacy 5.25)",
        ]);
        assertOne(control, hardenedContainer({ securityOpts: ["no-new-privileges:false"] }), ["turns no-new-privileges off explicitly"]);
    });

    it("accepts the daemon default, unless the container opts out", () => {
        assertPass(control, hardenedContainer({ securityOpts: [] }), { daemonDefault: true });
        assertOne(control, hardenedContainer({ securityOpts: ["no-new-privileges=false"] }), ["off explicitly"], { daemonDefault: true });
    });

    it("explains what to do for service tasks, which cannot carry security options", () => {
        assertOne(control, hardenedService(), ['Docker service task "api":', "Swarm service task", "daemon.json", "daemonDefault"]);
        assertPass(control, hardenedService(), { daemonDefault: true });
    });

    it("treats unknown values per the unknownValues setting", () => {
        assertUnknown(control, hardenedContainer({ securityOpts: UNKNOWN_STRING }), "securityOpts");
        assertUnknown(control, hardenedContainer({ securityOpts: ["seccomp=default.json", UNKNOWN_STRING] }), "securityOpts");
    });

    it("never shows a secret value", () => {
        assertSecretHidden(control, hardenedContainer({ securityOpts: [secret("label=user:secret_u")] }), "secret_u");
    });

    it("reports malformed input without throwing", () => {
        assertMalformed(control, hardenedContainer({ securityOpts: "no-new-privileges" }), ["securityOpts", "malformed", "expected an array"]);
        assertUnreadableReported(control);
    });

    it("remediates by adding the option, keeping the others; leaves explicit opt-outs alone", () => {
        const fixed = assertRemediates(control, hardenedContainer({ securityOpts: ["apparmor=docker-default"] }));
        assert.deepEqual(fixed["securityOpts"], ["apparmor=docker-default", "no-new-privileges:true"]);
        assert.deepEqual(assertRemediates(control, hardenedContainer({ securityOpts: undefined }))["securityOpts"], ["no-new-privileges:true"]);
        assert.equal(remediate(control, hardenedContainer({ securityOpts: ["no-new-privileges:false"] })), undefined);
        assert.equal(remediate(control, hardenedService()), undefined);
    });
});
