import { stackControl, StackFinding } from "../../core/control";
import { dockerHostSubject, hostExempt } from "../../model/docker-daemon";

/**
 * CIS Docker 1.6.0 1.1.1 (1.2.0: 1.2.1). Only a scanned machine shows its mount table (`scan host` reads the
 * running dockerd's /proc/PID/mountinfo); a stack's declarations cannot show a partition, so hosts of a stack
 * are not judged here.
 */
export default stackControl<object>({
    id: "docker-host-data-root-partition",
    title: "Docker's data root is a filesystem of its own",
    description:
        "Denial of service: when the data root (/var/lib/docker) shares a filesystem with the host, a container that fills its writable layer, its volumes or its logs fills the host's filesystem too, and the host and every container on it stop.",
    stride: "D",
    targets: ["docker"],
    refs: { docker: ["1.1.1"], dockerLegacy: ["1.2.1"] },
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: [
        "Give the data root a partition or logical volume of its own and mount it there (e.g. an LVM volume at /var/lib/docker in /etc/fstab) before dockerd first starts.",
        "On a machine already in use: stop dockerd, copy /var/lib/docker to the new filesystem, mount it at the data root, start dockerd.",
    ],
    config: {},
    scope: "stack",
    check(stack, cfg) {
        const findings: StackFinding[] = [];
        for (const h of stack.dockerHosts) {
            const d = h.observed?.dataRoot;
            if (d === undefined || hostExempt(cfg, h)) continue;
            const base = { urn: h.anchor.urn, subject: dockerHostSubject(h), field: `data root ${d.path}` };
            if (d.mount.state === "unknown")
                findings.push({ ...base, unknown: true, message: `whether it is a filesystem of its own cannot be told: ${d.mount.why}.` });
            else if (d.mount.state === "shared")
                findings.push({
                    ...base,
                    message: `is not a filesystem of its own (${d.mount.source}): it shares the filesystem mounted at ${d.mount.on}, so a container that fills its layer, volumes or logs fills that filesystem too. Give it a partition of its own.`,
                });
        }
        return findings;
    },
});
