import { Finding, resourceControl } from "../../contract/control";
import { Located } from "../../model/kubernetes-container";
import { CONFINED } from "./kubernetes-seccomp-profile";
import { SELINUX_TYPES } from "./kubernetes-selinux-restricted";
import { pssCheck, PSS_CONFIG, PssConfig } from "./pss";
import { flagIf, unlessOneOf, whenTrue } from "../shared/findings";

const confined = (what: string) => (shown: string) => `the pod's default ${what} is ${shown}. Set it to RuntimeDefault or Localhost, or remove it.`;

/**
 * PSS baseline and restricted, for the pod's own securityContext where every container overrides it (the
 * container controls judge what a container inherits). Pod Security Admission rejects these pods as well.
 */
export default resourceControl<"pod", PssConfig>({
    id: "kubernetes-pod-security-defaults",
    title: "Kubernetes pods' own securityContext defaults meet the Pod Security Standards",
    description:
        "Elevation of privilege: a pod-level default that every current container overrides still applies to containers added later — an ephemeral debug container inherits Unconfined seccomp, root or a HostProcess setting from it.",
    stride: "E",
    targets: ["kubernetes"],
    refs: {},
    pss: "baseline",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Remove the offending setting from the pod's `securityContext`, or set the hardened value there (seccompProfile RuntimeDefault, runAsNonRoot true, a non-zero runAsUser).",
        "Keep container-level overrides only where a container truly needs a different value.",
    ],
    config: PSS_CONFIG,
    scope: "resource",
    subject: "pod",
    check(p, cfg) {
        const d = p.overriddenDefaults;
        return pssCheck(cfg, p, "baseline", (level) => {
            const findings: Finding[] = [];
            const judge = <T>(loc: Located<T> | undefined, rule: (path: string, v: T) => Finding[]) => {
                if (loc) findings.push(...rule(loc.path, loc.value));
            };
            judge(d.windowsHostProcess, (path, v) => whenTrue(path, v, "the pod's default makes containers Windows HostProcess containers. Remove it."));
            judge(d.seccompProfileType, (path, v) => unlessOneOf(path, v, CONFINED, confined("seccomp profile")));
            judge(d.appArmorProfileType, (path, v) => unlessOneOf(path, v, CONFINED, confined("AppArmor profile")));
            judge(d.seLinuxType, (path, v) =>
                unlessOneOf(path, v, SELINUX_TYPES, (shown) => `the pod's default SELinux type is ${shown}, not a confined container type. Remove it.`),
            );
            judge(d.seLinuxUser, (path, v) => unlessOneOf(path, v, [""], (shown) => `the pod's default SELinux user is ${shown}. Remove it.`));
            judge(d.seLinuxRole, (path, v) => unlessOneOf(path, v, [""], (shown) => `the pod's default SELinux role is ${shown}. Remove it.`));
            if (level === "restricted") {
                judge(d.runAsNonRoot, (path, v) => flagIf(path, v, (x) => x === false, "the pod's default runAsNonRoot is false. Set it to true."));
                judge(d.runAsUser, (path, v) => flagIf(path, v, (x) => x === 0, "the pod's default runAsUser is 0 (root). Use a non-zero UID."));
            }
            return findings;
        });
    },
});
