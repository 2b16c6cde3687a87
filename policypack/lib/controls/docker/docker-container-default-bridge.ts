import { resourceControl } from "../../core/control";
import { unsettled } from "../../core/check";

/** CIS Docker 5.30 (legacy 5.29): containers are not on the default docker0 bridge. */
export default resourceControl<"dockerContainer", Record<string, never>>({
    id: "docker-container-default-bridge",
    title: "Docker containers are not attached to the default docker0 bridge",
    description:
        "Information disclosure: on the default bridge every container reaches every other container on every port (unless the daemon sets icc=false), is exposed to ARP spoofing and MAC flooding from them, and gets no name resolution to scope access; a user-defined network isolates the containers that belong together.",
    stride: "I",
    targets: ["docker"],
    refs: { docker: ["5.30"], dockerLegacy: ["5.29"] },
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: [
        "Create a docker.Network for the containers that belong together and attach them with `networksAdvanced` instead of the default `bridge` network mode.",
        "Compose: drop `network_mode: bridge`; services then join the project's own network (or declare `networks:`); docker run: `--network NAME` of a user-defined network.",
    ],
    config: {},
    scope: "resource",
    subject: "dockerContainer",
    check(c) {
        const u = unsettled("defaultBridge", c.defaultBridge);
        if (u) return [u];
        if (c.defaultBridge !== true) return [];
        return [
            {
                field: "defaultBridge",
                message:
                    "attaches the container to the default bridge (docker0), where every container can reach it. Attach it to a user-defined network instead.",
            },
        ];
    },
});
