import assert from "assert/strict";
import control from "stride-guard/lib/controls/docker/docker-container-pids-limit";
import { remediate, secret, UNKNOWN_NUMBER, UNKNOWN_STRING } from "../../support/run-control";
import {
    assertMalformed,
    assertOne,
    assertPass,
    assertSecretHidden,
    assertUnknown,
    assertUnreadableReported,
    hardenedContainer,
    hardenedService,
    SERVICE_HOST_SETTINGS,
} from "../../support/docker-fixtures";

describe("docker-container-pids-limit", () => {
    it("passes an nproc ulimit where the provider has no PIDs limit, and host-enforced tasks", () => {
        assertPass(control, hardenedContainer());
        assertPass(control, hardenedService(), SERVICE_HOST_SETTINGS);
        assertPass(control, hardenedContainer({ ulimits: undefined }), { hostEnforced: true });
    });

    it("fails a container without an nproc ulimit, saying what can be done instead", () => {
        assertOne(control, hardenedContainer({ ulimits: undefined }), [
            'Docker container "web": ulimits:',
            "no PIDs limit can be set through this provider",
            '"nproc"',
            "CIS Docker 5.29 (legacy 5.28)",
        ]);
        assertOne(control, hardenedContainer({ ulimits: [{ name: "nofile", soft: 1024, hard: 1024 }] }), ["nproc"]);
        assertOne(control, hardenedContainer({ ulimits: [{ name: "nproc", soft: 0, hard: 512 }] }), ["nproc"]);
        assertOne(control, hardenedContainer({ ulimits: undefined }), ["cannot be expressed for this container", "hostEnforced"], { acceptNprocUlimit: false });
    });

    it("fails a service task unless the hosts bound tasks", () => {
        assertOne(control, hardenedService(), ['Docker service task "api":', "cannot be expressed for this Swarm service task", "hostEnforced"]);
    });

    it("fails an nproc ulimit above the maximum", () => {
        assertOne(control, hardenedContainer(), ["nproc ulimit of 512 exceeds the allowed maximum of 100"], { maxPids: 100 });
    });

    it("treats unknown values per the unknownValues setting", () => {
        assertUnknown(control, hardenedContainer({ ulimits: [{ name: "nproc", soft: UNKNOWN_NUMBER, hard: 512 }] }), "ulimits");
        assertUnknown(control, hardenedContainer({ ulimits: [{ name: UNKNOWN_STRING, soft: 1, hard: 1 }] }), "ulimits");
        assertUnknown(control, hardenedContainer({ ulimits: UNKNOWN_STRING }), "ulimits");
    });

    it("never shows a secret value", () => {
        assertSecretHidden(control, hardenedContainer({ ulimits: [{ name: "nproc", soft: secret(4242), hard: 4242 }] }), "4242", { maxPids: 100 });
    });

    it("reports malformed input without throwing", () => {
        assertMalformed(control, hardenedContainer({ ulimits: [{ name: "nproc", soft: "many", hard: 1 }] }), ["ulimits", "malformed", "expected a number"]);
        assertMalformed(control, hardenedContainer({ ulimits: "nproc=512" }), ["ulimits", "expected an array"]);
        assertUnreadableReported(control);
    });

    it("offers no remediation where no PIDs limit can be written", () => {
        assert.equal(remediate(control, hardenedContainer({ ulimits: undefined })), undefined);
        assert.equal(remediate(control, hardenedService()), undefined);
    });

    describe("where the source can express a PIDs limit (Compose, docker inspect)", () => {
        const compose = (pids: unknown) => ({
            type: "compose:service",
            name: "web",
            props: { image: "registry.example.com/web@sha256:" + "a".repeat(64), pids_limit: pids },
        });
        const engine = (pids: unknown) => ({
            type: "docker:engine/container",
            name: "web",
            props: { Name: "/web", Config: { Image: "x" }, HostConfig: { PidsLimit: pids } },
        });

        it("passes a positive limit within the maximum", () => {
            assertPass(control, [compose(256), engine(512)]);
            assertPass(control, compose(100), { maxPids: 100 });
        });

        it("fails a missing, zero or negative limit, and one above the maximum", () => {
            assertOne(control, compose(undefined), ["pids_limit", "no PIDs limit is set"]);
            assertOne(control, compose(0), ["no PIDs limit is set"]);
            assertOne(control, engine(-1), ["HostConfig.PidsLimit", "no PIDs limit is set"]);
            assertOne(control, engine(null), ["no PIDs limit is set"]);
            assertOne(control, compose(101), ["the PIDs limit of 101 exceeds the allowed maximum of 100"], { maxPids: 100 });
            // Where a limit can be set, neither hostEnforced nor an nproc ulimit stands in for it.
            assertOne(control, compose(undefined), ["no PIDs limit is set"], { hostEnforced: true });
        });

        it("treats an unknown limit per the unknownValues setting", () => {
            assertUnknown(control, compose(UNKNOWN_NUMBER), "pids_limit");
        });

        it("offers no remediation for sources that are scanned, not deployed", () => {
            assert.equal(remediate(control, compose(undefined)), undefined);
            assert.equal(remediate(control, engine(null)), undefined);
        });
    });
});
