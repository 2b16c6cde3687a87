/** Docker image references: `[registry/]repository[:tag][@digest]`, or a bare image ID `sha256:<hex>`. */
import { globMatch } from "../../core/settings";

export interface ImageRef {
    /** Registry host, "docker.io" when the reference names none. */
    readonly registry: string;
    readonly repository: string;
    readonly tag: string | undefined;
    readonly digest: string | undefined;
    /** A content-addressed image ID without a name (`sha256:…`), as RemoteImage.imageId gives. */
    readonly idOnly: boolean;
}

const DIGEST = /^(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

const cache = new Map<string, ImageRef | string>();
const CACHE_LIMIT = 4096;

/** Parses a reference; returns why it is not one otherwise. Results are cached: stacks repeat their images. */
export function parseImageRef(raw: string): ImageRef | string {
    let hit = cache.get(raw);
    if (hit === undefined) {
        if (cache.size >= CACHE_LIMIT) cache.clear();
        hit = parse(raw);
        cache.set(raw, hit);
    }
    return hit;
}

function parse(raw: string): ImageRef | string {
    const s = raw.trim();
    if (s === "") return "it is empty";
    if (s.startsWith("sha") && DIGEST.test(s)) return Object.freeze({ registry: "", repository: "", tag: undefined, digest: s, idOnly: true });
    let rest = s;
    let digest: string | undefined;
    const at = rest.indexOf("@");
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST.test(digest)) return "its digest is not algorithm:hex (e.g. sha256: and 64 hex digits)";
    }
    let tag: string | undefined;
    const colon = rest.lastIndexOf(":");
    if (colon > rest.lastIndexOf("/")) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag)) return "its tag is not a valid tag";
    }
    const parts = rest.split("/");
    let registry = "docker.io";
    if (parts.length > 1 && (parts[0].includes(".") || parts[0].includes(":") || parts[0] === "localhost")) {
        registry = parts.shift()!.toLowerCase();
    }
    if (parts.length === 0 || !parts.every((p) => PATH_COMPONENT.test(p))) return "its repository path is not lower-case name components";
    if (registry === "index.docker.io" || registry === "registry-1.docker.io") registry = "docker.io";
    return Object.freeze({ registry, repository: parts.join("/"), tag, digest, idOnly: false });
}

/**
 * `allowedRegistries` entries: a registry host (`*` wildcard, case-insensitive, as host names are), optionally
 * followed by a repository path prefix (`ghcr.io/acme`), compared case-sensitively (repository paths are
 * lower-case) and only at a `/` boundary, so `ghcr.io/acme` admits `ghcr.io/acme/app` and `ghcr.io/acme`
 * itself but neither `ghcr.io/acmeevil/app` nor `ghcr.io/acme-x`. No `*` in the path: a prefix already covers
 * everything below it. Docker Hub is implicit for bare names, as `docker.io/library/…` for one-component
 * names (`nginx`); a one-component Hub entry (`docker.io/nginx`) names both that official image (the way
 * `docker pull docker.io/nginx` reads it) and the `nginx/` namespace.
 */
export const REGISTRY_ENTRY_PATTERN = "^[^/\\s]+(/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*$";

/** Whether a parsed (non-ID) reference comes from an `allowedRegistries` entry; see REGISTRY_ENTRY_PATTERN. */
export function registryAllowed(entry: string, ref: ImageRef): boolean {
    const slash = entry.indexOf("/");
    let host = (slash < 0 ? entry : entry.slice(0, slash)).toLowerCase();
    if (host === "index.docker.io" || host === "registry-1.docker.io") host = "docker.io";
    if (!globMatch(host, ref.registry)) return false;
    if (slash < 0) return true;
    const prefix = entry.slice(slash + 1);
    const hub = ref.registry === "docker.io";
    const repo = hub && !ref.repository.includes("/") ? `library/${ref.repository}` : ref.repository;
    if (repo === prefix || (repo.startsWith(prefix) && repo.charCodeAt(prefix.length) === 0x2f)) return true;
    return hub && !prefix.includes("/") && repo === `library/${prefix}`;
}

/** The end of a sentence naming a reference's registry that no entry admits: whether the registry is listed for other paths. */
export function notAllowedText(entries: readonly string[], ref: ImageRef): string {
    const hostListed = entries.some((e) => e.includes("/") && registryAllowed(e.slice(0, e.indexOf("/")), ref));
    // The repository path is not shown: a secret reference is redacted whole, and its parts would escape that.
    return hostListed ? "which allowedRegistries lists only for other repository paths" : "which is not in allowedRegistries";
}
