import { resourceControl } from "../../contract/control";
import { pssCheck, PSS_CONFIG, PssConfig } from "./pss";
import { whenTrue } from "../shared/findings";

/** CIS Kubernetes 5.2.2, PSS baseline: a privileged container is root on the node. */
export default resourceControl<"kubernetesContainer", PssConfig>({
    id: "kubernetes-no-privileged-containers",
    title: "Kubernetes containers are not privileged",
    description: "Elevation of privilege: a privileged container gets every capability and all host devices; escaping to the node is trivial.",
    stride: "E",
    targets: ["kubernetes"],
    refs: { kubernetes: ["5.2.2"] },
    pss: "baseline",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Remove `securityContext.privileged: true` from the container (containers, initContainers and ephemeralContainers).",
        "Grant only the capabilities the workload needs with `securityContext.capabilities.add`, after dropping ALL.",
        "Label the namespace `pod-security.kubernetes.io/enforce: baseline` (or restricted) so the API server rejects it too.",
    ],
    config: PSS_CONFIG,
    scope: "resource",
    subject: "kubernetesContainer",
    check(c, cfg) {
        return pssCheck(cfg, c.pod, "baseline", () => {
            return whenTrue("privileged", c.privileged, "the container is privileged: it has every capability and host device. Set it to false.");
        });
    },
    remediate(c) {
        return c.privileged === true ? [{ field: "privileged", value: false }] : [];
    },
});
