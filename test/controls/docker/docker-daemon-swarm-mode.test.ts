import assert from "node:assert/strict";
import control from "stride-guard/lib/controls/docker/docker-daemon-swarm-mode";
import { checkDockerPlatform } from "stride-guard/lib/scan/daemon";
import { hardenedHost, remoteCommand } from "../../support/docker-platform-fixtures";
import { hardenedService } from "../../support/docker-fixtures";
import { messages, run, UNKNOWN_STRING } from "../../support/run-control";

const swarmInit = (host = "10.0.0.5", name = "swarm-init") => remoteCommand(name, "docker swarm init --advertise-addr 10.0.0.5 && docker node ls", { host });

describe("docker-daemon-swarm-mode", () => {
    it("passes hosts that stay out of a swarm, and stacks that run Swarm services", () => {
        assert.deepEqual(messages(control, hardenedHost()), []);
        assert.deepEqual(messages(control, [...hardenedHost(), swarmInit(), hardenedService()]), []);
        // A command on a machine the stack does not configure Docker on says nothing about a Docker host here.
        assert.deepEqual(messages(control, [...hardenedHost(), swarmInit("10.0.0.9")]), []);
    });

    it("fails a host the stack puts in swarm mode without Swarm services, naming the command (CIS 5.1)", () => {
        const m = messages(control, [...hardenedHost(), swarmInit()]);
        assert.equal(m.length, 1);
        assert.match(m[0], /^Docker host 10\.0\.0\.5: swarm-init create: is "active": the engine is a swarm node.*\[CIS Docker 5\.1\]$/);
        assert.deepEqual(messages(control, [...hardenedHost(), swarmInit()], { swarmHosts: ["10.0.0.5"] }), []);
        assert.deepEqual(
            messages(control, [...hardenedHost(), remoteCommand("join", "docker swarm join --token x 10.0.0.1:2377", { host: "10.0.0.5" })]).length,
            1,
        );
    });

    it("reads a live engine's /info Swarm state, and says nothing when the engine does not report it", () => {
        const resource = { urn: "urn:engine", type: "docker:engine/daemon", name: "unix:///var/run/docker.sock" };
        const scan = (info: Record<string, unknown>) => checkDockerPlatform({ daemon: { info, resource }, logConfigs: [] }, new Map(), [control], undefined);
        const active = scan({ Swarm: { LocalNodeState: "active" } });
        assert.equal(active.length, 1);
        assert.match(active[0].message, /\/info Swarm\.LocalNodeState: is "active"/);
        assert.deepEqual(scan({ Swarm: { LocalNodeState: "inactive" } }), []);
        assert.deepEqual(scan({}), []);
    });

    it("handles unknown and malformed commands without throwing", () => {
        assert.deepEqual(run(control, [...hardenedHost(), remoteCommand("x", UNKNOWN_STRING, { host: "10.0.0.5" })]).violations, []);
        assert.deepEqual(
            run(control, [...hardenedHost(), { type: "command:remote:Command", name: "bad", props: { create: 7, connection: "x" } }]).violations,
            [],
        );
    });
});
