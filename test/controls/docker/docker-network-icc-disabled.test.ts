import assert from "node:assert/strict";
import control from "stride-guard/lib/controls/docker/docker-network-icc-disabled";
import { dockerNetwork, outcomeOf } from "../../support/docker-platform-fixtures";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";

describe("docker-network-icc-disabled", () => {
    it("passes bridges with ICC off, internal networks, and other drivers", () => {
        const ok = [
            dockerNetwork(),
            dockerNetwork({ options: undefined, internal: true }, "internal"),
            dockerNetwork({ driver: "overlay", options: {} }, "overlay"),
            dockerNetwork({ driver: undefined }, "default-driver"),
        ];
        assert.deepEqual(outcomeOf(run(control, ok)), { violations: [], unknownPaths: [] });
    });

    it("fails a bridge without the option, naming network and option", () => {
        const msgs = messages(control, dockerNetwork({ options: undefined }));
        assert.deepEqual(msgs, [
            'Docker network "backend": options["com.docker.network.bridge.enable_icc"]: is unset, so Docker\'s default (on) applies: every container on this bridge can reach every other. Set it to "false", or make the network internal. [CIS Docker 2.2 (legacy 2.1)]',
        ]);
    });

    it("fails ICC explicitly on, including on an unset driver (bridge by default)", () => {
        assert.match(
            messages(control, dockerNetwork({ driver: undefined, options: { "com.docker.network.bridge.enable_icc": "true" } }))[0],
            /is "true" applies/,
        );
        assert.match(messages(control, dockerNetwork({ internal: false, options: { "com.docker.network.bridge.enable_icc": true } }))[0], /enable_icc/);
    });

    it("treats unknown preview values as unknown", () => {
        assert.deepEqual(outcomeOf(run(control, dockerNetwork({ internal: UNKNOWN_STRING, options: undefined }))), {
            violations: [],
            unknownPaths: ["internal"],
        });
        assert.deepEqual(outcomeOf(run(control, dockerNetwork({ options: { "com.docker.network.bridge.enable_icc": UNKNOWN_STRING } }))).unknownPaths, [
            'options["com.docker.network.bridge.enable_icc"]',
        ]);
        assert.equal(run(control, dockerNetwork({ options: UNKNOWN_STRING }), { unknownValues: "fail" }).violations.length, 1);
    });

    it("reads secret option values without showing them", () => {
        assert.deepEqual(messages(control, dockerNetwork({ options: { "com.docker.network.bridge.enable_icc": secret("false") } })), []);
        const msgs = messages(control, dockerNetwork({ options: { "com.docker.network.bridge.enable_icc": secret("s3cr3t") } }));
        assert.equal(msgs.length, 1);
        assert.ok(!msgs[0].includes("s3cr3t"));
    });

    it("gives clear messages for malformed input without throwing", () => {
        assert.match(messages(control, dockerNetwork({ options: ["x"] }))[0], /enable_icc"\]: is malformed: expected an object, got an array/);
        assert.match(messages(control, dockerNetwork({ driver: 3 }))[0], /driver: is malformed: expected a string, got a number/);
        assert.doesNotThrow(() => run(control, { type: "docker:index/network:Network", name: "n", props: null }));
        assert.equal(messages(control, { type: "docker:index/network:Network", name: "n", props: null }).length, 1);
    });

    it("honours excludeNames", () => {
        assert.deepEqual(messages(control, dockerNetwork({ options: undefined }, "app-mesh"), { excludeNames: ["app-*"] }), []);
    });
});
