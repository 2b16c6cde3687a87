import { Finding, resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { show } from "../../kernel/values";

export interface CapabilitiesConfig {
    /** Capabilities that may be added back after dropping ALL (names with or without `CAP_`). */
    readonly allowedCapabilities: readonly string[];
}

/** "cap_net_admin" → "NET_ADMIN". */
function capName(c: string): string {
    const u = c.trim().toUpperCase();
    return u.startsWith("CAP_") ? u.slice(4) : u;
}

/** CIS Docker 5.4 (legacy 5.3). */
export default resourceControl<"dockerContainer", CapabilitiesConfig>({
    id: "docker-container-capabilities",
    title: "Docker containers drop all capabilities and add back only allowed ones",
    description:
        "Elevation of privilege: Docker's default capability set (CHOWN, DAC_OVERRIDE, FOWNER, SETUID, NET_RAW, …) lets a compromised process change file ownership, bypass permissions, spoof packets and switch users; added capabilities such as SYS_ADMIN are near-root.",
    stride: "E",
    targets: ["docker"],
    refs: { docker: ["5.4"], dockerLegacy: ["5.3"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        'Set `capabilities: { drops: ["ALL"], adds: ["NET_BIND_SERVICE"] }` on the docker.Container, adding only what the process needs (docker.Service: `taskSpec.containerSpec.capDrops`/`capAdds`).',
        "Compose: `cap_drop: [ALL]`, `cap_add: [...]`; docker run: `--cap-drop ALL --cap-add ...`.",
        "A capability the workload truly needs goes into `allowedCapabilities`.",
    ],
    config: {
        allowedCapabilities: {
            type: "array",
            items: { type: "string", minLength: 1 },
            default: ["NET_BIND_SERVICE"],
            description: "Capabilities that may be added back.",
        },
    },
    scope: "resource",
    subject: "dockerContainer",
    check(c, cfg) {
        const findings: Finding[] = [];
        const d = unsettled("capabilitiesDrop", c.capabilitiesDrop);
        if (d) findings.push(d);
        else if (!((c.capabilitiesDrop as readonly string[] | undefined) ?? []).some((x) => capName(x) === "ALL")) {
            findings.push({
                field: "capabilitiesDrop",
                message:
                    "does not drop ALL capabilities, so Docker's default set (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW, …) stays. Drop ALL and add back only what is needed.",
            });
        }
        const a = unsettled("capabilitiesAdd", c.capabilitiesAdd);
        if (a) findings.push(a);
        else {
            const allowed = new Set(cfg.allowedCapabilities.map(capName));
            // Messages show entries as written: a transformed copy of a secret would escape redaction.
            const extra = ((c.capabilitiesAdd as readonly string[] | undefined) ?? []).filter((x) => !allowed.has(capName(x)));
            if (extra.length > 0) {
                findings.push({
                    field: "capabilitiesAdd",
                    message: `adds ${extra.map((x) => show(x)).join(", ")}, beyond the allowed ${cfg.allowedCapabilities.length ? cfg.allowedCapabilities.join(", ") : "(none)"}. Remove them or allow them explicitly.`,
                });
            }
        }
        return findings;
    },
    remediate(c) {
        // Dropping ALL keeps explicit adds (Docker applies them after the drop); adds are left to a human.
        const drops = c.capabilitiesDrop;
        if (drops !== undefined && !Array.isArray(drops)) return [];
        return ((drops as readonly string[] | undefined) ?? []).some((x) => capName(x) === "ALL") ? [] : [{ field: "capabilitiesDrop", value: ["ALL"] }];
    },
});
