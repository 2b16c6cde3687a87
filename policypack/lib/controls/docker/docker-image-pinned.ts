import { unsettled } from "../../core/check";
import { resourceControl } from "../../core/control";
import { show } from "../../core/values";
import { notAllowedText, parseImageRef, REGISTRY_ENTRY_PATTERN, registryAllowed } from "../../adapters/docker/image-ref";

export interface ImagePinnedConfig {
    /** Registries (`*` wildcard, e.g. "registry.example.com", "*.dkr.ecr.*.amazonaws.com") whose tagged images are trusted. */
    readonly allowedRegistries: readonly string[];
    /** Tags that never count as a pin. */
    readonly forbiddenTags: readonly string[];
}

/** CIS Docker 4.5 (content trust): what runs is the image that was reviewed, not whatever a tag points at today. */
export default resourceControl<"dockerImageRef", ImagePinnedConfig>({
    id: "docker-image-pinned",
    title: "Docker images are pinned by digest or come from a trusted registry with a fixed tag",
    description:
        "Tampering: a tag is a movable pointer; whoever can push to the repository (or sit between you and a registry you do not control) decides what `:latest` or `:1.2` runs next time, including in base images of your builds.",
    stride: "T",
    targets: ["docker"],
    refs: { docker: ["4.5"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Reference images by digest: `registry.example.com/app@sha256:…` (a docker.RemoteImage's `repoDigest`, or `imageId` for a container on the same host).",
        "Pin base images in Dockerfiles the same way: `FROM debian:12@sha256:…`, with a pinned default for any ARG the FROM uses.",
        "Or list your own registries in `allowedRegistries` and use immutable, versioned tags there (never `latest`); images you build and push always need such a tag.",
        "Compose: `image: registry.example.com/app@sha256:…`, and `FROM …@sha256:…` in the Dockerfile of a service that has `build:`; docker run: the same reference by digest.",
    ],
    config: {
        allowedRegistries: {
            type: "array",
            items: { type: "string", minLength: 1, maxLength: 512, pattern: REGISTRY_ENTRY_PATTERN },
            default: [],
            description:
                "Registries (`*` wildcard in the host), optionally with a repository path prefix (`ghcr.io/acme` admits `ghcr.io/acme/app`, not `ghcr.io/acmeevil`), whose non-latest tags count as pinned; empty: only digests do. For images the stack builds or pushes, a non-empty list also limits where they may go.",
        },
        forbiddenTags: { type: "array", items: { type: "string", minLength: 1 }, default: ["latest"], description: "Tags that never count as a pin." },
    },
    scope: "resource",
    subject: "dockerImageRef",
    check(m, cfg) {
        const u = unsettled("ref", m.ref);
        if (u) return [u];
        const raw = m.ref as string | undefined;
        if (raw === undefined) return m.use === "pull" ? [{ field: "ref", message: "names no image." }] : [];
        if (m.unresolved.length > 0) {
            return [
                {
                    field: "ref",
                    message: `uses build argument(s) ${m.unresolved.map((a) => `$${a}`).join(", ")} without a value, so the base image cannot be verified. Give each ARG a pinned default.`,
                },
            ];
        }
        const ref = parseImageRef(raw);
        if (typeof ref === "string") return [{ field: "ref", message: `${show(raw)} is not a valid image reference: ${ref}.` }];
        if (ref.digest !== undefined && m.use !== "push") return [];
        const allowed = cfg.allowedRegistries.some((p) => registryAllowed(p, ref));
        const tagProblem =
            ref.tag === undefined ? "has no tag, which means :latest" : cfg.forbiddenTags.includes(ref.tag) ? `uses the mutable tag :${ref.tag}` : undefined;
        if (m.use === "push") {
            if (tagProblem)
                return [
                    {
                        field: "ref",
                        message: `${show(raw)} ${tagProblem}; an image the stack builds or pushes needs a unique, versioned tag so that deployments can refer to exactly it.`,
                    },
                ];
            if (cfg.allowedRegistries.length > 0 && !allowed) {
                return [{ field: "ref", message: `${show(raw)} goes to registry ${show(ref.registry)}, ${notAllowedText(cfg.allowedRegistries, ref)}.` }];
            }
            return [];
        }
        if (allowed && !tagProblem) return [];
        const what = m.use === "base" ? "base image" : "image";
        const why = tagProblem ?? `is referenced by tag from ${show(ref.registry)}, ${notAllowedText(cfg.allowedRegistries, ref)}, and tags can be moved`;
        return [
            {
                field: "ref",
                message: `${what} ${show(raw)} ${why}. Pin it by digest (name@sha256:…)${allowed ? "" : " or pull it from an allow-listed registry"}.`,
            },
        ];
    },
});
