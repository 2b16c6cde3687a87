import assert from "node:assert/strict";
import control from "stride-guard/lib/controls/docker/docker-logging-configured";
import { dockerContainer } from "../../support/fixtures";
import { daemonJsonWriter, dockerProvider, dockerService, hardenedDaemonJson, remoteCommand, outcomeOf } from "../../support/docker-platform-fixtures";
import { messages, run, secret, UNKNOWN_STRING, urnOf } from "../../support/run-control";

const ROTATED = { logDriver: "json-file", logOpts: { "max-size": "10m", "max-file": "3" } };
const NO_LOG_DAEMON = hardenedDaemonJson({ "log-driver": undefined, "log-opts": undefined });

describe("docker-logging-configured", () => {
    it("passes containers and services with their own rotating or remote driver", () => {
        const ok = [
            dockerContainer(ROTATED),
            dockerContainer({ logDriver: "local" }, "l"),
            dockerContainer({ logDriver: "syslog", logOpts: { "syslog-address": "tcp://logs:514" } }, "s"),
            dockerService(),
        ];
        assert.deepEqual(outcomeOf(run(control, ok)), { violations: [], unknownPaths: [] });
    });

    it("passes containers without a driver when every declared Docker host sets a compliant default", () => {
        assert.deepEqual(
            messages(control, [
                dockerContainer(),
                daemonJsonWriter(),
                daemonJsonWriter(hardenedDaemonJson({ "log-driver": "journald", "log-opts": undefined }), "10.0.0.6", "b"),
            ]),
            [],
        );
    });

    it("fails a container without a driver when no daemon.json is declared, naming container and field", () => {
        const msgs = messages(control, [dockerContainer()]);
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /^Docker container "web": logDriver: is unset and the stack declares no Docker host daemon\.json/);
        assert.match(msgs[0], /\[CIS Docker 2\.3, 2\.13 \(legacy 2\.2, 2\.12\)\]$/);
    });

    it("fails json-file without rotation, and none, on the resource itself", () => {
        assert.match(
            messages(control, dockerContainer({ logDriver: "json-file", logOpts: { "max-size": "10m" } }))[0],
            /logDriver: is "json-file" without max-file/,
        );
        assert.match(messages(control, dockerContainer({ logDriver: "json-file" }))[0], /without max-size and max-file/);
        assert.match(messages(control, dockerContainer({ logDriver: "none" }))[0], /is "none": the container leaves no logs/);
        assert.match(
            messages(control, dockerService({ taskSpec: { containerSpec: { image: "x" }, logDriver: { name: "none" } } }))[0],
            /^Docker service "api": taskSpec\.logDriver\.name: is "none"/,
        );
        assert.match(messages(control, dockerContainer({ logDriver: "custom-plugin" }))[0], /is "custom-plugin", which is not a rotating or remote driver/);
        assert.deepEqual(messages(control, dockerContainer({ logDriver: "custom-plugin" }), { remoteDrivers: ["custom-plugin"] }), []);
    });

    it("merges daemon log options into a container that uses the daemon's driver", () => {
        assert.deepEqual(messages(control, [dockerContainer({ logDriver: "json-file" }), daemonJsonWriter()]), []);
        assert.equal(
            messages(control, [dockerContainer({ logDriver: "json-file" }), daemonJsonWriter(hardenedDaemonJson({ "log-driver": "journald" }))]).length,
            1,
        );
    });

    it("fails when a declared host's default does not rotate, naming the host", () => {
        const msgs = messages(control, [dockerContainer(), daemonJsonWriter(), daemonJsonWriter(NO_LOG_DAEMON, "10.0.0.6", "b")]);
        assert.equal(msgs.length, 1);
        assert.match(
            msgs[0],
            /is unset, so the daemon default applies, and it is not compliant on 10\.0\.0\.6 \(default is "json-file" without max-size and max-file/,
        );
    });

    it("follows the container's provider to the host it connects to", () => {
        const provider = dockerProvider({ host: "ssh://deploy@10.0.0.5" });
        const container = { ...dockerContainer(), provider: urnOf(provider) };
        const stack = [provider, container, daemonJsonWriter(), daemonJsonWriter(NO_LOG_DAEMON, "10.0.0.6", "b")];
        assert.deepEqual(messages(control, stack), []);
        const other = { ...dockerContainer({}, "other"), provider: urnOf(dockerProvider({}, "elsewhere")) };
        assert.equal(messages(control, [...stack, other]).length, 1, "an unknown provider falls back to every declared host");
    });

    it("judges each container by its own provider's host and its own options, however many share them", () => {
        const pa = dockerProvider({ host: "ssh://deploy@10.0.0.5" }, "pa");
        const pb = dockerProvider({ host: "tcp://10.0.0.6:2376" }, "pb");
        const on = (p: typeof pa, name: string, over: Record<string, unknown> = {}) => ({ ...dockerContainer(over, name), provider: urnOf(p) });
        const rotatedOpts = { logOpts: { "max-size": "10m", "max-file": "3" } };
        const stack = [
            pa,
            pb,
            daemonJsonWriter(),
            daemonJsonWriter(NO_LOG_DAEMON, "10.0.0.6", "b"),
            on(pa, "a1"),
            on(pb, "b1"),
            on(pa, "a2"),
            on(pb, "b2", rotatedOpts),
            on(pb, "b3"),
            on(pa, "ja", { logDriver: "json-file" }),
            on(pb, "jb", { logDriver: "json-file" }),
            on(pb, "jb2", { logDriver: "json-file", ...rotatedOpts }),
            on(pa, "ja2", { logDriver: "json-file" }),
        ];
        const msgs = messages(control, stack);
        assert.deepEqual(
            msgs.map((m) => /^Docker container "(\w+)"/.exec(m)?.[1]),
            ["b1", "b3", "jb"],
        );
        assert.match(msgs[0], /not compliant on 10\.0\.0\.6 \(default is "json-file" without max-size and max-file/);
        assert.match(msgs[2], /is "json-file" without max-size and max-file/);
    });

    it("fails a daemon log-level other than info (2.3), alone and without containers; unset and info pass", () => {
        for (const level of ["debug", "warn"]) {
            const msgs = messages(control, [daemonJsonWriter(hardenedDaemonJson({ "log-level": level }))]);
            assert.equal(msgs.length, 1, level);
            assert.match(msgs[0], new RegExp(`^Docker host 10\\.0\\.0\\.5: /etc/docker/daemon.json "log-level": is "${level}": .*Set it to "info"`));
        }
        assert.deepEqual(messages(control, [daemonJsonWriter(hardenedDaemonJson({ "log-level": "info" }))]), []);
        assert.deepEqual(messages(control, [daemonJsonWriter(hardenedDaemonJson({ "log-level": undefined }))]), []);
    });

    it("treats unknown preview values as unknown", () => {
        assert.deepEqual(outcomeOf(run(control, dockerContainer({ logDriver: UNKNOWN_STRING }))), { violations: [], unknownPaths: ["logDriver"] });
        const unknownDaemon = remoteCommand("d", "install -m 0644 /dev/stdin /etc/docker/daemon.json", { stdin: UNKNOWN_STRING });
        assert.deepEqual(outcomeOf(run(control, [dockerContainer(), unknownDaemon])).unknownPaths, ["logDriver"]);
        assert.equal(run(control, [dockerContainer(), unknownDaemon], { unknownValues: "fail" }).violations.length, 1);
    });

    it("judges a container that may run on any host of a fleet with one bounded finding, naming three hosts", () => {
        const fleet = Array.from({ length: 40 }, (_, i) => daemonJsonWriter(NO_LOG_DAEMON, `10.0.1.${i}`, `d${i}`));
        const msgs = messages(control, [dockerContainer(), ...fleet]);
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /not compliant on 10\.0\.1\.0 \(default [^;]*; 10\.0\.1\.1 \([^;]*; 10\.0\.1\.2 \([^;]*; and 37 more hosts\. Set logDriver/);
        const four = messages(control, [dockerContainer(), ...fleet.slice(0, 4)]);
        assert.ok(Math.abs(msgs[0].length - four[0].length) <= 2, "the message does not grow with the fleet");
        const unknownFleet = Array.from({ length: 5 }, (_, i) =>
            remoteCommand(`u${i}`, "install -m 0644 /dev/stdin /etc/docker/daemon.json", { stdin: UNKNOWN_STRING, host: `10.0.2.${i}` }),
        );
        const failed = run(control, [dockerContainer(), ...unknownFleet], { unknownValues: "fail" }).violations;
        assert.equal(failed.length, 1, "one finding for the container, not one per host");
        assert.match(
            failed[0].message,
            /the log defaults of 5 candidate hosts are unknown at preview \(10\.0\.2\.0; 10\.0\.2\.1; 10\.0\.2\.2; and 2 more hosts\)/,
        );
    });

    it("never shows secret log options", () => {
        const msgs = messages(control, dockerContainer({ logDriver: "json-file", logOpts: { "max-size": "10m", "splunk-token": secret("s3cr3t-token") } }));
        assert.equal(msgs.length, 1);
        assert.ok(!msgs[0].includes("s3cr3t"));
    });

    it("gives clear messages for malformed input without throwing", () => {
        assert.match(
            messages(control, dockerContainer({ logOpts: { "max-size": 10 } }))[0],
            /logOpts: is malformed: expected an object of strings, got "max-size" holding a number/,
        );
        assert.match(messages(control, dockerContainer({ logDriver: ["x"] }))[0], /logDriver: is malformed: expected a string, got an array/);
        assert.match(messages(control, [dockerContainer(), daemonJsonWriter("{nope")])[0], /not compliant on 10\.0\.0\.5 \(its daemon\.json is unreadable\)/);
        assert.doesNotThrow(() =>
            run(control, [
                { type: "docker:index/container:Container", name: "c", props: null },
                { type: "docker:index/service:Service", name: "s", props: { taskSpec: 3 } },
            ]),
        );
    });

    it("honours excludeNames", () => {
        assert.equal(messages(control, dockerContainer({}, "debug")).length, 1);
        assert.deepEqual(messages(control, dockerContainer({}, "debug"), { excludeNames: ["debug"] }), []);
    });
});
