// The Dockerfile reader behind the docker-image-* controls.
import assert from "node:assert/strict";
import { dockerfileLocation, parseDockerfile, readDockerfile } from "stride-guard/lib/adapters/docker/dockerfile";
import { parseImageRef } from "stride-guard/lib/adapters/docker/image-ref";
import { parseEndpoint } from "stride-guard/lib/adapters/docker/endpoint";
import { envPairs, expand } from "stride-guard/lib/model/docker-image";
import { dockerfileDir } from "../../support/docker-platform-fixtures";

describe("Dockerfile parser", () => {
    it("reads stages with --platform, AS in any case, and global ARGs", () => {
        const df = parseDockerfile("ARG TAG=1\nFROM --platform=$BUILDPLATFORM golang:${TAG} as Build\nRUN go build\nFROM scratch\nCOPY --from=build /a /a\n");
        assert.equal(df.globalArgs.length, 1);
        assert.deepEqual(
            df.stages.map((s) => [s.name, s.from, s.fromLine]),
            [
                ["build", "golang:${TAG}", 2],
                [undefined, "scratch", 4],
            ],
        );
        assert.equal(df.stages[0].instructions[0].keyword, "RUN");
        assert.deepEqual(df.errors, []);
    });

    it("joins continuations, drops comments inside them, and honours the escape directive", () => {
        const df = parseDockerfile("# escape=`\nFROM a\nRUN echo one `\n# a comment\n  two\nUSER 1\n");
        assert.deepEqual(
            df.stages[0].instructions.map((i) => [i.keyword, i.args, i.line]),
            [
                ["RUN", "echo one   two", 3],
                ["USER", "1", 6],
            ],
        );
    });

    it("skips heredoc bodies and records flags", () => {
        const df = parseDockerfile("FROM a\nCOPY --chown=1:1 --link <<EOF /x\nUSER root\nEOF\nUSER 2\n");
        const ins = df.stages[0].instructions;
        assert.deepEqual(
            ins.map((i) => i.keyword),
            ["COPY", "USER"],
        );
        assert.deepEqual(ins[0].flags, { chown: "1:1", link: "" });
    });

    it("reports unknown instructions and instructions before FROM", () => {
        const df = parseDockerfile("RUN x\nFROM a\nFRM b\nFROM\n");
        assert.deepEqual(
            df.errors.map((e) => e.line),
            [1, 3, 4],
        );
    });

    it("expands variables and reads ENV forms", () => {
        const vars = new Map([
            ["A", "1"],
            ["E", ""],
        ]);
        assert.deepEqual(expand("$A-${A}-${E:-d}-${A:+x}-${B}", vars), { value: "1-1-d-x-", missing: ["B"] });
        assert.deepEqual(envPairs("A=1 B=\"two words\" C='3'"), [
            ["A", "1"],
            ["B", "two words"],
            ["C", "3"],
        ]);
        assert.deepEqual(envPairs("LEGACY value with spaces"), [["LEGACY", "value with spaces"]]);
    });

    it("resolves paths like @pulumi/docker and caches reads, saying why a file cannot be read", () => {
        assert.equal(dockerfileLocation("app", undefined, "/p"), "/p/app/Dockerfile");
        assert.equal(dockerfileLocation("app", "docker/Dockerfile.prod", "/p"), "/p/docker/Dockerfile.prod");
        assert.equal(dockerfileLocation(undefined, "/abs/Dockerfile", "/p"), "/abs/Dockerfile");
        const dir = dockerfileDir("FROM a\n");
        const first = readDockerfile(`${dir}/Dockerfile`);
        assert.equal(readDockerfile(`${dir}/Dockerfile`), first);
        assert.equal(readDockerfile(`${dir}/nope`), "no such file");
        assert.equal(readDockerfile(dir), "it is not a file");
    });
});

describe("image references and endpoints", () => {
    it("parses registries, tags and digests as Docker does", () => {
        assert.deepEqual(parseImageRef("nginx"), { registry: "docker.io", repository: "nginx", tag: undefined, digest: undefined, idOnly: false });
        assert.deepEqual(parseImageRef("localhost:5000/a/b:1.0"), {
            registry: "localhost:5000",
            repository: "a/b",
            tag: "1.0",
            digest: undefined,
            idOnly: false,
        });
        const d = "sha256:" + "e".repeat(64);
        assert.equal((parseImageRef(`ghcr.io/o/r:1@${d}`) as { digest: string }).digest, d);
        assert.equal((parseImageRef(d) as { idOnly: boolean }).idOnly, true);
        assert.equal(typeof parseImageRef("a b"), "string");
    });

    it("parses Docker endpoints", () => {
        assert.deepEqual(parseEndpoint("ssh://me@Host.example:2222"), { scheme: "ssh", hostname: "host.example", port: 2222 });
        assert.deepEqual(parseEndpoint("tcp://[::1]:2376"), { scheme: "tcp", hostname: "::1", port: 2376 });
        assert.deepEqual(parseEndpoint("10.0.0.5:2375"), { scheme: "tcp", hostname: "10.0.0.5", port: 2375 });
        assert.deepEqual(parseEndpoint("unix:///var/run/docker.sock"), { scheme: "unix", hostname: "", port: undefined });
        assert.equal(typeof parseEndpoint("gopher://x"), "string");
    });
});
