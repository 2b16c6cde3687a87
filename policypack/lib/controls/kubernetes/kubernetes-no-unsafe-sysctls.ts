import { resourceControl } from "../../contract/control";
import { show } from "../../kernel/values";
import { Located } from "../../model/kubernetes-container";
import { pssCheck, PSS_CONFIG, PssConfig } from "./pss";
import { eachBad } from "../shared/findings";

/** PSS baseline "Sysctls": the namespaced sysctls Kubernetes treats as safe (as of 1.32). */
export const SAFE_SYSCTLS: readonly string[] = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
];

/** `kernel/shm_rmid_forced` → `kernel.shm_rmid_forced` (sysctl.d: with a leading `/` separator, `/` and `.` swap). */
export function sysctlName(name: string): string {
    const sep = /[./]/.exec(name);
    return sep && sep[0] === "/" ? name.replace(/[./]/g, (ch) => (ch === "/" ? "." : "/")) : name;
}

export interface SysctlsConfig extends PssConfig {
    readonly allowedSysctls: readonly string[];
}

export default resourceControl<"pod", SysctlsConfig>({
    id: "kubernetes-no-unsafe-sysctls",
    title: "Kubernetes pods set only safe sysctls",
    description:
        "Elevation of privilege: an unsafe sysctl is not isolated per pod; it changes kernel behaviour for the whole node (or disables a protection) and can starve or expose neighbours.",
    stride: "E",
    targets: ["kubernetes"],
    refs: {},
    pss: "baseline",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: [
        `Set only the safe sysctls in \`securityContext.sysctls\`: ${SAFE_SYSCTLS.join(", ")}.`,
        "Tune anything else on the node, not from a pod.",
    ],
    config: {
        ...PSS_CONFIG,
        allowedSysctls: { type: "array", items: { type: "string", minLength: 1 }, default: [], description: "Further sysctls allowed beside the safe set." },
    },
    scope: "resource",
    subject: "pod",
    check(p, cfg) {
        return pssCheck(cfg, p, "baseline", () => {
            return eachBad<Located<string>>(
                "sysctls",
                p.sysctls,
                (s) => !SAFE_SYSCTLS.includes(sysctlName(s.value)) && !cfg.allowedSysctls.includes(sysctlName(s.value)),
                (s) => ({
                    field: s.path,
                    message: `sets the unsafe sysctl ${show(s.value)}, which is not isolated to the pod. Remove it; tune the node instead.`,
                }),
            );
        });
    },
});
