import { resourceControl } from "../../contract/control";
import { isWindows, pssCheck, pssLevelOf, PSS_CONFIG, PssConfig } from "./pss";
import { unlessOneOf } from "../shared/findings";

/** Seccomp and AppArmor profile types that confine a container. */
export const CONFINED: readonly string[] = ["RuntimeDefault", "Localhost"];

/**
 * CIS Kubernetes 5.6.2; PSS baseline "Seccomp" (never Unconfined) and restricted "Seccomp" (Linux pods: the
 * pod or every container sets RuntimeDefault or Localhost). The effective profile is the container's, else the pod's.
 */
export default resourceControl<"kubernetesContainer", PssConfig>({
    id: "kubernetes-seccomp-profile",
    title: "Kubernetes containers run under a seccomp profile",
    description:
        "Elevation of privilege: without seccomp every system call of the kernel is reachable from the container, including the rarely used ones behind most container escapes.",
    stride: "E",
    targets: ["kubernetes"],
    refs: { kubernetes: ["5.6.2"] },
    pss: "baseline",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Set `securityContext.seccompProfile: { type: RuntimeDefault }` on the pod (inherited by every container) or on each container.",
        "Use `type: Localhost` with `localhostProfile` for a profile of your own; never `Unconfined`.",
    ],
    config: PSS_CONFIG,
    scope: "resource",
    subject: "kubernetesContainer",
    check(c, cfg) {
        return pssCheck(cfg, c.pod, "baseline", (level) =>
            unlessOneOf(
                "seccompProfileType",
                c.seccompProfileType,
                CONFINED,
                (shown) =>
                    shown === "unset"
                        ? "is set neither on the container nor on the pod, so no seccomp filter may apply; PSS restricted requires one. Set seccompProfile.type to RuntimeDefault."
                        : `is ${shown}: every system call is reachable. Set it to RuntimeDefault or Localhost.`,
                level === "restricted" && !isWindows(c.pod.os),
            ),
        );
    },
    remediate(c, cfg) {
        // Only an unset profile is filled in; an explicit Unconfined is a decision for a person to revisit.
        return c.seccompProfileType === undefined && pssLevelOf(cfg, c.pod.namespace) === "restricted"
            ? [{ field: "seccompProfileType", value: "RuntimeDefault" }]
            : [];
    },
});
