import { resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";

export default resourceControl<"kubernetesContainer", Record<string, never>>({
    id: "kubernetes-read-only-root-filesystem",
    title: "Kubernetes containers have a read-only root file system",
    description: "Tampering: a writable root file system lets an intruder drop tools, replace binaries or plant persistence inside the running container.",
    stride: "T",
    targets: ["kubernetes"],
    refs: {},
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Set `securityContext.readOnlyRootFilesystem: true` on every container.",
        "Mount an emptyDir volume at each path the application must write (/tmp, caches).",
    ],
    config: {},
    scope: "resource",
    subject: "kubernetesContainer",
    check(c) {
        const u = unsettled("readOnlyRootFilesystem", c.readOnlyRootFilesystem);
        if (u) return [u];
        if (c.readOnlyRootFilesystem === true) return [];
        const what = c.readOnlyRootFilesystem === undefined ? "is unset, so the root file system is writable" : "is false";
        return [{ field: "readOnlyRootFilesystem", message: `${what}. Set it to true and mount emptyDir volumes where the application writes.` }];
    },
});
