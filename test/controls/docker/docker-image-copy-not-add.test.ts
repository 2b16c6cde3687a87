import assert from "node:assert/strict";
import control from "stride-guard/lib/controls/docker/docker-image-copy-not-add";
import { DIGEST, dockerImage, outcomeOf } from "../../support/docker-platform-fixtures";
import { messages, run, UNKNOWN_STRING } from "../../support/run-control";

const base = `FROM alpine@${DIGEST}\n`;

describe("docker-image-copy-not-add", () => {
    it("passes COPY, local ADD, and ADD of a URL with a pinned checksum", () => {
        assert.deepEqual(outcomeOf(run(control, dockerImage())), { violations: [], unknownPaths: [] });
        assert.deepEqual(
            messages(control, dockerImage(`${base}ADD app.tar.gz /opt/\nADD --checksum=sha256:${"d".repeat(64)} https://example.com/x.tgz /x\nUSER 1\n`)),
            [],
        );
    });

    it("fails ADD from a URL or git, naming the line, in any stage and in exec form", () => {
        const msgs = messages(
            control,
            dockerImage(`${base.trim()} AS b\nADD https://example.com/tool /usr/bin/tool\n${base}ADD ["git@github.com:me/repo.git", "/src"]\nUSER 1\n`),
        );
        assert.equal(msgs.length, 2);
        assert.match(msgs[0], /^Docker image build "app": .*\/Dockerfile:2: ADD fetches a remote source without a pinned checksum/);
        assert.match(msgs[1], /Dockerfile:4: ADD fetches/);
        assert.match(msgs[0], /\[CIS Docker 4\.9\]$/);
    });

    it("fails local ADD when allowLocalAdd is false", () => {
        assert.match(messages(control, dockerImage(`${base}ADD app.tar.gz /opt/\n`), { allowLocalAdd: false })[0], /Dockerfile:2: ADD copies local files/);
    });

    it("reads continuation lines and ignores heredoc bodies and comments", () => {
        const df = `${base}# ADD https://comment.example.com /x\nADD \\\n  https://example.com/a \\\n  /a\nRUN <<EOF\nADD https://inside-heredoc.example.com /x\nEOF\n`;
        const msgs = messages(control, dockerImage(df));
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /Dockerfile:3: ADD fetches/);
    });

    it("treats an unknown Dockerfile path as unknown, and unreadable ones clearly", () => {
        const r = { type: "docker:index/image:Image", name: "u", props: { imageName: "r/a:1", build: { dockerfile: UNKNOWN_STRING } } };
        assert.deepEqual(outcomeOf(run(control, r)), { violations: [], unknownPaths: ["build.dockerfile"] });
        assert.match(
            messages(control, { type: "docker:index/image:Image", name: "x", props: { build: { dockerfile: "/nonexistent/Dockerfile" } } })[0],
            /build\.dockerfile: "\/nonexistent\/Dockerfile" cannot be read \(no such file at \/nonexistent\/Dockerfile\)/,
        );
    });

    it("handles malformed input without throwing", () => {
        assert.match(messages(control, { type: "docker:index/image:Image", name: "m", props: { build: [] } })[0], /cannot be read|malformed/);
        assert.doesNotThrow(() => run(control, { type: "docker:index/image:Image", name: "n", props: { build: { dockerfile: 3 } } }));
    });
});
