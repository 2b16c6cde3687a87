import { resourceControl } from "../../contract/control";
import { show } from "../../kernel/values";
import { PodVolume } from "../../model/pod";
import { pssCheck, PSS_CONFIG, PssConfig } from "./pss";
import { eachBad } from "../shared/findings";

/** CIS Kubernetes 5.2.11; PSS baseline "HostPath Volumes". */
export default resourceControl<"pod", PssConfig>({
    id: "kubernetes-no-hostpath-volumes",
    title: "Kubernetes pods do not mount host paths",
    description:
        "Tampering: a hostPath volume puts the node's file system into the pod; a write to it (or a symlink through it) can change kubelet config, container runtime sockets, or other pods' data.",
    stride: "T",
    targets: ["kubernetes"],
    refs: { kubernetes: ["5.2.11"] },
    pss: "baseline",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Replace `hostPath` volumes with emptyDir, configMap, secret, projected or a PersistentVolumeClaim.",
        "Run node agents that must read the node's files in a namespace whose PSS level is `privileged` (`namespaceLevels`), with readOnly mounts.",
    ],
    config: PSS_CONFIG,
    scope: "resource",
    subject: "pod",
    check(p, cfg) {
        return pssCheck(cfg, p, "baseline", () => {
            return eachBad<PodVolume>(
                "volumes",
                p.volumes,
                (v) => v.types.includes("hostPath"),
                (v) => ({
                    field: `${v.path}.hostPath`,
                    message: `volume ${show(v.name)} mounts a path of the node. Use emptyDir, configMap, secret or a PersistentVolumeClaim instead.`,
                }),
            );
        });
    },
});
