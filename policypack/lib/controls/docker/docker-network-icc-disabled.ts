import { unsettled } from "../../contract/check";
import { resourceControl } from "../../contract/control";
import { ENABLE_ICC } from "../../model/docker-network";

/** CIS Docker 2.2 (1.2.0: 2.1), applied to user-defined bridge networks. */
export default resourceControl<"dockerNetwork", Record<string, never>>({
    id: "docker-network-icc-disabled",
    title: "Docker bridge networks block traffic between their containers unless internal",
    description:
        "Information disclosure: on a bridge network with inter-container communication on, every container can reach every port of every other container on it, so one compromised container can probe and talk to all its neighbours.",
    stride: "I",
    targets: ["docker"],
    refs: { docker: ["2.2"], dockerLegacy: ["2.1"] },
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: [
        `Set \`options: { "${ENABLE_ICC}": "false" }\` on the docker.Network and publish only the ports peers need.`,
        "Or make it `internal: true` when it only connects containers to each other (no route out of the host), and split unrelated containers into their own networks.",
        "Networks whose containers must talk to each other freely can be exempted by name (`excludeNames`).",
    ],
    config: {},
    scope: "resource",
    subject: "dockerNetwork",
    check(n) {
        const u = unsettled("driver", n.driver) ?? unsettled("internal", n.internal);
        if (u) return [u];
        if ((n.driver !== undefined && n.driver !== "bridge") || n.internal === true) return [];
        const ui = unsettled("enableIcc", n.enableIcc);
        if (ui) return [ui];
        if (n.enableIcc === false) return [];
        return [
            {
                field: "enableIcc",
                message: `is ${n.enableIcc === undefined ? "unset, so Docker's default (on)" : '"true"'} applies: every container on this bridge can reach every other. Set it to "false", or make the network internal.`,
            },
        ];
    },
});
