import { Finding, resourceControl } from "../../core/control";
import { unsettled } from "../../core/check";
import { show, V } from "../../core/values";
import { BuiltImage } from "../../model/docker-container";

export interface NonRootUserConfig {
    /** User names or ids that count as root (numeric ids are compared as numbers). */
    readonly forbiddenUsers: readonly string[];
    /** Also fail a root primary group (`1000:0`, `app:root`). */
    readonly forbidRootGroup: boolean;
}

function isForbidden(part: string, forbidden: readonly string[]): boolean {
    const p = part.trim();
    const asNumber = /^\d+$/.test(p) ? String(Number(p)) : undefined;
    return forbidden.some((f) => f === p || (asNumber !== undefined && /^\d+$/.test(f) && String(Number(f)) === asNumber));
}

/** CIS Docker 4.1 (same id in 1.2.0). */
export default resourceControl<"dockerContainer", NonRootUserConfig>({
    id: "docker-container-non-root-user",
    title: "Docker containers run as a non-root user",
    description:
        "Elevation of privilege: root in a container is root on the host's kernel; any escape (a kernel bug, a mounted socket, a writable host path) starts with full privileges. Without `user`, the image's USER applies, and that is root unless the image says otherwise.",
    stride: "E",
    targets: ["docker"],
    refs: { docker: ["4.1"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        'Set `user: "10001:10001"` (a dedicated uid:gid) on the docker.Container (docker.Service: `taskSpec.containerSpec.user`); make the files the process writes owned by that user.',
        "Build images with a `USER` instruction, and still state the user here so that it is checked at preview (a Compose service built from a Dockerfile is judged on that Dockerfile's USER).",
        'Compose: `user: "10001:10001"`; docker run: `--user 10001:10001`.',
    ],
    config: {
        forbiddenUsers: {
            type: "array",
            items: { type: "string", minLength: 1 },
            default: ["root", "0"],
            description: "User names or ids that count as root.",
        },
        forbidRootGroup: { type: "boolean", default: false, description: "Also fail a root primary group (e.g. 1000:0)." },
    },
    scope: "resource",
    subject: "dockerContainer",
    check(c, cfg) {
        const u = unsettled("user", c.user);
        if (u) return [u];
        const user = (c.user as string | undefined)?.trim();
        if (user === undefined || user === "") return builtImageUser(c.builtImage, cfg);
        const [name, group] = user.split(":", 2);
        if (isForbidden(name, cfg.forbiddenUsers)) {
            return [{ field: "user", message: `is ${show(c.user)}, which runs the container as root. Set a non-root uid:gid.` }];
        }
        if (cfg.forbidRootGroup && group !== undefined && isForbidden(group, cfg.forbiddenUsers)) {
            return [{ field: "user", message: `is ${show(c.user)}, whose primary group is root. Set a non-root group.` }];
        }
        return [];
    },
});

const NOT_SET = "is not set, so the image's user applies (root unless the image sets USER). Set a non-root uid:gid.";

/** Without `user`, an image the source builds runs as its Dockerfile's USER: judge that. */
function builtImageUser(built: V<BuiltImage>, cfg: NonRootUserConfig): Finding[] {
    if (built === undefined) return [{ field: "user", message: NOT_SET }];
    const u = unsettled("builtImage", built);
    if (u) return [u];
    const b = built as BuiltImage;
    if (b.unreadable !== undefined || b.user === undefined) {
        return [
            {
                field: "user",
                message: `is not set, and the image is built from ${b.dockerfile}, which cannot be read (${b.unreadable ?? "no stage"}), so the user it runs as is not known. Set a non-root uid:gid.`,
            },
        ];
    }
    if (b.user.kind === "inherited") {
        return [
            {
                field: "user",
                message: `is not set, and ${b.dockerfile} sets no USER, so the base image ${show(b.user.base)}'s user applies (root unless it sets one). Add a non-root USER to the Dockerfile or set user here.`,
            },
        ];
    }
    const at = `${b.dockerfile}:${b.user.line}`;
    if (b.user.missing.length > 0) {
        return [{ field: "user", message: `is not set, and USER at ${at} uses build argument(s) without a value, so the user is not known. Set user here.` }];
    }
    const [name, group] = b.user.user.split(":", 2);
    if (name.trim() === "" || isForbidden(name, cfg.forbiddenUsers)) {
        return [{ field: "user", message: `is not set, and USER at ${at} is ${show(b.user.user)}, which runs the container as root. Set a non-root uid:gid.` }];
    }
    if (cfg.forbidRootGroup && group !== undefined && isForbidden(group, cfg.forbiddenUsers)) {
        return [{ field: "user", message: `is not set, and USER at ${at} is ${show(b.user.user)}, whose primary group is root. Set a non-root group.` }];
    }
    return [];
}
