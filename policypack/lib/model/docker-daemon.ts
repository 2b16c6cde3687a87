import { V } from "../kernel/values";
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
}

declare module "../contract/stack" {
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
    return flag ?? daemonField(key);
}

export function daemonField(key: DaemonSetting): string {
    return `${DAEMON_JSON} "${DAEMON_KEYS[key]}"`;
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
});
