import { resourceControl } from "../../core/control";
import { eachEntry, securityOpt } from "../../model/docker-container";

export interface SecurityProfilesConfig {
    /** Confinements that may be switched off: "seccomp" and/or "apparmor". */
    readonly allowUnconfined: readonly string[];
}

const CONFINEMENTS: Readonly<Record<string, { readonly cis?: string; readonly name: string; readonly what: string }>> = {
    seccomp: { cis: "5.22", name: "seccomp", what: "every system call reaches the host kernel" },
    apparmor: { cis: "5.2", name: "AppArmor", what: "the container loses its mandatory access control profile" },
    // No CIS item: `--security-opt systempaths=unconfined` unmasks what Docker hides in /proc and /sys.
    systempaths: {
        name: "masked system paths",
        what: "/proc and /sys paths Docker masks or mounts read-only (/proc/kcore, /proc/sysrq-trigger, /sys/firmware, …) become readable and writable",
    },
};

/** CIS Docker 5.22 (legacy 5.21) seccomp, 5.2 (legacy 5.1) AppArmor. */
export default resourceControl<"dockerContainer", SecurityProfilesConfig>({
    id: "docker-container-security-profiles",
    title: "Docker containers keep their seccomp and AppArmor profiles and masked system paths",
    description:
        "Elevation of privilege: `seccomp=unconfined` exposes the whole kernel syscall surface (the usual container-escape route) and `apparmor=unconfined` removes the profile that blocks writes to /proc, /sys and mounts.",
    stride: "E",
    targets: ["docker"],
    refs: { docker: ["5.22", "5.2"], dockerLegacy: ["5.21", "5.1"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Remove `seccomp=unconfined`, `apparmor=unconfined` and `systempaths=unconfined` from `securityOpts`; Docker then applies its default profiles and masks.",
        "If the default seccomp profile blocks a call the workload needs, ship a custom profile that allows that call only: `seccomp=/path/profile.json`.",
        "Compose: `security_opt`; docker run: `--security-opt`.",
    ],
    config: {
        allowUnconfined: {
            type: "array",
            items: { type: "string", enum: Object.keys(CONFINEMENTS) },
            default: [],
            description: 'Confinements that may be switched off ("seccomp", "apparmor", "systempaths").',
        },
    },
    scope: "resource",
    subject: "dockerContainer",
    check(c, cfg) {
        return eachEntry("securityOpts", c.securityOpts, (entry) => {
            const { key, value } = securityOpt(entry);
            const conf = Object.prototype.hasOwnProperty.call(CONFINEMENTS, key) ? CONFINEMENTS[key] : undefined;
            if (conf === undefined || value?.toLowerCase() !== "unconfined" || cfg.allowUnconfined.includes(key)) return undefined;
            return {
                field: "securityOpts",
                message: `switches the ${conf.name} ${key === "systempaths" ? "protection" : "profile"} off (unconfined${conf.cis ? `, CIS ${conf.cis}` : ""}): ${conf.what}. Remove it and keep the default${key === "systempaths" ? "" : " profile, or ship a custom one"}.`,
            };
        });
    },
});
