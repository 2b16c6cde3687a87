import assert from "node:assert/strict";
import control, { DOCKER_AUDIT_TARGETS } from "stride-guard/lib/controls/docker/docker-daemon-auditing";
import { auditRulesText, auditRulesWriter, daemonJsonWriter, hardenedHost, remoteCommand, outcomeOf } from "../../support/docker-platform-fixtures";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";

describe("docker-daemon-auditing", () => {
    it("passes a host whose audit rules watch every target, in -w or syscall form", () => {
        assert.deepEqual(outcomeOf(run(control, hardenedHost())), { violations: [], unknownPaths: [] });
        const syscall = DOCKER_AUDIT_TARGETS.map((t) => `-a always,exit -F path=${t.paths[0]} -F perm=wa -k docker`).join("\n");
        assert.deepEqual(messages(control, [daemonJsonWriter(), auditRulesWriter(syscall)]), []);
    });

    it("ignores machines that are not Docker hosts", () => {
        assert.deepEqual(messages(control, [remoteCommand("x", "tee /etc/audit/rules.d/other.rules", { stdin: "-w /etc/passwd -p wa" })]), []);
    });

    for (const target of DOCKER_AUDIT_TARGETS.filter((t) => !t.ifPresent)) {
        it(`fails when ${target.what} (${target.cis}) alone is not watched`, () => {
            const msgs = messages(control, [daemonJsonWriter(), auditRulesWriter(auditRulesText([target.cis]))]);
            assert.equal(msgs.length, 1);
            assert.match(msgs[0], /^Docker host 10\.0\.0\.5: \/etc\/audit\/rules\.d\/\*\.rules: no audit rule watches/);
            assert.ok(msgs[0].includes(`${target.what} (${target.cis})`), msgs[0]);
            assert.ok(msgs[0].endsWith("(legacy 1.2.3, 1.2.4, 1.2.5, 1.2.6, 1.2.7, 1.2.8, 1.2.9, 1.2.10, 1.2.11, 1.2.12)]"), msgs[0]);
        });
    }

    it("requires both write and attribute watching", () => {
        const rules = auditRulesText().replace("-w /usr/bin/dockerd -p wa", "-w /usr/bin/dockerd -p w");
        assert.match(messages(control, [daemonJsonWriter(), auditRulesWriter(rules)])[0], /the Docker daemon \(1\.1\.3\)/);
    });

    it("fails a Docker host without audit rules, listing every target", () => {
        const msgs = messages(control, [daemonJsonWriter()]);
        assert.equal(msgs.length, 1);
        for (const t of DOCKER_AUDIT_TARGETS) assert.equal(msgs[0].includes(`${t.what} (${t.cis})`), !t.ifPresent, t.cis);
    });

    it("does not require the containerd shims of a stack's host (1.1.15, 1.1.16): a stack cannot show they exist", () => {
        const shims = DOCKER_AUDIT_TARGETS.filter((t) => t.ifPresent).map((t) => t.cis);
        assert.deepEqual(shims, ["1.1.15", "1.1.16"]);
        assert.deepEqual(messages(control, [daemonJsonWriter(), auditRulesWriter(auditRulesText(shims))]), []);
    });

    it("honours skip and exemptions", () => {
        const r = [daemonJsonWriter(), auditRulesWriter(auditRulesText(["1.1.13"]))];
        assert.deepEqual(messages(control, r, { skip: ["1.1.13"] }), []);
        assert.deepEqual(messages(control, r, { excludeNames: ["10.0.0.5"] }), []);
    });

    it("reports invalid rule lines with file and line", () => {
        const msgs = messages(control, [daemonJsonWriter(), auditRulesWriter(auditRulesText() + "-w\nbogus line\n")]);
        assert.equal(msgs.length, 2);
        assert.match(msgs[0], /\/etc\/audit\/rules\.d\/docker\.rules:17: invalid audit rule: -w needs a path/);
        assert.match(msgs[1], /docker\.rules:18: invalid audit rule: not an audit rule/);
    });

    it("treats unknown rules content as unknown", () => {
        const r = [daemonJsonWriter(), auditRulesWriter(UNKNOWN_STRING)];
        assert.deepEqual(outcomeOf(run(control, r)), { violations: [], unknownPaths: ["audit rules"] });
        const failed = run(control, r, { unknownValues: "fail" }).violations;
        assert.equal(failed.length, 1);
        assert.equal(failed[0].unknown, true);
    });

    it("reads secret rules without showing them", () => {
        const r = [daemonJsonWriter(), { ...auditRulesWriter(), props: { ...(auditRulesWriter().props as object), stdin: secret("-w /tmp/s3cr3t -p wa\n") } }];
        const msgs = messages(control, r);
        assert.equal(msgs.length, 1);
        assert.ok(!msgs[0].includes("s3cr3t"));
    });

    it("says when rules are written from a source it cannot read, and never throws on malformed resources", () => {
        const msgs = messages(control, [
            daemonJsonWriter(),
            remoteCommand("rules", "cp /opt/docker.rules /etc/audit/rules.d/ && install -m 0640 /opt/docker.rules /etc/audit/rules.d/docker.rules"),
        ]);
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /\/etc\/audit\/rules\.d\/docker\.rules is written from a source the policy cannot read/);
        assert.doesNotThrow(() => run(control, [{ type: "command:remote:Command", name: "x", props: { connection: 5, create: ["x"] } }]));
    });
});
