import { Finding, resourceControl } from "../../core/control";
import { unsettled } from "../../core/check";
import { show } from "../../core/values";
import { normalizeHostPath } from "../../model/docker-container";

export interface HostDevicesConfig {
    /** Host devices that may be exposed (e.g. "/dev/fuse"). */
    readonly allowedDevices: readonly string[];
    /** cgroup parents that may be used. */
    readonly allowedCgroupParents: readonly string[];
    /** Device cgroup rules that may be granted, as written. */
    readonly allowedDeviceCgroupRules: readonly string[];
}

/** CIS Docker 5.18 (legacy 5.17) host devices, 5.25 (legacy 5.24) cgroup usage. */
export default resourceControl<"dockerContainer", HostDevicesConfig>({
    id: "docker-container-host-devices",
    title: "Docker containers get no host devices and stay in Docker's cgroup",
    description:
        "Elevation of privilege: a host device (a disk, /dev/mem, a GPU) gives the container raw access below every file permission; a custom cgroup parent escapes the resource limits and accounting Docker applies.",
    stride: "E",
    targets: ["docker"],
    refs: { docker: ["5.18", "5.25"], dockerLegacy: ["5.17", "5.24"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Remove `devices` from the docker.Container; if one device is truly needed, list it in `allowedDevices` and grant only `r`/`w` permissions, never `m`.",
        "Remove `cgroupParent` (or list a vetted parent in `allowedCgroupParents`).",
        "Compose: drop `devices`, `device_cgroup_rules`, `cgroup_parent`; docker run: drop `--device`, `--device-cgroup-rule`, `--cgroup-parent`.",
    ],
    config: {
        allowedDevices: { type: "array", items: { type: "string", minLength: 1 }, default: [], description: "Host devices that may be exposed." },
        allowedCgroupParents: { type: "array", items: { type: "string", minLength: 1 }, default: [], description: "cgroup parents that may be used." },
        allowedDeviceCgroupRules: {
            type: "array",
            items: { type: "string", minLength: 1 },
            default: [],
            description: 'Device cgroup rules that may be granted, as written (e.g. "c 10:200 rwm").',
        },
    },
    scope: "resource",
    subject: "dockerContainer",
    check(c, cfg) {
        const findings: Finding[] = [];
        const d = unsettled("devices", c.devices);
        if (d) findings.push(d);
        else {
            const allowed = new Set(cfg.allowedDevices.map(normalizeHostPath));
            const exposed = ((c.devices as readonly string[] | undefined) ?? []).filter((p) => !allowed.has(normalizeHostPath(p)));
            if (exposed.length > 0) {
                findings.push({
                    field: "devices",
                    message: `exposes host device${exposed.length > 1 ? "s" : ""} ${exposed.map((p) => show(p)).join(", ")}, giving raw access below file permissions. Remove ${exposed.length > 1 ? "them" : "it"}.`,
                });
            }
        }
        const r = unsettled("deviceCgroupRules", c.deviceCgroupRules);
        if (r) findings.push(r);
        else {
            const rules = ((c.deviceCgroupRules as readonly string[] | undefined) ?? []).filter((x) => !cfg.allowedDeviceCgroupRules.includes(x.trim()));
            if (rules.length > 0) {
                findings.push({
                    field: "deviceCgroupRules",
                    message: `grants access to host devices through ${rules.length > 1 ? `${rules.length} device cgroup rules` : "a device cgroup rule"} (${rules.map((x) => show(x)).join(", ")}), devices created later included. Remove ${rules.length > 1 ? "them" : "it"}.`,
                });
            }
        }
        const g = unsettled("cgroupParent", c.cgroupParent);
        if (g) findings.push(g);
        else if (typeof c.cgroupParent === "string" && c.cgroupParent.trim() !== "" && !cfg.allowedCgroupParents.includes(c.cgroupParent.trim())) {
            findings.push({ field: "cgroupParent", message: `places the container under cgroup ${show(c.cgroupParent)}, outside Docker's own. Remove it.` });
        }
        return findings;
    },
});
