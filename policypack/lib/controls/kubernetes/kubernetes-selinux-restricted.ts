import { resourceControl } from "../../contract/control";
import { pssCheck, PSS_CONFIG, PssConfig } from "./pss";
import { unlessOneOf } from "../shared/findings";

/** PSS baseline "SELinux": the types container runtimes confine containers with. */
export const SELINUX_TYPES: readonly string[] = ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

export default resourceControl<"kubernetesContainer", PssConfig>({
    id: "kubernetes-selinux-restricted",
    title: "Kubernetes containers keep a confined SELinux type and no custom user or role",
    description:
        "Elevation of privilege: a custom SELinux type (spc_t, unconfined_t) or user/role lifts the label-based confinement that keeps a container from the node's files and processes.",
    stride: "E",
    targets: ["kubernetes"],
    refs: {},
    pss: "baseline",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Remove `securityContext.seLinuxOptions.type`, or set it to container_t, container_init_t, container_kvm_t or container_engine_t.",
        "Remove `seLinuxOptions.user` and `seLinuxOptions.role`; set only `level` where volumes need a shared MCS label.",
    ],
    config: PSS_CONFIG,
    scope: "resource",
    subject: "kubernetesContainer",
    check(c, cfg) {
        return pssCheck(cfg, c.pod, "baseline", () => {
            return [
                ...unlessOneOf(
                    "seLinuxType",
                    c.seLinuxType,
                    SELINUX_TYPES,
                    (shown) => `is ${shown}, not a confined container type. Use container_t (or remove it).`,
                ),
                ...unlessOneOf("seLinuxUser", c.seLinuxUser, [""], (shown) => `is ${shown}; a custom SELinux user is not allowed. Remove it.`),
                ...unlessOneOf("seLinuxRole", c.seLinuxRole, [""], (shown) => `is ${shown}; a custom SELinux role is not allowed. Remove it.`),
            ];
        });
    },
});
