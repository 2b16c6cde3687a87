/** /etc/docker/daemon.json as dockerd reads it. */
import { boolish, Invalid, isObj, str, strList, UNKNOWN, V } from "../../core/values";
import { DaemonConfig, DaemonSetting, DaemonSettings, DAEMON_JSON, DAEMON_KEYS, DockerHostModel, NO_DAEMON_SETTINGS } from "../../model/docker-daemon";
import { fileAt, HostFile, HostModel } from "../../model/host";
import { hostnameOf } from "./endpoint";

/** An object whose values are all strings (log options). */
export function stringMap(v: unknown): V<Readonly<Record<string, string>>> {
    if (v === undefined || v === null) return undefined;
    if (!isObj(v)) return new Invalid("an object of strings", Array.isArray(v) ? "an array" : `a ${typeof v}`);
    for (const [k, x] of Object.entries(v)) {
        if (typeof x !== "string") return new Invalid("an object of strings", `"${k.slice(0, 32)}" holding a ${typeof x}`);
    }
    return v as Record<string, string>;
}

/** Parses daemon.json text; never throws, never echoes content (JSON errors can quote it). */
export function parseDaemonJson(text: string): DaemonConfig {
    let doc: unknown;
    try {
        doc = JSON.parse(text.replace(/^\uFEFF/, ""));
    } catch {
        const at = jsonErrorOffset(text);
        const line = text.slice(0, at).split("\n").length;
        return { state: "invalid", why: `invalid JSON near line ${line}` };
    }
    if (!isObj(doc))
        return { state: "invalid", why: `the document is ${doc === null ? "null" : Array.isArray(doc) ? "an array" : `a ${typeof doc}`}, not a JSON object` };
    const settings: DaemonSettings = {
        icc: boolish(doc["icc"]),
        userlandProxy: boolish(doc["userland-proxy"]),
        usernsRemap: str(doc["userns-remap"]),
        noNewPrivileges: boolish(doc["no-new-privileges"]),
        liveRestore: boolish(doc["live-restore"]),
        insecureRegistries: strList(doc["insecure-registries"]),
        hosts: strList(doc["hosts"]),
        tls: boolish(doc["tls"]),
        tlsVerify: boolish(doc["tlsverify"]),
        tlsCaCert: str(doc["tlscacert"]),
        tlsCert: str(doc["tlscert"]),
        tlsKey: str(doc["tlskey"]),
        logDriver: str(doc["log-driver"]),
        logOpts: stringMap(doc["log-opts"]),
        logLevel: str(doc["log-level"]),
        iptables: boolish(doc["iptables"]),
        storageDriver: str(doc["storage-driver"]),
        authorizationPlugins: strList(doc["authorization-plugins"]),
        seccompProfile: str(doc["seccomp-profile"]),
        experimental: boolish(doc["experimental"]),
    };
    return { state: "parsed", settings };
}

/**
 * Offset of the first syntax error in `text` (JSON.parse in Node 20 does not always say where, and
 * quotes content when it does, which may be secret).
 */
export function jsonErrorOffset(text: string): number {
    let i = 0;
    const ws = () => {
        while (i < text.length && " \t\r\n\uFEFF".includes(text[i])) i++;
    };
    const fail = (): never => {
        throw i;
    };
    const lit = (w: string) => {
        if (text.startsWith(w, i)) i += w.length;
        else fail();
    };
    const string = () => {
        i++;
        while (i < text.length && text[i] !== '"') {
            if (text[i] === "\\") {
                i++;
                if (text[i] === "u") {
                    if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
                    i += 4;
                } else if (!'"\\/bfnrt'.includes(text[i] ?? "")) fail();
            } else if (text.charCodeAt(i) < 0x20) fail();
            i++;
        }
        if (i >= text.length) fail();
        i++;
    };
    const value = (depth: number): void => {
        ws();
        if (depth > 512) fail();
        const c = text[i];
        if (c === "{" || c === "[") {
            const close = c === "{" ? "}" : "]";
            i++;
            ws();
            if (text[i] === close) return void i++;
            for (;;) {
                if (c === "{") {
                    ws();
                    if (text[i] !== '"') fail();
                    string();
                    ws();
                    if (text[i] !== ":") fail();
                    i++;
                }
                value(depth + 1);
                ws();
                if (text[i] === ",") i++;
                else if (text[i] === close) return void i++;
                else fail();
            }
        }
        if (c === '"') return string();
        if (c === "t") return lit("true");
        if (c === "f") return lit("false");
        if (c === "n") return lit("null");
        const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
        if (!m) fail();
        i += (m as RegExpExecArray)[0].length;
    };
    try {
        value(0);
        ws();
        return i < text.length ? i : text.length;
    } catch (at) {
        return typeof at === "number" ? at : 0;
    }
}

/** systemd units and drop-ins of docker.service, which may carry dockerd flags on ExecStart. */
const DOCKER_UNIT = /^\/(?:etc|lib|usr\/lib)\/systemd\/system\/docker\.service(?:\.d\/[^/]+\.conf)?$/;

/** A Docker host: a machine the stack writes anything under /etc/docker/, or a docker.service unit, to. */
export function isDockerHost(h: HostModel): boolean {
    return h.files.some((f) => f.path.startsWith("/etc/docker/") || DOCKER_UNIT.test(f.path));
}

type FlagKind = "bool" | "string" | "list" | "map";
const FLAGS: Readonly<Record<string, readonly [DaemonSetting, FlagKind]>> = {
    "-H": ["hosts", "list"],
    "--host": ["hosts", "list"],
    "--tls": ["tls", "bool"],
    "--tlsverify": ["tlsVerify", "bool"],
    "--tlscacert": ["tlsCaCert", "string"],
    "--tlscert": ["tlsCert", "string"],
    "--tlskey": ["tlsKey", "string"],
    "--icc": ["icc", "bool"],
    "--userland-proxy": ["userlandProxy", "bool"],
    "--userns-remap": ["usernsRemap", "string"],
    "--no-new-privileges": ["noNewPrivileges", "bool"],
    "--live-restore": ["liveRestore", "bool"],
    "--insecure-registry": ["insecureRegistries", "list"],
    "--log-driver": ["logDriver", "string"],
    "--log-opt": ["logOpts", "map"],
    "--log-level": ["logLevel", "string"],
    "-l": ["logLevel", "string"],
    "--iptables": ["iptables", "bool"],
    "--storage-driver": ["storageDriver", "string"],
    "-s": ["storageDriver", "string"],
    "--authorization-plugin": ["authorizationPlugins", "list"],
    "--seccomp-profile": ["seccompProfile", "string"],
    "--experimental": ["experimental", "bool"],
};

export interface DockerdFlags {
    readonly settings: Partial<Record<DaemonSetting, unknown>>;
    /** Where each setting is given: `<unit path> --flag`. */
    readonly where: Partial<Record<DaemonSetting, string>>;
}

/** dockerd's effective ExecStart among the units the stack writes (drop-ins in name order, `ExecStart=` resets). */
function execStart(files: readonly HostFile[]): { line: string; path: string } | undefined | typeof UNKNOWN {
    const units = new Map<string, HostFile>();
    for (const f of files) if (DOCKER_UNIT.test(f.path)) units.set(f.path, f); // the last write of a path wins
    const ordered = [...units.values()].sort((a, b) => Number(a.path.includes(".d/")) - Number(b.path.includes(".d/")) || a.path.localeCompare(b.path));
    let current: { line: string; path: string } | undefined;
    for (const f of ordered) {
        if (f.content === UNKNOWN) return UNKNOWN;
        if (typeof f.content !== "string") continue;
        for (const raw of f.content.replace(/\\\r?\n/g, " ").split(/\r?\n/)) {
            const m = /^\s*ExecStart\s*=\s*(.*?)\s*$/.exec(raw);
            if (m) current = m[1] === "" ? undefined : { line: m[1], path: f.path };
        }
    }
    return current;
}

/** dockerd flags of the host's docker.service, when the stack writes its ExecStart; UNKNOWN when a unit is unknown at preview. */
export function dockerdFlags(files: readonly HostFile[]): DockerdFlags | undefined | typeof UNKNOWN {
    const exec = execStart(files);
    if (exec === undefined || exec === UNKNOWN) return exec;
    const words = (exec.line.match(/"(?:[^"\\]|\\.)*"|'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^(["'])(.*)\1$/s, "$2"));
    const binary = (words[0] ?? "").replace(/^[-@+!:]+/, "");
    if (!/(^|\/)dockerd$/.test(binary)) return undefined;
    return dockerdFlagsOf(words, (flag) => `${exec.path} ${flag}`);
}

/**
 * The daemon settings among dockerd's arguments (`words[0]` is the program): `--flag=value`, `--flag value`
 * (not for booleans, which pflag never gives the next word), `-H value`. `whereOf` says where a flag is given.
 * `expanded`: the words are what dockerd receives (a process's command line), so a `$` is literal text.
 */
export function dockerdFlagsOf(words: readonly string[], whereOf: (flag: string) => string, expanded = false): DockerdFlags {
    const settings: Partial<Record<DaemonSetting, unknown>> = {};
    const where: Partial<Record<DaemonSetting, string>> = {};
    for (let i = 1; i < words.length; i++) {
        const m = /^(-[Hls]|--[\w-]+)(?:=(.*))?$/s.exec(words[i]);
        const flag = m ? FLAGS[m[1]] : undefined;
        if (!m || !flag) continue;
        const [key, kind] = flag;
        let value = m[2];
        if (value === undefined && kind !== "bool") value = words[++i];
        where[key] = whereOf(m[1]);
        if (!expanded && value !== undefined && value.includes("$")) {
            settings[key] = UNKNOWN; // an environment variable the policy cannot see
            continue;
        }
        switch (kind) {
            case "bool":
                settings[key] =
                    value === undefined
                        ? true
                        : value === "true" || value === "1"
                          ? true
                          : value === "false" || value === "0"
                            ? false
                            : new Invalid("true or false", "another value");
                break;
            case "string":
                settings[key] = value ?? "";
                break;
            case "list":
                settings[key] = [...((settings[key] as string[] | undefined) ?? []), value ?? ""];
                break;
            case "map": {
                const eq = (value ?? "").indexOf("=");
                const opts = { ...((settings[key] as Record<string, string> | undefined) ?? {}) };
                if (eq > 0) opts[(value as string).slice(0, eq)] = (value as string).slice(eq + 1);
                settings[key] = opts;
                break;
            }
            default: {
                const never: never = kind;
                return never;
            }
        }
    }
    return { settings, where };
}

/** daemon.json and dockerd flags together; dockerd refuses to start when both set the same option. */
function merged(json: DaemonConfig, flags: DockerdFlags | undefined | typeof UNKNOWN): DaemonConfig {
    if (flags === undefined || json.state === "invalid" || json.state === "unreadable") return json;
    if (flags === UNKNOWN || json.state === "unknown") return { state: "unknown" };
    const keys = Object.keys(flags.where) as DaemonSetting[];
    if (keys.length === 0) return json;
    if (json.state === "parsed") {
        const both = keys.find((k) => json.settings[k] !== undefined);
        if (both) return { state: "invalid", why: `"${DAEMON_KEYS[both]}" is set both in ${DAEMON_JSON} and as ${flags.where[both]}, which dockerd refuses` };
    }
    const base = json.state === "parsed" ? json.settings : NO_DAEMON_SETTINGS;
    return { state: "parsed", settings: { ...base, ...flags.settings } as DaemonSettings, flags: flags.where, written: json.state === "parsed" };
}

export function dockerHostsOf(hosts: readonly HostModel[]): DockerHostModel[] {
    const out: DockerHostModel[] = [];
    for (const h of hosts) {
        if (!isDockerHost(h)) continue;
        const file = fileAt(h, DAEMON_JSON);
        const anchorFile = file ?? h.files.find((f) => f.path.startsWith("/etc/docker/") || DOCKER_UNIT.test(f.path))!;
        let daemon: DaemonConfig;
        if (!file) daemon = { state: "absent" };
        else if (file.content === UNKNOWN) daemon = { state: "unknown" };
        else if (file.content instanceof Invalid) daemon = { state: "unreadable", why: `its content is ${file.content.got}` };
        else if (file.content === undefined) daemon = { state: "unreadable", why: `${file.source.name} writes it from a source the policy cannot follow` };
        else daemon = parseDaemonJson(file.content);
        out.push({
            host: h.host,
            hostname: hostnameOf(h.host),
            daemon: merged(daemon, dockerdFlags(h.files)),
            anchor: { urn: anchorFile.source.urn, name: anchorFile.source.name },
            files: h.files,
        });
    }
    return out;
}
