import { resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { pssCheck, isWindows, PSS_CONFIG, PssConfig } from "./pss";

/** CIS Kubernetes 5.2.6; PSS restricted "Privilege Escalation" (Linux pods). */
export default resourceControl<"kubernetesContainer", PssConfig>({
    id: "kubernetes-no-privilege-escalation",
    title: "Kubernetes containers set allowPrivilegeEscalation to false",
    description:
        "Elevation of privilege: unless allowPrivilegeEscalation is false, no_new_privs is not set and a process can gain privileges through setuid binaries or file capabilities (the Kubernetes default is to allow it).",
    stride: "E",
    targets: ["kubernetes"],
    refs: { kubernetes: ["5.2.6"] },
    pss: "restricted",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Set `securityContext.allowPrivilegeEscalation: false` on every container, initContainer and ephemeralContainer.",
        "It is always true for privileged containers and with CAP_SYS_ADMIN: remove those as well.",
    ],
    config: PSS_CONFIG,
    scope: "resource",
    subject: "kubernetesContainer",
    check(c, cfg) {
        return pssCheck(cfg, c.pod, "restricted", () => {
            if (isWindows(c.pod.os)) return [];
            const u = unsettled("allowPrivilegeEscalation", c.allowPrivilegeEscalation);
            if (u) return [u];
            if (c.allowPrivilegeEscalation === false) return [];
            const what = c.allowPrivilegeEscalation === undefined ? "is unset, and Kubernetes then allows privilege escalation" : "is true";
            return [{ field: "allowPrivilegeEscalation", message: `${what}: setuid binaries can raise privileges. Set it to false.` }];
        });
    },
    remediate(c) {
        return c.allowPrivilegeEscalation === undefined || c.allowPrivilegeEscalation === true ? [{ field: "allowPrivilegeEscalation", value: false }] : [];
    },
});
