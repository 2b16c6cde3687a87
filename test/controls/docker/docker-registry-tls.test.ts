import assert from "node:assert/strict";
import control from "stride-guard/lib/controls/docker/docker-registry-tls";
import { dockerImage, registryImage, remoteImage, outcomeOf } from "../../support/docker-platform-fixtures";
import { messages, run, secret, UNKNOWN_BOOL, UNKNOWN_STRING } from "../../support/run-control";

describe("docker-registry-tls", () => {
    it("passes verified https or bare-host registries", () => {
        const ok = [
            registryImage({ authConfig: { address: "https://registry.example.com", username: "ci", password: secret("pw-123456") } }),
            dockerImage(undefined, { registry: { server: "registry.example.com", username: "ci", password: secret("pw-123456") } }),
            remoteImage({ build: { context: ".", authConfigs: [{ hostName: "registry.example.com", serverAddress: "https://registry.example.com" }] } }),
            remoteImage(),
        ];
        assert.deepEqual(outcomeOf(run(control, ok)), { violations: [], unknownPaths: [] });
    });

    it("fails insecureSkipVerify, naming resource and field", () => {
        assert.deepEqual(messages(control, registryImage({ insecureSkipVerify: true })), [
            'Docker registry image "pushed": insecureSkipVerify: turns off TLS certificate verification of the registry: anyone on the path can pose as it. Remove it and trust the registry\'s CA instead. [CIS Docker 2.5 (legacy 2.4)]',
        ]);
    });

    it("fails plain http:// registry addresses on each resource kind", () => {
        assert.match(
            messages(control, registryImage({ authConfig: { address: "http://r.local:5000" } }))[0],
            /"pushed": authConfig\.address: is a plain http:\/\/ registry/,
        );
        assert.match(
            messages(control, dockerImage(undefined, { registry: { server: "http://r.local" } }))[0],
            /^Docker image build "app": registry\.server: is a plain http:\/\//,
        );
        assert.match(
            messages(control, remoteImage({ build: { authConfigs: [{ hostName: "r", serverAddress: "http://r.local" }] } }))[0],
            /build\.authConfigs\[0\]\.serverAddress: is a plain http/,
        );
    });

    it("treats unknown preview values as unknown", () => {
        assert.deepEqual(outcomeOf(run(control, registryImage({ insecureSkipVerify: UNKNOWN_BOOL }))), {
            violations: [],
            unknownPaths: ["insecureSkipVerify"],
        });
        assert.deepEqual(outcomeOf(run(control, dockerImage(undefined, { registry: { server: UNKNOWN_STRING } }))).unknownPaths, ["registry.server"]);
        assert.equal(run(control, registryImage({ insecureSkipVerify: UNKNOWN_BOOL }), { unknownValues: "fail" }).violations.length, 1);
    });

    it("never shows registry passwords", () => {
        const msgs = messages(control, registryImage({ insecureSkipVerify: true, authConfig: { address: "http://r.local", password: secret("hunter2-pw") } }));
        assert.equal(msgs.length, 2);
        assert.ok(!msgs.join("\n").includes("hunter2"));
    });

    it("gives clear messages for malformed input without throwing", () => {
        assert.match(
            messages(control, registryImage({ insecureSkipVerify: "maybe" }))[0],
            /insecureSkipVerify: is malformed: expected a boolean, got a string/,
        );
        assert.match(messages(control, remoteImage({ build: { authConfigs: "x" } }))[0], /build\.authConfigs: is malformed: expected an array/);
        assert.doesNotThrow(() =>
            run(control, [
                { type: "docker:index/registryImage:RegistryImage", name: "r", props: null },
                { type: "docker:index/image:Image", name: "i", props: { registry: 3 } },
            ]),
        );
    });

    it("honours excludeNames", () => {
        assert.deepEqual(messages(control, registryImage({ insecureSkipVerify: true }, "lab"), { excludeNames: ["lab"] }), []);
    });
});
