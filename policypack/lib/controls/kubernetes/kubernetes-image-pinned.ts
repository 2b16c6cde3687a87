import { resourceControl } from "../../core/control";
import { unsettled } from "../../core/check";
import { show } from "../../core/values";
import { notAllowedText, parseImageRef, REGISTRY_ENTRY_PATTERN, registryAllowed } from "../../adapters/docker/image-ref";

export interface ImageConfig {
    /** Require a digest (`@sha256:…`); otherwise a tag outside `forbiddenTags` passes. */
    readonly requireDigest: boolean;
    /** Registries (`*` wildcard) images may come from, e.g. "registry.example.com"; empty allows any. */
    readonly allowedRegistries: readonly string[];
    /** Tags that never count as a pin. */
    readonly forbiddenTags: readonly string[];
}

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
        requireDigest: { type: "boolean", default: false, description: "Require a digest rather than a tag." },
        allowedRegistries: {
            type: "array",
            items: { type: "string", minLength: 1, maxLength: 512, pattern: REGISTRY_ENTRY_PATTERN },
            default: [],
            description:
                "Registries (`*` wildcard in the host), optionally with a repository path prefix (`ghcr.io/acme` admits `ghcr.io/acme/app`, not `ghcr.io/acmeevil`), images may come from; empty allows any.",
        },
        forbiddenTags: { type: "array", items: { type: "string", minLength: 1 }, default: ["latest"], description: "Tags that never count as a pin." },
    },
    scope: "resource",
    subject: "kubernetesContainer",
    check(c, cfg) {
        const u = unsettled("image", c.image);
        if (u) return [u];
        if (c.image === undefined || c.image === "") return [{ field: "image", message: "is not set, so the image cannot be verified. Set a pinned image." }];
        const ref = parseImageRef(c.image as string);
        if (typeof ref === "string") return [{ field: "image", message: `is not a valid image reference: ${ref}.` }];
        if (!ref.idOnly && cfg.allowedRegistries.length > 0 && !cfg.allowedRegistries.some((p) => registryAllowed(p, ref))) {
            return [{ field: "image", message: `comes from registry ${show(ref.registry)}, ${notAllowedText(cfg.allowedRegistries, ref)}.` }];
        }
        if (ref.digest !== undefined) return [];
        if (cfg.requireDigest)
            return [{ field: "image", message: "is referenced by tag, which can be moved to other content. Reference it by digest (@sha256:…)." }];
        if (ref.tag === undefined)
            return [{ field: "image", message: "has no tag, which means latest: what runs changes with every push. Pin a digest or a version tag." }];
        if (cfg.forbiddenTags.includes(ref.tag))
            return [{ field: "image", message: `uses the mutable tag ${show(ref.tag)}: what runs changes with every push. Pin a digest or a version tag.` }];
        return [];
    },
});
