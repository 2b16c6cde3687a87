import assert from "assert/strict";
import control from "stride-guard/lib/controls/docker/docker-container-selinux";
import { composeServiceModel } from "stride-guard/lib/adapters/docker/compose";
import { inspectContainerModel } from "stride-guard/lib/adapters/docker/inspect";
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

const opts = (...o: string[]) => hardenedContainer({ securityOpts: ["no-new-privileges:true", ...o] });

describe("docker-container-selinux", () => {
    it("passes no label options, a level, a confined type and an allowed type", () => {
        assertPass(control, [hardenedContainer(), hardenedService(), opts("label=level:s0:c100,c200", "label=type:container_t")]);
        assertPass(control, opts("label=type:my_app_t"));
        assertPass(control, opts("label=type:spc_t"), { allowedTypes: ["spc_t"] });
    });

    it("fails label=disable (either separator) and unconfined types, naming CIS 5.3", () => {
        assertOne(control, opts("label=disable"), ['Docker container "web": securityOpts:', "disables SELinux labelling", "CIS Docker 5.3 (legacy 5.2)"]);
        assertOne(control, opts("label:disable"), ["disables SELinux labelling"]);
        assertOne(control, opts("label=type:spc_t"), ['SELinux type "spc_t", which is not confined']);
        assert.equal(messages(control, opts("label=disable", "label=type:unconfined_t")).length, 2);
    });

    it("leaves a privileged container, to which the engine adds label=disable, to docker-container-not-privileged", () => {
        assertPass(control, hardenedContainer({ privileged: true, securityOpts: ["label=disable"] }));
    });

    it("reads Compose security_opt and docker inspect SecurityOpt", () => {
        assert.deepEqual(composeServiceModel({ image: "x", security_opt: ["label:disable"] }, "s").securityOpts, ["label:disable"]);
        assert.deepEqual(inspectContainerModel({ HostConfig: { SecurityOpt: ["label=disable"] } }, "c").securityOpts, ["label=disable"]);
    });

    it("handles unknown, secret and malformed values", () => {
        assertUnknown(control, hardenedContainer({ securityOpts: UNKNOWN_STRING }), "securityOpts");
        assertSecretHidden(control, hardenedContainer({ name: secret("secret-web-name") }), "secret-web-name");
        assertMalformed(control, hardenedContainer({ securityOpts: "label=disable" }), ["securityOpts", "malformed"]);
        assertUnreadableReported(control);
    });
});
