import { resourceControl } from "../../core/control";
import { unsettled } from "../../core/check";
import { show } from "../../core/values";

export interface ImageConfig {
    /** Require a digest (`@sha256:…`); otherwise a tag other than `latest` passes. */
    readonly requireDigest: boolean;
    /** Registries images may come from (e.g. "registry.example.com"); empty allows any. */
    readonly allowedRegistries: readonly string[];
}

/** Splits an image reference into registry, tag and digest (Docker's reference grammar, loosely). */
export function parseImage(ref: string): { registry: string; tag?: string; digest?: string } {
    const at = ref.indexOf("@");
    const digest = at >= 0 ? ref.slice(at + 1) : undefined;
    const nameTag = at >= 0 ? ref.slice(0, at) : ref;
    const slash = nameTag.indexOf("/");
    const first = slash >= 0 ? nameTag.slice(0, slash) : "";
    const registry = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost") ? first : "docker.io";
    const colon = nameTag.lastIndexOf(":");
    const tag = colon > nameTag.lastIndexOf("/") ? nameTag.slice(colon + 1) : undefined;
    return { registry, tag, digest };
}

const DIGEST = /^(?:sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;

export default resourceControl<"kubernetesContainer", ImageConfig>({
    id: "kubernetes-image-pinned",
    title: "Kubernetes container images are pinned by digest or a fixed tag",
    description:
        "Tampering: an image referenced by `latest` (or no tag) changes whenever someone pushes; a compromised registry account or a bad build silently replaces the code the cluster runs.",
    stride: "T",
    targets: ["kubernetes"],
    refs: {},
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Reference images by digest: `registry.example.com/app@sha256:<digest>` (resolve it in the program, e.g. from a docker.RegistryImage's sha256Digest).",
        "At least use an immutable version tag (`app:1.4.2`), never `latest` or no tag; set `requireDigest` to insist on digests.",
        "Pull only from the registries listed in `allowedRegistries`.",
    ],
    config: {
        requireDigest: { type: "boolean", default: false, description: "Require a sha256 digest rather than a tag." },
        allowedRegistries: { type: "array", items: { type: "string", minLength: 1 }, default: [], description: "Registries images may come from; empty allows any." },
    },
    scope: "resource",
    subject: "kubernetesContainer",
    check(c, cfg) {
        const u = unsettled("image", c.image);
        if (u) return [u];
        if (c.image === undefined || c.image === "") return [{ field: "image", message: "is not set, so the image cannot be verified. Set a pinned image." }];
        const img = parseImage(c.image as string);
        if (cfg.allowedRegistries.length > 0 && !cfg.allowedRegistries.includes(img.registry)) {
            return [{ field: "image", message: `comes from registry ${show(img.registry)}, not one of the allowed registries (${cfg.allowedRegistries.join(", ")}).` }];
        }
        if (img.digest !== undefined) {
            return DIGEST.test(img.digest) ? [] : [{ field: "image", message: "has a malformed digest; use @sha256: followed by 64 lowercase hex digits." }];
        }
        if (cfg.requireDigest) return [{ field: "image", message: "is referenced by tag, which can be moved to other content. Reference it by digest (@sha256:…)." }];
        if (img.tag === undefined || img.tag === "latest") {
            return [{ field: "image", message: `${img.tag === undefined ? "has no tag, which means latest" : 'uses the "latest" tag'}: what runs changes with every push. Pin a digest or a version tag.` }];
        }
        return [];
    },
});
