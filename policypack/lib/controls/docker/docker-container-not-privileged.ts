import { resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { show } from "../../kernel/values";

/** CIS Docker 5.5 (legacy 5.4). */
export default resourceControl<"dockerContainer", Record<string, never>>({
    id: "docker-container-not-privileged",
    title: "Docker containers are not privileged",
    description:
        "Elevation of privilege: a privileged container gets every capability, every host device and no seccomp, AppArmor or device cgroup confinement; escaping to the host is trivial.",
    stride: "E",
    targets: ["docker"],
    refs: { docker: ["5.5"], dockerLegacy: ["5.4"] },
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Remove `privileged: true` from the docker.Container.",
        'Grant only what the workload needs: `capabilities: { drops: ["ALL"], adds: [...] }`, a single device in `devices`.',
        "Compose: drop `privileged: true`; docker run: drop `--privileged`.",
    ],
    config: {},
    scope: "resource",
    subject: "dockerContainer",
    check(c) {
        const u = unsettled("privileged", c.privileged);
        if (u) return [u];
        return c.privileged === true
            ? [
                  {
                      field: "privileged",
                      message: `is ${show(c.privileged)}: the container has every capability and host device. Set it to false and grant only the capabilities it needs.`,
                  },
              ]
            : [];
    },
});
