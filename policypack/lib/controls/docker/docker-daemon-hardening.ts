import { stackControl, StackFinding } from "../../core/control";
import { globMatch } from "../../core/settings";
import { show, V } from "../../core/values";
import { DaemonSetting, eachDaemon, settingFinding, unsettledSetting } from "../../model/docker-daemon";

export interface DaemonHardeningConfig {
    /** CIS ids not required (e.g. 2.15 on Swarm managers, where live-restore is not supported). */
    readonly skip: readonly string[];
    /** Registries (`*` wildcard) allowed in `insecure-registries`, e.g. a loopback mirror. */
    readonly allowedInsecureRegistries: readonly string[];
    /** Require an authorization plugin (CIS 2.12): only where the site runs one. */
    readonly requireAuthorizationPlugin: boolean;
}

/** CIS Docker 1.6.0 2.5, 2.6, 2.9, 2.12, 2.14, 2.15, 2.17, 2.18 (1.2.0: 2.4, 2.5, 2.8, 2.11, 2.17, 2.13, 2.15, 2.16). */
export default stackControl<DaemonHardeningConfig>({
    id: "docker-daemon-hardening",
    title: "Docker daemons remap users, forbid new privileges, keep containers across restarts and use no insecure registries, aufs, unconfined seccomp or experimental features",
    description:
        "Elevation of privilege: without userns-remap, root in a container is root on the host; without no-new-privileges, setuid binaries in any image raise privileges; an insecure registry lets anyone on the path swap images; without live-restore, every daemon restart (or crash) stops every container.",
    stride: "E",
    targets: ["docker"],
    refs: {
        docker: ["2.5", "2.6", "2.9", "2.12", "2.14", "2.15", "2.17", "2.18"],
        dockerLegacy: ["2.4", "2.5", "2.8", "2.11", "2.17", "2.13", "2.15", "2.16"],
    },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        'Write /etc/docker/daemon.json on every Docker host with `"userns-remap": "default"`, `"no-new-privileges": true`, `"live-restore": true` and no `"insecure-registries"`.',
        'userns-remap needs /etc/subuid and /etc/subgid entries for the remap user (dockerd creates `dockremap` for "default"); containers that need host user namespaces must set `usernsMode: host` explicitly.',
        "live-restore is not supported on Swarm managers: list 2.15 in `skip` for those hosts' stacks.",
        'Do not set `"storage-driver": "aufs"`, `"seccomp-profile": "unconfined"` or `"experimental": true`; where the site runs an authorization plugin, list it in `"authorization-plugins"` and set requireAuthorizationPlugin.',
        "Serve internal registries over TLS (a private CA in /etc/docker/certs.d/<registry>/ca.crt) instead of listing them as insecure.",
    ],
    config: {
        skip: {
            type: "array",
            items: { type: "string", enum: ["2.5", "2.6", "2.9", "2.14", "2.15", "2.17", "2.18"] },
            default: [],
            description: "CIS ids not required.",
        },
        requireAuthorizationPlugin: {
            type: "boolean",
            default: false,
            description: "Require an authorization plugin (`authorization-plugins`, CIS 2.12) where the site runs one.",
        },
        allowedInsecureRegistries: {
            type: "array",
            items: { type: "string", minLength: 1 },
            default: [],
            description: "Registries (`*` wildcard) tolerated in insecure-registries.",
        },
    },
    scope: "stack",
    check(stack, cfg) {
        return eachDaemon(stack.dockerHosts, cfg, (h, s, note) => {
            const findings: StackFinding[] = [];
            const checks: { cis: string; key: DaemonSetting; v: V<unknown>; fails: () => string | undefined }[] = [
                {
                    cis: "2.9",
                    key: "usernsRemap",
                    v: s.usernsRemap,
                    fails: () =>
                        typeof s.usernsRemap !== "string" || s.usernsRemap.trim() === ""
                            ? `is unset${s.usernsRemap === undefined ? note : ""}: root in a container is root on the host. Set it to "default" (or a dedicated user).`
                            : undefined,
                },
                {
                    cis: "2.14",
                    key: "noNewPrivileges",
                    v: s.noNewPrivileges,
                    fails: () =>
                        s.noNewPrivileges !== true
                            ? `is ${show(s.noNewPrivileges)}${s.noNewPrivileges === undefined ? note : ""}: setuid binaries in any image can raise privileges. Set it to true.`
                            : undefined,
                },
                {
                    cis: "2.15",
                    key: "liveRestore",
                    v: s.liveRestore,
                    fails: () =>
                        s.liveRestore !== true
                            ? `is ${show(s.liveRestore)}${s.liveRestore === undefined ? note : ""}: a daemon restart or crash stops every container. Set it to true.`
                            : undefined,
                },
                {
                    cis: "2.5",
                    key: "insecureRegistries",
                    v: s.insecureRegistries,
                    fails: () => {
                        const list = Array.isArray(s.insecureRegistries) ? (s.insecureRegistries as readonly string[]) : [];
                        const bad = list.flatMap((r, i) => (cfg.allowedInsecureRegistries.some((p) => globMatch(p, r)) ? [] : [i]));
                        // Entries are named by position: daemon.json may have arrived as a secret.
                        return bad.length > 0
                            ? `lists ${bad.length} registr${bad.length === 1 ? "y" : "ies"} (entr${bad.length === 1 ? "y" : "ies"} ${bad.map(String).join(", ")}) pulled without TLS verification, so anyone on the path can substitute their images. Remove them and serve the registries over TLS.`
                            : undefined;
                    },
                },
            ];
            checks.push(
                {
                    cis: "2.6",
                    key: "storageDriver",
                    v: s.storageDriver,
                    fails: () =>
                        s.storageDriver === "aufs"
                            ? 'is "aufs": an unmaintained driver whose kernel bugs crash hosts and leak between containers. Use overlay2.'
                            : undefined,
                },
                {
                    cis: "2.17",
                    key: "seccompProfile",
                    v: s.seccompProfile,
                    fails: () =>
                        s.seccompProfile === "unconfined"
                            ? 'is "unconfined": every container without its own profile may call every system call of the host kernel. Remove it (the built-in profile applies) or name a stricter profile.'
                            : undefined,
                },
                {
                    cis: "2.18",
                    key: "experimental",
                    v: s.experimental,
                    fails: () =>
                        s.experimental === true ? "is true: experimental features are unsupported and unreviewed in production. Set it to false." : undefined,
                },
            );
            if (cfg.requireAuthorizationPlugin) {
                checks.push({
                    cis: "2.12",
                    key: "authorizationPlugins",
                    v: s.authorizationPlugins,
                    fails: () =>
                        !Array.isArray(s.authorizationPlugins) || s.authorizationPlugins.length === 0
                            ? `names no plugin${s.authorizationPlugins === undefined ? note : ""}: every client that reaches the socket may run any command. Add the site's authorization plugin.`
                            : undefined,
                });
            }
            for (const c of checks) {
                if (cfg.skip.includes(c.cis)) continue;
                const u = unsettledSetting(h, c.key, c.v);
                const message = u ? undefined : c.fails();
                if (u) findings.push(u);
                else if (message) findings.push(settingFinding(h, c.key, message));
            }
            return findings;
        });
    },
});
