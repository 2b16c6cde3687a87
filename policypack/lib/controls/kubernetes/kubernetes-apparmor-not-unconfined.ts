import { resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { show } from "../../kernel/values";
import { CONFINED } from "./kubernetes-seccomp-profile";
import { pssCheck, PSS_CONFIG, PssConfig } from "./pss";
import { unlessOneOf } from "../shared/findings";

/** PSS baseline "AppArmor": the appArmorProfile field (pod or container) and the legacy beta annotation. */
export default resourceControl<"kubernetesContainer", PssConfig>({
    id: "kubernetes-apparmor-not-unconfined",
    title: "Kubernetes containers do not disable AppArmor",
    description:
        "Elevation of privilege: an Unconfined AppArmor profile removes the runtime's mandatory access control (mount, ptrace, /proc and /sys writes) that stands between a compromised process and the node.",
    stride: "E",
    targets: ["kubernetes"],
    refs: {},
    pss: "baseline",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Remove `securityContext.appArmorProfile` or set its `type` to `RuntimeDefault` (or `Localhost` with `localhostProfile`).",
        "Remove the `container.apparmor.security.beta.kubernetes.io/<container>` annotation or set it to `runtime/default` or `localhost/<profile>`.",
    ],
    config: PSS_CONFIG,
    scope: "resource",
    subject: "kubernetesContainer",
    check(c, cfg) {
        return pssCheck(cfg, c.pod, "baseline", () => {
            const findings = unlessOneOf(
                "appArmorProfileType",
                c.appArmorProfileType,
                CONFINED,
                (shown) => `is ${shown}: AppArmor does not confine the container. Use RuntimeDefault or Localhost.`,
            );
            const a = c.appArmorAnnotation;
            const u = unsettled("appArmorAnnotation", a);
            if (u) findings.push(u);
            else if (a !== undefined && a !== "runtime/default" && !(a as string).startsWith("localhost/")) {
                findings.push({
                    field: "appArmorAnnotation",
                    message: `is ${show(a)}: AppArmor does not confine the container. Use runtime/default or localhost/<profile>.`,
                });
            }
            return findings;
        });
    },
});
