import assert from "assert/strict";
import control from "stride-guard/lib/controls/docker/docker-container-ulimits";
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

describe("docker-container-ulimits", () => {
    it("passes the daemon's defaults and bounded overrides (lowering a limit only helps)", () => {
        assertPass(control, [hardenedContainer(), hardenedService(), hardenedContainer({ ulimits: [{ name: "nofile", soft: 65536, hard: 65536 }] })]);
    });

    it("fails a ulimit lifted to unlimited, soft or hard, each on its own", () => {
        assertOne(control, hardenedContainer({ ulimits: [{ name: "memlock", soft: -1, hard: -1 }] }), [
            'Docker container "web": ulimits: lifts "memlock" to unlimited',
            "CIS Docker 5.19 (legacy 5.18)",
        ]);
        assert.equal(
            messages(
                control,
                hardenedContainer({
                    ulimits: [
                        { name: "nproc", soft: 100, hard: -1 },
                        { name: "nofile", soft: -1, hard: 10 },
                    ],
                }),
            ).length,
            2,
        );
        assertPass(control, hardenedContainer({ ulimits: [{ name: "memlock", soft: -1, hard: -1 }] }), { allowUnlimited: ["memlock"] });
    });

    it("reads Compose ulimits (number or soft/hard) and docker inspect Ulimits", () => {
        const compose = composeServiceModel({ image: "x", ulimits: { memlock: -1, nofile: { soft: 1, hard: 2 } } }, "s").ulimits;
        assert.deepEqual(compose, [
            { name: "memlock", soft: -1, hard: -1 },
            { name: "nofile", soft: 1, hard: 2 },
        ]);
        const inspect = inspectContainerModel({ HostConfig: { Ulimits: [{ Name: "core", Soft: -1, Hard: -1 }] } }, "c").ulimits;
        assert.deepEqual(inspect, [{ name: "core", soft: -1, hard: -1 }]);
    });

    it("handles unknown, secret and malformed values", () => {
        assertUnknown(control, hardenedContainer({ ulimits: [{ name: "nofile", soft: UNKNOWN_STRING, hard: 1 }] }), "ulimits");
        assertSecretHidden(
            control,
            hardenedContainer({ name: secret("secret-web-name"), ulimits: [{ name: "nofile", soft: -1, hard: -1 }] }),
            "secret-web-name",
        );
        assertMalformed(control, hardenedContainer({ ulimits: "nofile=-1" }), ["ulimits", "malformed"]);
        assertUnreadableReported(control);
    });
});
