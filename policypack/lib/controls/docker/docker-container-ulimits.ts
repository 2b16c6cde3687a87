import { resourceControl } from "../../core/control";
import { unsettled } from "../../core/check";
import { V } from "../../core/values";
import { DockerUlimit, eachEntry } from "../../model/docker-container";

export interface UlimitsConfig {
    /** Ulimits (by name, e.g. "memlock") that may be raised to unlimited. */
    readonly allowUnlimited: readonly string[];
}

/** Docker and Compose spell "no limit" as -1 (docker-bench flags every override; lowering a limit only helps). */
const isUnlimited = (v: V<number>) => typeof v === "number" && v < 0;

/** CIS Docker 5.19 (legacy 5.18): the default ulimits are overridden only where needed. */
export default resourceControl<"dockerContainer", UlimitsConfig>({
    id: "docker-container-ulimits",
    title: "Docker containers do not lift the daemon's default ulimits",
    description:
        "Denial of service: the daemon's default ulimits bound what one container can take of the host's open files, processes and locked memory; a container that overrides one to unlimited can exhaust it for every other container and the host.",
    stride: "D",
    targets: ["docker"],
    refs: { docker: ["5.19"], dockerLegacy: ["5.18"] },
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: [
        "Remove unlimited (`-1`) entries from the docker.Container's `ulimits`; set a bounded soft and hard limit where the workload needs more than the default.",
        "If a workload truly needs an unlimited ulimit (e.g. `memlock` for a database), list its name in `allowUnlimited` and give the container a memory limit.",
        "Compose: `ulimits: { nofile: { soft: 65536, hard: 65536 } }` instead of `-1`; docker run: `--ulimit nofile=65536:65536`.",
    ],
    config: {
        allowUnlimited: { type: "array", items: { type: "string", minLength: 1 }, default: [], description: "Ulimits that may be raised to unlimited." },
    },
    scope: "resource",
    subject: "dockerContainer",
    check(c, cfg) {
        return eachEntry<DockerUlimit>("ulimits", c.ulimits, (u) => {
            const n = unsettled("ulimits", u.name);
            if (n) return n;
            const name = typeof u.name === "string" ? u.name : "";
            for (const v of [u.soft, u.hard]) {
                const s = unsettled("ulimits", v);
                if (s) return s;
            }
            if (!(isUnlimited(u.soft) || isUnlimited(u.hard)) || cfg.allowUnlimited.includes(name)) return undefined;
            const shown = /^[a-z]{1,16}$/.test(name) ? `"${name}"` : "a ulimit";
            return { field: "ulimits", message: `lifts ${shown} to unlimited, so the container can exhaust it for the host. Set a bounded limit.` };
        });
    },
});
