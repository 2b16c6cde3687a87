/**
 * A machine's Docker daemon as `scan host` reads it, as the model the daemon controls judge (DockerHostModel):
 * the running dockerd's command line (else the ExecStart of its systemd unit) and the daemon.json it uses
 * (its `--config-file`, else the default path). Every setting names where it came from.
 */
import {
    DaemonConfig,
    DaemonSetting,
    DaemonSettings,
    DAEMON_JSON,
    DAEMON_KEYS,
    DockerHostModel,
    NO_DAEMON_SETTINGS,
    ObservedDockerHost,
} from "../../model/docker-daemon";
import { HostFile } from "../../model/host";
import { dockerdFlagsOf, parseDaemonJson } from "../docker/daemon-json";

/** The value of a string flag of dockerd (`--name=value` or `--name value`), the last one winning. */
export function dockerdOption(words: readonly string[], name: string): string | undefined {
    let out: string | undefined;
    for (let i = 1; i < words.length; i++) {
        const w = words[i];
        if (w === name) out = words[++i];
        else if (w.startsWith(`${name}=`)) out = w.slice(name.length + 1);
    }
    return out;
}

/** How dockerd was found: a running process, or the unit that would start it. */
export interface DockerdCommand {
    /** The program and its arguments, environment applied. */
    readonly words: readonly string[];
    /** How messages name the command line: `dockerd command line (pid 4242)`, `ExecStart of /lib/systemd/system/docker.service`. */
    readonly where: string;
    readonly running: boolean;
}

/** What was read of the daemon.json dockerd uses. */
export type DaemonJsonRead = { readonly state: "absent" } | { readonly state: "error"; readonly why: string } | { readonly state: "ok"; readonly text: string };

export interface DockerHostInput {
    /** How findings name the machine (and the daemon, when several run). */
    readonly host: string;
    /** Undefined when Docker is installed but dockerd neither runs nor has a unit that starts it. */
    readonly command: DockerdCommand | undefined;
    /** The daemon.json path used and whether the command line names it (`--config-file`). */
    readonly configFile: { readonly path: string; readonly explicit: boolean; readonly read: DaemonJsonRead };
    readonly files: readonly HostFile[];
    readonly anchor: { readonly urn: string; readonly name: string };
    readonly audit: Omit<ObservedDockerHost, "configFile" | "unsetNote">;
}

/** daemon.json and the command line together; dockerd refuses to start when both set one option. */
function daemonConfigOf(input: DockerHostInput): DaemonConfig {
    const { configFile, command } = input;
    let json: DaemonConfig;
    switch (configFile.read.state) {
        case "absent":
            json = configFile.explicit
                ? command?.running
                    ? { state: "unreadable", why: `dockerd was started with --config-file ${configFile.path}, which is not there any more` }
                    : { state: "invalid", why: `${command?.where ?? "dockerd"} names --config-file ${configFile.path}, which does not exist` }
                : { state: "absent" };
            break;
        case "error":
            json = { state: "unreadable", why: configFile.read.why };
            break;
        default:
            json = parseDaemonJson(configFile.read.text);
    }
    if (command === undefined || json.state === "invalid" || json.state === "unreadable" || json.state === "unknown") return json;
    const flags = dockerdFlagsOf(command.words, (flag) => `${command.where} ${flag}`, true);
    const keys = Object.keys(flags.where) as DaemonSetting[];
    if (keys.length === 0) return json;
    if (json.state === "parsed") {
        const both = keys.find((k) => json.settings[k] !== undefined);
        if (both) {
            return {
                state: "invalid",
                why: `"${DAEMON_KEYS[both]}" is set both in ${configFile.path} and as ${flags.where[both]}, which dockerd refuses${command.running ? " (the file changed after dockerd started)" : ""}`,
            };
        }
    }
    const base = json.state === "parsed" ? json.settings : NO_DAEMON_SETTINGS;
    return { state: "parsed", settings: { ...base, ...flags.settings } as DaemonSettings, flags: flags.where, written: json.state === "parsed" };
}

export function dockerHostOf(input: DockerHostInput): DockerHostModel {
    const { configFile, command } = input;
    const missing = configFile.read.state === "absent" ? `${configFile.path}, which does not exist,` : configFile.path;
    const on = command ? command.where : "a dockerd command line (dockerd is not running and no unit starts it)";
    return {
        host: input.host,
        hostname: undefined,
        daemon: daemonConfigOf(input),
        anchor: input.anchor,
        files: input.files,
        observed: {
            configFile: configFile.path,
            unsetNote: ` (set neither in ${missing} nor in ${on}, so dockerd's default applies)`,
            ...input.audit,
        },
    };
}

export { DAEMON_JSON };
