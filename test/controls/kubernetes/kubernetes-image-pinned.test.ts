import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-image-pinned";
import { assertMalformedReported, assertOne, assertPasses, assertUnknown, deploy } from "../../support/kubernetes-fixtures";
import { messages, secret, UNKNOWN_STRING } from "../../support/run-control";

const image = (i: unknown) => deploy({ container: { image: i } });
const path = "spec.template.spec.containers[0].image";
const DIGEST = "sha256:" + "d".repeat(64);

describe("kubernetes-image-pinned", () => {
    it("passes a digest, or a version tag", () => {
        assertPasses(control, deploy());
        assertPasses(control, image("nginx:1.27.1"));
        assertPasses(control, image(`registry.example.com:5000/team/app:2.0@${DIGEST}`));
        assertPasses(control, image(`app@sha512:${"e".repeat(128)}`));
    });

    it("flags latest, no tag, a bad digest, and a missing image", () => {
        assertOne(control, image("nginx:latest"), ['container "app"', path, 'mutable tag "latest"']);
        assertOne(control, image("registry.example.com:5000/app"), [path, "no tag"]);
        assertOne(control, image("nginx@sha256:abc"), ["not a valid image reference: its digest"]);
        assertOne(control, image("Nginx:1"), ["not a valid image reference"]);
        assertOne(control, image(undefined), [path, "is not set"]);
    });

    it("can require digests and restrict registries", () => {
        assertOne(control, image("nginx:1.27.1"), ["by digest"], { requireDigest: true });
        assertOne(control, image("nginx:1.27.1"), ['registry "docker.io"'], { allowedRegistries: ["registry.example.com"] });
        assertPasses(control, deploy(), { allowedRegistries: ["registry.example.com"], requireDigest: true });
        assertPasses(control, image("123.dkr.ecr.eu-west-1.amazonaws.com/app:1.2"), { allowedRegistries: ["*.dkr.ecr.*.amazonaws.com"] });
        assertOne(control, image("nginx:stable"), ['mutable tag "stable"'], { forbiddenTags: ["latest", "stable"] });
        const acme = { allowedRegistries: ["ghcr.io/acme"] };
        assertPasses(control, image("ghcr.io/acme/app:1.2"), acme);
        assertOne(control, image("ghcr.io/acmeevil/app:1.2"), ['registry "ghcr.io", which allowedRegistries lists only for other repository paths'], acme);
        assertOne(control, image("ghcr.io/acme-x:1.2"), ['registry "ghcr.io", which allowedRegistries lists only for other repository paths'], acme);
        assertOne(control, image("quay.io/acme/app:1.2"), ['registry "quay.io", which is not in allowedRegistries'], acme);
        assertPasses(control, image("nginx:1.27.1"), { allowedRegistries: ["docker.io/library"] });
    });

    it("handles unknown, secret and malformed values", () => {
        assertUnknown(control, image(UNKNOWN_STRING), path);
        const m = messages(control, image(secret("private.example.com/app:latest")));
        assert.equal(m.length, 1);
        assert.ok(!m[0].includes("private.example.com/app"), m[0]);
        assertMalformedReported(control);
        assertOne(control, image(42), [path, "malformed: expected a string, got a number"]);
    });
});
