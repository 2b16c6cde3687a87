import { resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { expressible, securityOpt } from "../../model/docker-container";

export interface NoNewPrivilegesConfig {
    /** The daemons set `"no-new-privileges": true` in daemon.json (CIS 2.14): containers that do not opt out pass. */
    readonly daemonDefault: boolean;
}

const NNP = "no-new-privileges";

/** "true"/"false" of a no-new-privileges entry; undefined when the opts do not mention it. */
function nnpSetting(opts: readonly string[]): boolean | undefined {
    let setting: boolean | undefined;
    for (const o of opts) {
        const { key, value } = securityOpt(o);
        if (key === NNP) setting = value === undefined || value === "" || value.toLowerCase() === "true";
    }
    return setting;
}

/** CIS Docker 5.26 (legacy 5.25); the daemon-wide default is CIS 2.14. */
export default resourceControl<"dockerContainer", NoNewPrivilegesConfig>({
    id: "docker-container-no-new-privileges",
    title: "Docker containers cannot gain new privileges",
    description:
        "Elevation of privilege: without no-new-privileges, a process in the container can gain privileges through setuid/setgid binaries or file capabilities — the usual second step after code execution.",
    stride: "E",
    targets: ["docker"],
    refs: { docker: ["5.26"], dockerLegacy: ["5.25"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        'Add `"no-new-privileges:true"` to `securityOpts` on the docker.Container.',
        'Or set `"no-new-privileges": true` in /etc/docker/daemon.json on every host (CIS 2.14) and set this control\'s `daemonDefault: true`; this is the only way for docker.Service tasks, which cannot carry security options.',
        'Compose: `security_opt: ["no-new-privileges:true"]`; docker run: `--security-opt no-new-privileges`.',
    ],
    config: {
        daemonDefault: { type: "boolean", default: false, description: "The daemons set no-new-privileges by default; containers that do not opt out pass." },
    },
    scope: "resource",
    subject: "dockerContainer",
    check(c, cfg) {
        if (!expressible(c, "securityOpts")) {
            return cfg.daemonDefault
                ? []
                : [
                      {
                          message: `security options cannot be set on a ${c.role === "serviceTask" ? "Swarm service task" : "container from this source"}; set "no-new-privileges": true in every host's daemon.json and set daemonDefault: true.`,
                      },
                  ];
        }
        const u = unsettled("securityOpts", c.securityOpts);
        if (u) return [u];
        const setting = nnpSetting((c.securityOpts as readonly string[] | undefined) ?? []);
        if (setting === true || (setting === undefined && cfg.daemonDefault)) return [];
        return [
            {
                field: "securityOpts",
                message:
                    setting === false
                        ? 'turns no-new-privileges off explicitly, so setuid binaries can raise privileges. Remove that entry and add "no-new-privileges:true".'
                        : 'does not contain "no-new-privileges:true", so setuid binaries can raise privileges. Add it.',
            },
        ];
    },
    remediate(c) {
        if (!expressible(c, "securityOpts") || !Array.isArray(c.securityOpts ?? [])) return [];
        // An explicit opt-out is a decision someone made: leave it to a human.
        return nnpSetting((c.securityOpts as readonly string[] | undefined) ?? []) === undefined ? [{ field: "securityOpts", value: [`${NNP}:true`] }] : [];
    },
});
