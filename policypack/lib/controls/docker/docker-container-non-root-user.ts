import { resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { show } from "../../kernel/values";

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
        "Build images with a `USER` instruction, and still state the user here so that it is checked at preview.",
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
        if (user === undefined || user === "") {
            return [{ field: "user", message: "is not set, so the image's user applies (root unless the image sets USER). Set a non-root uid:gid." }];
        }
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
