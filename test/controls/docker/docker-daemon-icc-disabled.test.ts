import assert from "node:assert/strict";
import control from "stride-guard/lib/controls/docker/docker-daemon-icc-disabled";
import { daemonJsonWriter, hardenedDaemonJson, hardenedHost, remoteCommand, outcomeOf } from "../../support/docker-platform-fixtures";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";

describe("docker-daemon-icc-disabled", () => {
    it("passes icc and userland-proxy off on every Docker host", () => {
        assert.deepEqual(outcomeOf(run(control, [...hardenedHost(), ...hardenedHost("10.0.0.6")])), { violations: [], unknownPaths: [] });
    });

    it("fails icc left on, naming host and setting, with both benchmark numberings", () => {
        const msgs = messages(control, [daemonJsonWriter(hardenedDaemonJson({ icc: true }))]);
        assert.deepEqual(msgs, [
            'Docker host 10.0.0.5: /etc/docker/daemon.json "icc": is true: every container on the default bridge can reach every other one. Set it to false. [CIS Docker 2.2, 2.4, 2.16 (legacy 2.1, 2.3, 2.14)]',
        ]);
    });

    it("fails userland-proxy unset alone, saying dockerd's default applies when no daemon.json is written", () => {
        const msgs = messages(control, [daemonJsonWriter(hardenedDaemonJson({ "userland-proxy": undefined }))]);
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /"userland-proxy": is unset: published ports go through a userland proxy/);
        const none = messages(control, [remoteCommand("certs", "tee /etc/docker/key.json", { stdin: "{}" })]);
        assert.equal(none.length, 2);
        assert.match(none[0], /the stack sets it neither in \/etc\/docker\/daemon.json nor as a dockerd flag/);
    });

    it("fails iptables false alone (2.4); unset is dockerd's default, true", () => {
        const msgs = messages(control, [daemonJsonWriter(hardenedDaemonJson({ iptables: false }))]);
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /"iptables": is false: dockerd writes no firewall rules, so icc=false is not enforced/);
        assert.deepEqual(messages(control, [daemonJsonWriter(hardenedDaemonJson({ iptables: undefined }))]), []);
        assert.deepEqual(messages(control, [daemonJsonWriter(hardenedDaemonJson({ iptables: false }))], { skip: ["2.4"] }), []);
    });

    it("checks each declared host on its own", () => {
        const msgs = messages(control, [...hardenedHost(), daemonJsonWriter(hardenedDaemonJson({ icc: true }), "10.0.0.6", "b")]);
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /^Docker host 10\.0\.0\.6:/);
    });

    it("honours skip and exemptions", () => {
        const r = daemonJsonWriter(hardenedDaemonJson({ "userland-proxy": true }));
        assert.deepEqual(messages(control, [r], { skip: ["2.16"] }), []);
        assert.deepEqual(messages(control, [r], { excludeNames: ["10.0.0.*"] }), []);
    });

    it("treats unknown content as unknown, and fails on it under unknownValues: fail", () => {
        const r = remoteCommand("d", "install -m 0644 /dev/stdin /etc/docker/daemon.json", { stdin: UNKNOWN_STRING });
        assert.deepEqual(outcomeOf(run(control, [r])), { violations: [], unknownPaths: ["/etc/docker/daemon.json"] });
        assert.equal(run(control, [r], { unknownValues: "fail" }).violations.length, 1);
    });

    it("never shows secret content", () => {
        const r = remoteCommand("d", "install -m 0644 /dev/stdin /etc/docker/daemon.json", { stdin: secret('{"icc": "s3cr3t"}') });
        const msgs = messages(control, [r]);
        assert.ok(msgs.length >= 1);
        for (const m of msgs) assert.ok(!m.includes("s3cr3t"), m);
        assert.match(msgs[0], /"icc": is malformed: expected a boolean, got a string/);
    });

    it("reports malformed JSON clearly, once per host", () => {
        const msgs = messages(control, [daemonJsonWriter("{ icc: false }")]);
        assert.deepEqual(msgs.length, 1);
        assert.match(msgs[0], /is not valid daemon configuration \(invalid JSON near line 1\)/);
    });
});
