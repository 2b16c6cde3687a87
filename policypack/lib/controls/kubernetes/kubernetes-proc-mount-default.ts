import { resourceControl } from "../../contract/control";
import { pssCheck, PSS_CONFIG, PssConfig } from "./pss";
import { unlessOneOf } from "../shared/findings";

/** PSS baseline "/proc Mount Type". */
export default resourceControl<"kubernetesContainer", PssConfig>({
    id: "kubernetes-proc-mount-default",
    title: "Kubernetes containers keep the default /proc mount",
    description:
        "Elevation of privilege: procMount Unmasked exposes the /proc paths the runtime masks (kcore, sysrq-trigger, kernel keys), handing kernel interfaces to the container.",
    stride: "E",
    targets: ["kubernetes"],
    refs: {},
    pss: "baseline",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: ["Remove `securityContext.procMount` or set it to `Default`."],
    config: PSS_CONFIG,
    scope: "resource",
    subject: "kubernetesContainer",
    check(c, cfg) {
        return pssCheck(cfg, c.pod, "baseline", () => {
            return unlessOneOf("procMount", c.procMount, ["Default"], (shown) => `is ${shown}: the masked /proc paths become visible. Set it to Default.`);
        });
    },
    remediate(c) {
        return typeof c.procMount === "string" && c.procMount !== "Default" ? [{ field: "procMount", value: "Default" }] : [];
    },
});
