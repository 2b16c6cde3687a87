import { resourceControl } from "../../contract/control";
import { pssCheck, PSS_CONFIG, PssConfig } from "./pss";
import { whenTrue } from "../shared/findings";

/** CIS Kubernetes 5.2.10; PSS baseline "HostProcess". */
export default resourceControl<"kubernetesContainer", PssConfig>({
    id: "kubernetes-no-hostprocess",
    title: "Kubernetes Windows containers are not HostProcess containers",
    description:
        "Elevation of privilege: a Windows HostProcess container runs as a process on the node itself, with the node's network and file system and, typically, SYSTEM rights.",
    stride: "E",
    targets: ["kubernetes"],
    refs: { kubernetes: ["5.2.10"] },
    pss: "baseline",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Remove `securityContext.windowsOptions.hostProcess: true` from the pod and its containers.",
        "Run node management agents that need it in a namespace whose PSS level is `privileged` (`namespaceLevels`).",
    ],
    config: PSS_CONFIG,
    scope: "resource",
    subject: "kubernetesContainer",
    check(c, cfg) {
        return pssCheck(cfg, c.pod, "baseline", () => {
            return whenTrue(
                "windowsHostProcess",
                c.windowsHostProcess,
                "the container runs as a HostProcess on the Windows node, outside any container isolation. Remove hostProcess or set it to false.",
            );
        });
    },
});
