import { resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { show } from "../../kernel/values";
import { expressible, settledList, TmpfsFix } from "../../model/docker-container";

export interface ReadOnlyRootfsConfig {
    /** Container paths a remediation backs with tmpfs so that the application can still write scratch files. */
    readonly tmpfsPaths: readonly string[];
    /** Size of each tmpfs a remediation adds, in MB. */
    readonly tmpfsSizeMb: number;
}

/** CIS Docker 5.13 (legacy 5.12). */
export default resourceControl<"dockerContainer", ReadOnlyRootfsConfig>({
    id: "docker-container-read-only-rootfs",
    title: "Docker containers mount their root filesystem read-only",
    description:
        "Tampering: a writable root filesystem lets an intruder replace binaries, plant tools and persist changes inside the container; a read-only root confines writes to declared volumes and tmpfs.",
    stride: "T",
    targets: ["docker"],
    refs: { docker: ["5.13"], dockerLegacy: ["5.12"] },
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Set `readOnly: true` on the docker.Container (docker.Service: `taskSpec.containerSpec.readOnly: true`).",
        'Give the paths the application writes to a tmpfs (`tmpfs: { "/tmp": "rw,nosuid,nodev,size=64m" }`; service: a `type: "tmpfs"` mount) or a volume.',
        "Compose: `read_only: true` with `tmpfs: [/tmp]`; docker run: `--read-only --tmpfs /tmp`.",
    ],
    config: {
        tmpfsPaths: { type: "array", items: { type: "string", minLength: 1 }, default: ["/tmp"], description: "Paths a remediation backs with tmpfs." },
        tmpfsSizeMb: { type: "integer", minimum: 1, default: 64, description: "Size (MB) of each tmpfs a remediation adds." },
    },
    scope: "resource",
    subject: "dockerContainer",
    check(c) {
        const u = unsettled("readOnlyRootFilesystem", c.readOnlyRootFilesystem);
        if (u) return [u];
        if (c.readOnlyRootFilesystem === true) return [];
        const what = c.readOnlyRootFilesystem === undefined ? "is not set, so the root filesystem is writable" : `is ${show(c.readOnlyRootFilesystem)}`;
        return [{ field: "readOnlyRootFilesystem", message: `${what}; set it to true and give writable paths a tmpfs or a volume.` }];
    },
    remediate(c, cfg) {
        if (c.readOnlyRootFilesystem === true || !expressible(c, "readOnlyRootFilesystem")) return [];
        // Without knowing which paths are already writable, a read-only root could break the application: no fix.
        const tmpfs = settledList(c.tmpfsTargets);
        const mounts = settledList(c.mounts);
        if (tmpfs === undefined || mounts === undefined || !expressible(c, "tmpfsTargets")) return [];
        const fixes: { field: string; value: unknown }[] = [{ field: "readOnlyRootFilesystem", value: true }];
        const covered = new Set<unknown>([...tmpfs, ...mounts.map((m) => m.target)]);
        const add: TmpfsFix[] = cfg.tmpfsPaths.filter((p) => !covered.has(p)).map((target) => ({ target, sizeMb: cfg.tmpfsSizeMb }));
        if (add.length > 0) fixes.push({ field: "tmpfsTargets", value: add });
        return fixes;
    },
});
