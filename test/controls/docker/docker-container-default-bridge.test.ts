import assert from "assert/strict";
import control from "stride-guard/lib/controls/docker/docker-container-default-bridge";
import { composeServiceModel } from "stride-guard/lib/adapters/docker/compose";
import { inspectContainerModel } from "stride-guard/lib/adapters/docker/inspect";
import { UNKNOWN } from "stride-guard/lib/core/values";
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

describe("docker-container-default-bridge", () => {
    it("passes containers on their own networks, other modes and Swarm tasks", () => {
        assertPass(control, [
            hardenedContainer(),
            hardenedService(),
            hardenedContainer({ networksAdvanced: undefined, networkMode: "none" }),
            hardenedContainer({ networksAdvanced: undefined, networkMode: "app-net" }),
        ]);
    });

    it("fails the provider's default (bridge) and an explicit bridge, naming CIS 5.30", () => {
        assertOne(control, hardenedContainer({ networksAdvanced: undefined }), [
            'Docker container "web": networkMode:',
            "default bridge (docker0)",
            "CIS Docker 5.30 (legacy 5.29)",
        ]);
        assertOne(control, hardenedContainer({ networkMode: "bridge" }), ["networkMode:"]);
    });

    it("reads Compose network_mode (a service without one joins its project's network) and inspect's networks", () => {
        assert.equal(composeServiceModel({ image: "x" }, "s").defaultBridge, false);
        assert.equal(composeServiceModel({ image: "x", network_mode: "bridge" }, "s").defaultBridge, true);
        assert.equal(composeServiceModel({ image: "x", network_mode: "host" }, "s").defaultBridge, false);
        assert.equal(inspectContainerModel({ HostConfig: { NetworkMode: "default" }, NetworkSettings: { Networks: { bridge: {} } } }, "c").defaultBridge, true);
        assert.equal(inspectContainerModel({ HostConfig: { NetworkMode: "app" }, NetworkSettings: { Networks: { app: {} } } }, "c").defaultBridge, false);
        assert.equal(inspectContainerModel({ HostConfig: { NetworkMode: "bridge" } }, "c").defaultBridge, true);
    });

    it("handles unknown, secret and malformed values", () => {
        assertUnknown(control, hardenedContainer({ networksAdvanced: undefined, networkMode: UNKNOWN_STRING }), "networkMode");
        assertUnknown(control, hardenedContainer({ networksAdvanced: UNKNOWN_STRING }), "networkMode");
        assert.equal(composeServiceModel({ image: "x", network_mode: UNKNOWN }, "s").defaultBridge, UNKNOWN);
        assertSecretHidden(control, hardenedContainer({ networksAdvanced: undefined, name: secret("secret-web-name") }), "secret-web-name");
        assertMalformed(control, hardenedContainer({ networksAdvanced: undefined, networkMode: 7 }), ["networkMode", "malformed"]);
        assertUnreadableReported(control);
    });
});
