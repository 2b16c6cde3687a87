import assert from "node:assert/strict";
import control from "stride-guard/lib/controls/docker/docker-image-no-build-secrets";
import { DIGEST, dockerImage, outcomeOf } from "../../support/docker-platform-fixtures";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";

const base = `FROM alpine@${DIGEST}\n`;
const AWS_KEY = "AKIAIOSFODNN7EXAMPLE";

describe("docker-image-no-build-secrets", () => {
    it("passes a Dockerfile and build args without credentials", () => {
        assert.deepEqual(outcomeOf(run(control, dockerImage())), { violations: [], unknownPaths: [] });
        const df = `${base}ARG VERSION=1.2\nENV APP_ENV=prod DB_PASSWORD_FILE=/run/secrets/db DB_PASSWORD=\nRUN --mount=type=secret,id=npm npm ci\n`;
        assert.deepEqual(messages(control, dockerImage(df, {}, "app", { args: { VERSION: "1.3" } })), []);
    });

    it("fails ARG and ENV with credential names, naming the line and the variable, never the value", () => {
        const df = `${base}ARG NPM_TOKEN\nENV DB_PASSWORD=hunter2xyz\nENV API_KEY $NPM_TOKEN\n`;
        const msgs = messages(control, dockerImage(df));
        assert.equal(msgs.length, 3);
        assert.match(msgs[0], /^Docker image build "app": .*Dockerfile:2: ARG NPM_TOKEN carries a credential \(by its name\)/);
        assert.match(msgs[1], /Dockerfile:3: ENV DB_PASSWORD bakes a credential/);
        assert.match(msgs[2], /Dockerfile:4: ENV API_KEY bakes a credential/);
        assert.match(msgs[0], /\[CIS Docker 4\.10\]$/);
        assert.ok(!msgs.join("\n").includes("hunter2xyz"));
    });

    it("fails known credential formats under any name, in ENV, ARG defaults, RUN and global ARGs", () => {
        const df = `ARG MIRROR=https://user:pa55w0rd@mirror.example.com\n${base}ENV SOMETHING=${AWS_KEY}\nRUN curl -H "x: ${AWS_KEY}" https://example.com\n`;
        const msgs = messages(control, dockerImage(df));
        assert.equal(msgs.length, 3);
        assert.match(msgs[0], /Dockerfile:1: ARG MIRROR defaults to what looks like a URL with an embedded password/);
        assert.match(msgs[1], /ENV SOMETHING holds what looks like an AWS access key id/);
        assert.match(msgs[2], /RUN contains what looks like an AWS access key id/);
        for (const m of msgs) assert.ok(!m.includes(AWS_KEY) && !m.includes("pa55w0rd"), m);
    });

    it("fails credentials passed as build args, even as secrets, without showing them", () => {
        const msgs = messages(control, dockerImage(undefined, {}, "app", { args: { GITHUB_TOKEN: secret("ghp_" + "a".repeat(36)), OTHER: AWS_KEY } }));
        assert.equal(msgs.length, 2);
        assert.match(msgs[0], /build\.args\.GITHUB_TOKEN: passes what looks like a GitHub token as a build argument/);
        assert.match(msgs[1], /build\.args\.OTHER: passes what looks like an AWS access key id/);
        assert.ok(!msgs.join("\n").includes("ghp_") && !msgs.join("\n").includes(AWS_KEY));
    });

    it("honours allowNames", () => {
        assert.deepEqual(messages(control, dockerImage(`${base}ENV GPG_KEY=0D96DF4D4110E5C43FBFB17F2D347EA6AA65421D\n`), { allowNames: ["GPG_KEY"] }), []);
    });

    it("treats unknown build args as unknown and still checks the Dockerfile", () => {
        const out = run(control, dockerImage(`${base}ARG DB_PASSWORD\n`, {}, "app", { args: UNKNOWN_STRING }));
        assert.deepEqual(out.unknownPaths, ["build.args"]);
        assert.equal(out.violations.length, 1);
    });

    it("gives clear messages for malformed input without throwing", () => {
        assert.match(messages(control, dockerImage(undefined, {}, "app", { args: ["x"] }))[0], /build\.args: is malformed: expected an object, got an array/);
        assert.deepEqual(messages(control, dockerImage("BOGUS line\n")), [], "syntax errors are reported by docker-image-non-root-user");
        assert.doesNotThrow(() => run(control, { type: "docker:index/image:Image", name: "n", props: 7 }));
    });
});
