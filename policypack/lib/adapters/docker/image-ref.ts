/** Docker image references: `[registry/]repository[:tag][@digest]`, or a bare image ID `sha256:<hex>`. */

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
