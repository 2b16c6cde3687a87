import assert from "node:assert/strict";
import control from "stride-guard/lib/controls/docker/docker-image-non-root-user";
import { DIGEST, dockerImage, dockerfileDir, outcomeOf } from "../../support/docker-platform-fixtures";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";

const base = `FROM alpine@${DIGEST}\n`;

describe("docker-image-non-root-user", () => {
    it("passes a final non-root USER, including one inherited from an earlier stage and one from an ARG", () => {
        assert.deepEqual(outcomeOf(run(control, dockerImage())), { violations: [], unknownPaths: [] });
        assert.deepEqual(messages(control, dockerImage(`${base.trim()} AS runtime\nUSER app\nFROM runtime\nCOPY x /x\n`)), []);
        assert.deepEqual(messages(control, dockerImage(`${base}ARG UID=10001\nUSER \${UID}:\${UID}\n`)), []);
        assert.deepEqual(messages(control, dockerImage(`${base}ARG UID\nUSER $UID\n`, {}, "app", { args: { UID: "2000" } })), []);
    });

    it("fails a final stage without USER, naming the build and the FROM line", () => {
        const msgs = messages(control, dockerImage(`${base}RUN true\n`));
        assert.equal(msgs.length, 1);
        assert.match(
            msgs[0],
            /^Docker image build "app": .*\/Dockerfile:1: the final stage sets no USER, so the image runs as the user of its base image "alpine" \(root for most images\)/,
        );
        assert.match(msgs[0], /\[CIS Docker 4\.1\]$/);
    });

    it("fails root as the last USER, in any spelling", () => {
        for (const u of ["root", "0", "0:0", "root:root"]) {
            const msgs = messages(control, dockerImage(`${base}USER 10001\nRUN x\nUSER ${u}\n`));
            assert.equal(msgs.length, 1, u);
            assert.match(msgs[0], /Dockerfile:4: the final USER is .*: containers run as root/);
        }
    });

    it("checks the stage build.target selects, and says when it does not exist", () => {
        const df = `${base.trim()} AS debug\nFROM alpine@${DIGEST} AS release\nUSER 10001\n`;
        assert.deepEqual(messages(control, dockerImage(df)), []);
        assert.match(messages(control, dockerImage(df, {}, "app", { target: "debug" }))[0], /the final stage sets no USER/);
        assert.match(
            messages(control, dockerImage(df, {}, "app", { target: "nope" }))[0],
            /: build\.target: names no stage of .*Dockerfile, so the image's user cannot be determined/,
        );
    });

    it("fails a USER whose variable has no value", () => {
        assert.match(messages(control, dockerImage(`${base}USER $APP_UID\n`))[0], /USER uses \$APP_UID without a value/);
    });

    it("reads build.dockerfile relative to the working directory or absolute, and says clearly when it cannot", () => {
        const dir = dockerfileDir(`${base}USER 1\n`, "app.Dockerfile");
        assert.deepEqual(
            messages(control, {
                type: "docker:index/image:Image",
                name: "abs",
                props: { imageName: "r.example.com/a:1", build: { context: dir, dockerfile: `${dir}/app.Dockerfile` } },
            }),
            [],
        );
        const missing = messages(control, {
            type: "docker:index/image:Image",
            name: "missing",
            props: { imageName: "r.example.com/a:1", build: { context: "does-not-exist" } },
        });
        assert.equal(missing.length, 1);
        assert.match(
            missing[0],
            /build\.context: "does-not-exist\/Dockerfile" cannot be read \(no such file at .*does-not-exist\/Dockerfile \(relative paths resolve against the directory the policy runs in, /,
        );
    });

    it("treats an unknown Dockerfile path as unknown", () => {
        const r = { type: "docker:index/image:Image", name: "u", props: { imageName: "r/a:1", build: { context: UNKNOWN_STRING } } };
        assert.deepEqual(outcomeOf(run(control, r)), { violations: [], unknownPaths: ["build.context"] });
        assert.equal(run(control, r, { unknownValues: "fail" }).violations.length, 1);
    });

    it("never shows secret build args", () => {
        const msgs = messages(control, dockerImage(`${base}ARG UID\nUSER $UID\n`, {}, "app", { args: { UID: secret("0") } }));
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /the final USER is "\[secret\]"/);
    });

    it("gives clear messages for malformed input and Dockerfiles without throwing", () => {
        assert.deepEqual(
            messages(control, dockerImage("RUN x\n")).map((m) => m.replace(/^.*Dockerfile(:\d+)*: /, "")),
            [
                "RUN before the first FROM; docker build rejects it. [CIS Docker 4.1]",
                "has no FROM instruction, so the image's user cannot be determined. [CIS Docker 4.1]",
            ],
        );
        assert.match(messages(control, dockerImage(`${base}BOGUS x\nFROM\nUSER 1\n`))[0], /Dockerfile:2:1: unknown instruction; docker build rejects it/);
        assert.match(
            messages(control, dockerImage(`${base}  \u001b[31mBOGUS x\nUSER 1\n`))[0],
            /Dockerfile:2:3: unknown instruction; docker build rejects it\. \[CIS/,
            "the word is never quoted",
        );
        assert.match(
            messages(control, { type: "docker:index/image:Image", name: "m", props: { build: { context: 5 } } })[0],
            /is malformed: expected a string, got a number/,
        );
        assert.doesNotThrow(() => run(control, { type: "docker:index/image:Image", name: "n", props: null }));
    });
});
