import assert from "node:assert/strict";
import { ImageRef, parseImageRef, REGISTRY_ENTRY_PATTERN, registryAllowed } from "stride-guard/lib/adapters/docker/image-ref";

const ref = (raw: string): ImageRef => {
    const r = parseImageRef(raw);
    if (typeof r === "string") throw new Error(r);
    return r;
};
const allowed = (entry: string, raw: string): boolean => registryAllowed(entry, ref(raw));

describe("allowedRegistries entries (registryAllowed)", () => {
    it("a host alone admits every repository of that host; the host is case-insensitive and may use *", () => {
        assert.ok(allowed("ghcr.io", "ghcr.io/acme/app:1"));
        assert.ok(allowed("GHCR.io", "ghcr.io/acme/app:1"));
        assert.ok(allowed("ghcr.io", "GHCR.IO/acme/app:1"));
        assert.ok(allowed("*.dkr.ecr.*.amazonaws.com", "123.dkr.ecr.eu-west-1.amazonaws.com/app:2"));
        assert.ok(allowed("localhost:5000", "localhost:5000/app:2"));
        assert.ok(!allowed("ghcr.io", "quay.io/acme/app:1"));
        assert.ok(!allowed("ghcr.io", "ghcr.io.evil.example/acme/app:1"));
    });

    it("a path is a prefix that ends at a / boundary, compared case-sensitively", () => {
        assert.ok(allowed("ghcr.io/acme", "ghcr.io/acme/app:1"));
        assert.ok(allowed("ghcr.io/acme", "ghcr.io/acme/team/app:1"));
        assert.ok(allowed("ghcr.io/acme", "ghcr.io/acme:1"), "the prefix itself is a repository too");
        assert.ok(allowed("ghcr.io/acme/app", "ghcr.io/acme/app:1"));
        assert.ok(!allowed("ghcr.io/acme", "ghcr.io/acmeevil/app:1"));
        assert.ok(!allowed("ghcr.io/acme", "ghcr.io/acme-x:1"));
        assert.ok(!allowed("ghcr.io/acme/app", "ghcr.io/acme/application:1"));
        assert.ok(!allowed("ghcr.io/acme", "quay.io/acme/app:1"));
        assert.ok(!allowed("ghcr.io/acme", "acme/app:1"), "a bare name is Docker Hub, not ghcr.io");
        assert.ok(allowed("GHCR.IO/acme", "ghcr.io/acme/app:1"), "only the host part is case-insensitive");
        assert.ok(!allowed("ghcr.io/Acme", "ghcr.io/acme/app:1"));
    });

    it("Docker Hub is implicit for bare names, with library/ for one-component names", () => {
        assert.ok(allowed("docker.io", "nginx:1.27"));
        assert.ok(allowed("index.docker.io", "nginx:1.27"));
        assert.ok(allowed("docker.io/library", "nginx:1.27"));
        assert.ok(allowed("docker.io/library", "library/nginx:1.27"));
        assert.ok(allowed("docker.io/library", "docker.io/library/nginx:1.27"));
        assert.ok(allowed("docker.io/library/nginx", "nginx:1.27"));
        assert.ok(!allowed("docker.io/library", "bitnami/redis:7"));
        assert.ok(allowed("docker.io/bitnami", "bitnami/redis:7"));
        assert.ok(!allowed("docker.io/bitnami", "bitnamievil/redis:7"));
        assert.ok(!allowed("docker.io/bitnami", "ghcr.io/bitnami/redis:7"));
        // `docker.io/nginx` as an image name is the official image; as a prefix, the nginx/ namespace.
        assert.ok(allowed("docker.io/nginx", "nginx:1.27"));
        assert.ok(allowed("docker.io/nginx", "nginx/nginx-ingress:3"));
        assert.ok(!allowed("docker.io/nginx", "nginxinc/nginx:1"));
        assert.ok(!allowed("docker.io/nginx", "redis:7"));
    });

    it("entries are validated by a pattern: lower-case path components, no trailing slash, no * in the path", () => {
        const re = new RegExp(REGISTRY_ENTRY_PATTERN, "u");
        for (const ok of ["ghcr.io", "ghcr.io/acme", "ghcr.io/acme/team-a/app_x", "*.dkr.ecr.*.amazonaws.com", "localhost:5000/a", "docker.io/library"])
            assert.ok(re.test(ok), ok);
        for (const bad of ["ghcr.io/", "ghcr.io/Acme", "ghcr.io/acme/*", "ghcr.io//acme", "ghcr io/acme", "/acme", "ghcr.io/acme/", "ghcr.io/-acme"])
            assert.ok(!re.test(bad), bad);
        // The separators between components are unambiguous, so a long almost-matching entry fails without backtracking.
        assert.ok(!re.test("h/" + "a-".repeat(20_000) + "!"));
    });
});
