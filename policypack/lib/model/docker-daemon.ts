import type { StackFinding } from "../core/control";
import { unsettled } from "../core/check";
import { CommonSettings, isExempt } from "../core/settings";
import { V } from "../core/values";
import { HostModel } from "./host";

/** The daemon.json settings controls read, under model names; `DAEMON_KEYS` gives dockerd's spelling. */
export interface DaemonSettings {
    readonly icc: V<boolean>;
    readonly userlandProxy: V<boolean>;
    readonly usernsRemap: V<string>;
    readonly noNewPrivileges: V<boolean>;
    readonly liveRestore: V<boolean>;
    readonly insecureRegistries: V<readonly string[]>;
    /** Listeners (`-H`): unix://, tcp://, fd://. */
    readonly hosts: V<readonly string[]>;
    readonly tls: V<boolean>;
    readonly tlsVerify: V<boolean>;
    readonly tlsCaCert: V<string>;
    readonly tlsCert: V<string>;
    readonly tlsKey: V<string>;
    readonly logDriver: V<string>;
    readonly logOpts: V<Readonly<Record<string, string>>>;
    readonly logLevel: V<string>;
    readonly iptables: V<boolean>;
    readonly storageDriver: V<string>;
    readonly authorizationPlugins: V<readonly string[]>;
    readonly seccompProfile: V<string>;
    readonly experimental: V<boolean>;
}

export type DaemonSetting = keyof DaemonSettings;

export const DAEMON_KEYS: Readonly<Record<DaemonSetting, string>> = {
    icc: "icc",
    userlandProxy: "userland-proxy",
    usernsRemap: "userns-remap",
    noNewPrivileges: "no-new-privileges",
    liveRestore: "live-restore",
    insecureRegistries: "insecure-registries",
    hosts: "hosts",
    tls: "tls",
    tlsVerify: "tlsverify",
    tlsCaCert: "tlscacert",
    tlsCert: "tlscert",
    tlsKey: "tlskey",
    logDriver: "log-driver",
    logOpts: "log-opts",
    logLevel: "log-level",
    iptables: "iptables",
    storageDriver: "storage-driver",
    authorizationPlugins: "authorization-plugins",
    seccompProfile: "seccomp-profile",
    experimental: "experimental",
};

export const DAEMON_JSON = "/etc/docker/daemon.json";

/** What the stack tells about a host's daemon.json. */
export type DaemonConfig =
    | { readonly state: "absent" }
    | { readonly state: "unknown" }
    /** Written, but by a command whose content the policy cannot follow (e.g. a file asset, `cp` from elsewhere). */
    | { readonly state: "unreadable"; readonly why: string }
    /** Not valid JSON, or not a JSON object. */
    | { readonly state: "invalid"; readonly why: string }
    | {
          readonly state: "parsed";
          readonly settings: DaemonSettings;
          /** Settings given as dockerd flags in a systemd unit the stack writes, with where (`<unit> --icc`). */
          readonly flags?: Readonly<Partial<Record<DaemonSetting, string>>>;
          /** False when the stack writes no daemon.json (only unit flags); defaults to true. */
          readonly written?: boolean;
      };

/** A machine the stack configures Docker on: it writes a file under /etc/docker/. */
export interface DockerHostModel {
    /** The machine, as its connection names it (host[:port]), or `(host of <parent urn>)` when unknown at preview. */
    readonly host: string;
    /** Host name without the SSH port, to match provider endpoints; undefined when the host is unknown. */
    readonly hostname: string | undefined;
    readonly daemon: DaemonConfig;
    /** The resource findings about this host are reported on: the daemon.json writer, else the first /etc/docker writer. */
    readonly anchor: { readonly urn: string; readonly name: string };
    readonly files: HostModel["files"];
    /**
     * The engine's Swarm state: as `GET /info` reports it (`Swarm.LocalNodeState`: "active", "pending",
     * "locked", "inactive", "error"), or "active" where the stack runs `docker swarm init|join` on the
     * host (daemon.json has no such setting); absent when nothing shows it. `urn`: the resource that says so.
     */
    readonly swarm?: { readonly state: V<string>; readonly field: string; readonly urn?: string };
    /** Set by `scan host`: what was read on a live machine, where the stack model can only name default paths. */
    readonly observed?: ObservedDockerHost;
}

/** What `scan host` read about a machine's Docker daemon. */
export interface ObservedDockerHost {
    /** The daemon.json dockerd uses (its `--config-file`, else the default path), as messages name it. */
    readonly configFile: string;
    /** How a setting that is set nowhere is described, e.g. ` (set neither in … nor on dockerd's command line, …)`. */
    readonly unsetNote: string;
    /**
     * Per CIS id of docker-daemon-auditing, the exact paths on this machine whose watch satisfies it (binaries and
     * units resolved to their real paths); an empty list when the file does not exist there.
     */
    readonly auditPaths: ReadonlyMap<string, readonly string[]>;
    /** Watched path → the path the kernel watches on this machine (its directory's links resolved), for every rule read. */
    readonly watchPaths?: ReadonlyMap<string, string>;
    /** Audit rules judged instead of the rule files among `files` (the kernel's list from `auditctl -l`). */
    readonly loadedRules?: { readonly source: string; readonly text: string };
    /** Said with an audit finding: what the files cannot show (whether auditd runs, whether the rules are loaded). */
    readonly auditNote?: string;
    /** Set when auditd is known not to run: rules in files then record nothing. */
    readonly auditdStopped?: string;
    /** The data root dockerd uses and whether it is a mount point, from the mount table. */
    readonly dataRoot?: {
        readonly path: string;
        readonly mount:
            | { readonly state: "own"; readonly source: string }
            | { readonly state: "shared"; readonly on: string; readonly source: string }
            | { readonly state: "unknown"; readonly why: string };
    };
}

declare module "../core/stack" {
    interface StackModel {
        /** Hosts the stack configures Docker on, with their parsed daemon.json. */
        readonly dockerHosts: readonly DockerHostModel[];
    }
}

export function dockerHostSubject(h: DockerHostModel): string {
    return `Docker host ${h.host}`;
}

/** Where a host's setting comes from: a dockerd flag in a systemd unit, else daemon.json. */
export function settingField(h: DockerHostModel, key: DaemonSetting): string {
    const flag = h.daemon.state === "parsed" ? h.daemon.flags?.[key] : undefined;
    return flag ?? daemonField(key, h.observed?.configFile);
}

export function daemonField(key: DaemonSetting, file = DAEMON_JSON): string {
    return `${file} "${DAEMON_KEYS[key]}"`;
}

/** Stack controls apply the common exemptions to hosts by host name and by the name of the resource that configures it. */
export function hostExempt(cfg: unknown, h: DockerHostModel): boolean {
    return isExempt(cfg as CommonSettings, [h.host, h.anchor.name], { labels: {} });
}

export const NO_DAEMON_SETTINGS: DaemonSettings = Object.freeze({
    icc: undefined,
    userlandProxy: undefined,
    usernsRemap: undefined,
    noNewPrivileges: undefined,
    liveRestore: undefined,
    insecureRegistries: undefined,
    hosts: undefined,
    tls: undefined,
    tlsVerify: undefined,
    tlsCaCert: undefined,
    tlsCert: undefined,
    tlsKey: undefined,
    logDriver: undefined,
    logOpts: undefined,
    logLevel: undefined,
    iptables: undefined,
    storageDriver: undefined,
    authorizationPlugins: undefined,
    seccompProfile: undefined,
    experimental: undefined,
});

/**
 * The settings dockerd runs with on a host (all defaults when the stack writes no daemon.json),
 * or the one finding that says why they cannot be judged.
 */
export function daemonSettings(h: DockerHostModel): { settings: DaemonSettings; written: boolean } | { finding: StackFinding } {
    const base = { urn: h.anchor.urn, subject: dockerHostSubject(h), field: h.observed?.configFile ?? DAEMON_JSON };
    const d = h.daemon;
    switch (d.state) {
        case "absent":
            return { settings: NO_DAEMON_SETTINGS, written: false };
        case "parsed":
            return { settings: d.settings, written: d.written ?? true };
        case "unknown":
            return { finding: { ...base, unknown: true, message: "content is unknown at preview, so it cannot be checked yet." } };
        case "unreadable":
            return {
                finding: { ...base, message: `cannot be checked: ${d.why}. Write it with content the policy can read (stdin, a heredoc, or a string asset).` },
            };
        case "invalid":
            return { finding: { ...base, message: `is not valid daemon configuration (${d.why}); dockerd refuses to start with it. Fix the file.` } };
        default: {
            const never: never = d;
            return never;
        }
    }
}

/** "(the stack writes no daemon.json, so dockerd's default applies)" or "". */
export function defaultNote(written: boolean): string {
    return written ? "" : ` (the stack sets it neither in ${DAEMON_JSON} nor as a dockerd flag, so dockerd's default applies)`;
}

/** A finding on one daemon.json setting of a host. */
export function settingFinding(h: DockerHostModel, key: DaemonSetting, message: string, unknown = false): StackFinding {
    return { urn: h.anchor.urn, subject: dockerHostSubject(h), field: settingField(h, key), message, ...(unknown ? { unknown } : {}) };
}

/** The finding for a setting that is unknown at preview or malformed, else undefined. */
export function unsettledSetting(h: DockerHostModel, key: DaemonSetting, v: V<unknown>): StackFinding | undefined {
    const u = unsettled(settingField(h, key), v);
    return u ? settingFinding(h, key, u.message, u.unknown === true) : undefined;
}

/**
 * Runs `check` over the daemon settings of every Docker host the settings do not exempt; a host whose
 * daemon.json cannot be judged (unknown, unreadable, invalid) gets that one finding instead.
 */
export function eachDaemon(
    hosts: readonly DockerHostModel[],
    cfg: unknown,
    check: (h: DockerHostModel, settings: DaemonSettings, note: string) => readonly StackFinding[],
): StackFinding[] {
    const findings: StackFinding[] = [];
    for (const h of hosts) {
        if (hostExempt(cfg, h)) continue;
        const d = daemonSettings(h);
        if ("finding" in d) findings.push(d.finding);
        else findings.push(...check(h, d.settings, d.written || h.observed === undefined ? defaultNote(d.written) : h.observed.unsetNote));
    }
    return findings;
}
