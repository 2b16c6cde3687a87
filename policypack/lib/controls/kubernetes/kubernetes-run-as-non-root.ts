import { Finding, resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { pssCheck, PSS_CONFIG, PssConfig } from "./pss";

/** CIS Kubernetes 5.2.7; PSS restricted "Running as Non-root" and "Running as Non-root user". */
export default resourceControl<"kubernetesContainer", PssConfig>({
    id: "kubernetes-run-as-non-root",
    title: "Kubernetes containers must run as a non-root user",
    description:
        "Elevation of privilege: a process running as UID 0 is root on the node once it escapes the container (a kernel or runtime bug), and owns every file it can reach through mounts.",
    stride: "E",
    targets: ["kubernetes"],
    refs: { kubernetes: ["5.2.7"] },
    pss: "restricted",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Set `securityContext.runAsNonRoot: true` on the pod (or on every container); the kubelet then refuses to start a container whose user is root.",
        "Build the image with a numeric non-root `USER` (e.g. 10001), or set `securityContext.runAsUser` to a non-zero UID.",
        "Never set `runAsUser: 0`.",
    ],
    config: PSS_CONFIG,
    scope: "resource",
    subject: "kubernetesContainer",
    check(c, cfg) {
        return pssCheck(cfg, c.pod, "restricted", () => {
            const findings: Finding[] = [];
            const u = unsettled("runAsNonRoot", c.runAsNonRoot);
            if (u) findings.push(u);
            else if (c.runAsNonRoot !== true) {
                const what = c.runAsNonRoot === undefined ? "is set neither on the container nor on the pod" : "is false";
                findings.push({ field: "runAsNonRoot", message: `${what}, so the image may run as root. Set runAsNonRoot to true.` });
            }
            const r = unsettled("runAsUser", c.runAsUser);
            if (r) findings.push(r);
            else if (c.runAsUser === 0) findings.push({ field: "runAsUser", message: "is 0: the container runs as root. Use a non-zero UID." });
            return findings;
        });
    },
    remediate(c) {
        return c.runAsNonRoot === undefined || c.runAsNonRoot === false ? [{ field: "runAsNonRoot", value: true }] : [];
    },
});
