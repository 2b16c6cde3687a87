import { resourceControl } from "../../core/control";
import { unsettled } from "../../core/check";
import { show } from "../../core/values";
import { PodVolume } from "../../model/pod";
import { pssCheck, PSS_CONFIG, PssConfig } from "./pss";

/** PSS restricted "Volume Types" (with `image`, allowed by Pod Security Admission since 1.33). */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = [
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

export interface VolumeTypesConfig extends PssConfig {
    readonly allowedVolumeTypes: readonly string[];
}

export default resourceControl<"pod", VolumeTypesConfig>({
    id: "kubernetes-restricted-volume-types",
    title: "Kubernetes pods use only the volume types of the restricted profile",
    description:
        "Elevation of privilege: in-line volume sources (nfs, iscsi, rbd, cephfs, gitRepo, flexVolume, …) let a pod author reach storage and node drivers directly, bypassing PersistentVolume administration; gitRepo even runs git on the node.",
    stride: "E",
    targets: ["kubernetes"],
    refs: {},
    pss: "restricted",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: [
        `Use only ${RESTRICTED_VOLUME_TYPES.join(", ")} volumes.`,
        "Reach network storage through a PersistentVolume and a persistentVolumeClaim volume, defined by the cluster administrator.",
        "hostPath volumes, which the restricted profile forbids too, are reported by `kubernetes-no-hostpath-volumes`.",
    ],
    config: {
        ...PSS_CONFIG,
        allowedVolumeTypes: {
            type: "array",
            items: { type: "string", minLength: 1 },
            default: RESTRICTED_VOLUME_TYPES,
            description: "Volume source types allowed under the restricted level.",
        },
    },
    scope: "resource",
    subject: "pod",
    check(p, cfg) {
        return pssCheck(cfg, p, "restricted", () => {
            const u = unsettled("volumes", p.volumes);
            if (u) return [u];
            return ((p.volumes ?? []) as readonly PodVolume[]).flatMap((v) =>
                v.types
                    // hostPath is kubernetes-no-hostpath-volumes' (baseline, CIS 5.2.11): one finding per fact.
                    .filter((t) => t !== "hostPath" && !cfg.allowedVolumeTypes.includes(t))
                    .map((t) => ({
                        field: `${v.path}.${t}`,
                        message: `volume ${show(v.name)} is of type ${show(t)}, not allowed under PSS restricted. Use one of ${cfg.allowedVolumeTypes.join(", ")} (network storage through a persistentVolumeClaim).`,
                    })),
            );
        });
    },
});
