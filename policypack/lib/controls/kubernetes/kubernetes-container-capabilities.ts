import { Finding, resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { show } from "../../kernel/values";
import { capabilityName as capName } from "../../model/container";
import { isWindows, pssCheck, pssLevelOf, PSS_CONFIG, PssConfig } from "./pss";

/** PSS baseline: capabilities a container may add (the container runtimes' default set). */
export const BASELINE_CAPABILITIES: readonly string[] = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

export interface CapabilitiesConfig extends PssConfig {
    /** Capabilities a container may add at the restricted level (PSS: only NET_BIND_SERVICE). */
    readonly restrictedAllowedAdd: readonly string[];
}

/**
 * CIS Kubernetes 5.2.8 (NET_RAW), 5.2.9 (capabilities assigned); PSS baseline and restricted "Capabilities".
 * Baseline: add nothing beyond the runtime's default set. Restricted (Linux pods): drop ALL, add only NET_BIND_SERVICE.
 */
export default resourceControl<"kubernetesContainer", CapabilitiesConfig>({
    id: "kubernetes-container-capabilities",
    title: "Kubernetes containers drop all capabilities and add back only what they need",
    description:
        "Elevation of privilege: capabilities split root's power; SYS_ADMIN, NET_ADMIN, SYS_PTRACE or SYS_MODULE each open a path to the node, and the runtime's default set (NET_RAW, SETUID, DAC_OVERRIDE, …) still serves spoofing and escalation unless dropped.",
    stride: "E",
    targets: ["kubernetes"],
    refs: { kubernetes: ["5.2.8", "5.2.9"] },
    pss: "baseline",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        'Set `securityContext.capabilities.drop: ["ALL"]` on every container.',
        'Add back only what the process needs, at most `NET_BIND_SERVICE` under the restricted level (`capabilities.add: ["NET_BIND_SERVICE"]`).',
        "Under baseline, never add a capability outside the runtime's default set (no SYS_ADMIN, NET_ADMIN, NET_RAW, SYS_PTRACE, …).",
    ],
    config: {
        ...PSS_CONFIG,
        restrictedAllowedAdd: {
            type: "array",
            items: { type: "string", minLength: 1 },
            default: ["NET_BIND_SERVICE"],
            description: "Capabilities a container may add where the restricted level applies.",
        },
    },
    scope: "resource",
    subject: "kubernetesContainer",
    check(c, cfg) {
        return pssCheck(cfg, c.pod, "baseline", (level) => {
            const restricted = level === "restricted" && !isWindows(c.pod.os);
            const findings: Finding[] = [];
            const u = unsettled("capabilitiesAdd", c.capabilitiesAdd);
            if (u) findings.push(u);
            else if (((c.capabilitiesAdd as readonly string[] | undefined) ?? []).length > 0) {
                // Only a container that adds capabilities needs the allowed list (most add none).
                const allowed = restricted ? cfg.restrictedAllowedAdd.map(capName) : BASELINE_CAPABILITIES;
                const extra = (c.capabilitiesAdd as readonly string[]).filter((a: string) => !allowed.includes(capName(a)));
                if (extra.length > 0) {
                    const limit = restricted
                        ? `only ${allowed.join(", ") || "nothing"} may be added under PSS restricted`
                        : "only the runtime's default set may be added under PSS baseline";
                    findings.push({
                        field: "capabilitiesAdd",
                        message: `adds ${extra.map(show).join(", ")}; ${limit}. Remove ${extra.length === 1 ? "it" : "them"}.`,
                    });
                }
            }
            if (restricted) {
                const d = unsettled("capabilitiesDrop", c.capabilitiesDrop);
                if (d) findings.push(d);
                else if (!((c.capabilitiesDrop as readonly string[] | undefined) ?? []).includes("ALL")) {
                    findings.push({
                        field: "capabilitiesDrop",
                        message:
                            'does not drop "ALL", so the runtime\'s default capabilities (NET_RAW, SETUID, DAC_OVERRIDE, …) remain; PSS restricted requires dropping ALL. Drop ALL and add back only what is needed.',
                    });
                }
            }
            return findings;
        });
    },
    remediate(c, cfg) {
        if (pssLevelOf(cfg, c.pod.namespace) !== "restricted" || isWindows(c.pod.os)) return [];
        const drop = c.capabilitiesDrop;
        return drop === undefined || (Array.isArray(drop) && !drop.includes("ALL")) ? [{ field: "capabilitiesDrop", value: ["ALL"] }] : [];
    },
});
