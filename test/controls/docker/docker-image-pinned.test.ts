import assert from "node:assert/strict";
import control from "stride-guard/lib/controls/docker/docker-image-pinned";
import { dockerContainer } from "../../support/fixtures";
import { DIGEST, dockerImage, dockerService, registryImage, remoteImage, outcomeOf } from "../../support/docker-platform-fixtures";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";

describe("docker-image-pinned", () => {
    it("passes digests, image IDs, versioned pushes, and a hardened Dockerfile's FROM lines", () => {
        const ok = [
            dockerContainer({ image: `nginx@${DIGEST}` }),
            dockerContainer({ image: DIGEST }, "by-id"),
            dockerService(),
            remoteImage(),
            registryImage(),
            dockerImage(),
        ];
        assert.deepEqual(outcomeOf(run(control, ok)), { violations: [], unknownPaths: [] });
    });

    it("fails an untagged or latest image on each resource kind, naming resource and field", () => {
        const cases: [ReturnType<typeof remoteImage>, RegExp][] = [
            [dockerContainer({ image: "nginx" }), /^Docker container "web": image: image "nginx" has no tag, which means :latest/],
            [
                dockerService({ taskSpec: { containerSpec: { image: "registry.example.com/api:latest" } } }),
                /^Docker service task "api": taskSpec\.containerSpec\.image: image "registry\.example\.com\/api:latest" uses the mutable tag :latest/,
            ],
            [
                remoteImage({ name: "redis:7.2" }),
                /^Docker remote image "nginx": name: image "redis:7\.2" is referenced by tag from "docker\.io", which is not in allowedRegistries/,
            ],
            [
                registryImage({ name: "registry.example.com/app" }),
                /^Docker registry image "pushed": name: "registry\.example\.com\/app" has no tag, which means :latest; an image the stack builds or pushes needs a unique, versioned tag/,
            ],
            [dockerImage(undefined, { imageName: "registry.example.com/app:latest" }), /^Docker image build "app": imageName: .* uses the mutable tag :latest/],
        ];
        for (const [res, re] of cases) {
            const msgs = messages(control, res);
            assert.equal(msgs.length, 1, msgs.join("\n"));
            assert.match(msgs[0], re);
            assert.match(msgs[0], /\[CIS Docker 4\.5\]$/);
        }
    });

    it("checks Compose services through the container adapter, as the scan command sees them", () => {
        const msgs = messages(control, { type: "compose:service", name: "web", props: { image: "nginx:latest" } });
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /: image: image "nginx:latest" uses the mutable tag :latest/);
        assert.deepEqual(messages(control, { type: "compose:service", name: "web", props: { image: `nginx@${DIGEST}` } }), []);
    });

    it("treats a RemoteImage that builds as a push: a versioned tag is its pin", () => {
        assert.deepEqual(messages(control, remoteImage({ name: "registry.example.com/tool:2.1.0", build: { context: "." } })), []);
        assert.match(
            messages(control, remoteImage({ name: "tool", build: { context: "." } }))[0],
            /"tool" has no tag, which means :latest; an image the stack builds or pushes/,
        );
    });

    it("accepts versioned tags from allow-listed registries, and limits pushes to them", () => {
        const cfg = { allowedRegistries: ["registry.example.com", "*.dkr.ecr.*.amazonaws.com"] };
        assert.deepEqual(
            messages(
                control,
                [dockerContainer({ image: "registry.example.com/web:1.4.2" }), remoteImage({ name: "123.dkr.ecr.eu-west-1.amazonaws.com/app:2" })],
                cfg,
            ),
            [],
        );
        assert.equal(messages(control, dockerContainer({ image: "registry.example.com/web:latest" }), cfg).length, 1);
        assert.match(
            messages(control, registryImage({ name: "ghcr.io/me/app:1.0" }), cfg)[0],
            /goes to registry "ghcr\.io", which is not in allowedRegistries/,
        );
        assert.deepEqual(messages(control, dockerContainer({ image: "registry.example.com/web:stable" }), { ...cfg, forbiddenTags: ["latest", "main"] }), []);
    });

    it("allowedRegistries entries with a path admit that repository prefix only, at a / boundary", () => {
        const cfg = { allowedRegistries: ["ghcr.io/acme", "docker.io/library"] };
        assert.deepEqual(messages(control, [dockerContainer({ image: "ghcr.io/acme/app:1.4.2" }), dockerContainer({ image: "nginx:1.27" }, "hub")], cfg), []);
        assert.match(
            messages(control, dockerContainer({ image: "ghcr.io/acmeevil/app:1.4.2" }), cfg)[0],
            /is referenced by tag from "ghcr\.io", which allowedRegistries lists only for other repository paths, and tags can be moved/,
        );
        assert.match(
            messages(control, dockerContainer({ image: "bitnami/redis:7" }), cfg)[0],
            /is referenced by tag from "docker\.io", which allowedRegistries lists only/,
        );
        assert.match(messages(control, dockerContainer({ image: "quay.io/acme/app:1" }), cfg)[0], /from "quay\.io", which is not in allowedRegistries/);
        assert.match(
            messages(control, registryImage({ name: "ghcr.io/acme-x:1.0" }), cfg)[0],
            /goes to registry "ghcr\.io", which allowedRegistries lists only for other repository paths/,
        );
        assert.deepEqual(messages(control, registryImage({ name: "ghcr.io/acme/app:1.0" }), cfg), []);
    });

    it("checks base images of Dockerfiles, expanding global ARGs and skipping stages and scratch", () => {
        const df = `ARG BASE=debian:12\nFROM \${BASE} AS build\nFROM build AS test\nFROM scratch\nCOPY --from=build /x /x\n`;
        const msgs = messages(control, dockerImage(df));
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /^Docker image build "app" Dockerfile stage "build": .*\/Dockerfile:2 FROM: base image "debian:12" is referenced by tag/);
        assert.deepEqual(messages(control, dockerImage(df, {}, "app", { args: { BASE: `debian@${DIGEST}` } })), []);
        const unresolved = messages(control, dockerImage("ARG BASE\nFROM $BASE\n"));
        assert.match(unresolved[0], /uses build argument\(s\) \$BASE without a value/);
    });

    it("treats unknown preview values as unknown", () => {
        assert.deepEqual(outcomeOf(run(control, dockerContainer({ image: UNKNOWN_STRING }))), { violations: [], unknownPaths: ["image"] });
        assert.equal(run(control, dockerContainer({ image: UNKNOWN_STRING }), { unknownValues: "fail" }).violations.length, 1);
    });

    it("never shows a secret image reference", () => {
        const msgs = messages(control, dockerContainer({ image: secret("registry.example.com/s3cr3t-app:latest") }));
        assert.equal(msgs.length, 1);
        assert.ok(!msgs[0].includes("s3cr3t"), msgs[0]);
    });

    it("gives clear messages for malformed references and inputs without throwing", () => {
        assert.match(messages(control, dockerContainer({ image: "Nginx:1" }))[0], /is not a valid image reference: its repository path is not lower-case/);
        assert.match(messages(control, dockerContainer({ image: "nginx@sha256:abc" }))[0], /its digest is not algorithm:hex/);
        assert.match(messages(control, dockerContainer({ image: 42 }))[0], /image: is malformed: expected a string, got a number/);
        assert.match(messages(control, dockerContainer({ image: undefined }))[0], /image: names no image/);
        assert.doesNotThrow(() =>
            run(control, [
                { type: "docker:index/service:Service", name: "s", props: { taskSpec: null } },
                { type: "docker:index/image:Image", name: "i", props: null },
            ]),
        );
    });

    it("honours excludeNames", () => {
        assert.deepEqual(messages(control, dockerContainer({ image: "nginx" }), { excludeNames: ["web"] }), []);
    });
});
