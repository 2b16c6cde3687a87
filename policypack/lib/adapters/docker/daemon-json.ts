/** /etc/docker/daemon.json as dockerd reads it. */
import { boolish, Invalid, isObj, str, strList, UNKNOWN, V } from "../../core/values";
import { DaemonConfig, DaemonSettings, DAEMON_JSON, DockerHostModel } from "../../model/docker-daemon";
import { fileAt, HostModel } from "../../model/host";
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
    } catch (e) {
        const pos = /position (\d+)/.exec(e instanceof Error ? e.message : "");
        const line = pos ? text.slice(0, Number(pos[1])).split("\n").length : undefined;
        return { state: "invalid", why: line ? `invalid JSON near line ${line}` : "invalid JSON" };
    }
    if (!isObj(doc)) return { state: "invalid", why: `the document is ${doc === null ? "null" : Array.isArray(doc) ? "an array" : `a ${typeof doc}`}, not a JSON object` };
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
    };
    return { state: "parsed", settings };
}

/** A Docker host: a machine the stack writes anything under /etc/docker/ to. */
export function isDockerHost(h: HostModel): boolean {
    return h.files.some((f) => f.path.startsWith("/etc/docker/"));
}

export function dockerHostsOf(hosts: readonly HostModel[]): DockerHostModel[] {
    const out: DockerHostModel[] = [];
    for (const h of hosts) {
        if (!isDockerHost(h)) continue;
        const file = fileAt(h, DAEMON_JSON);
        const anchorFile = file ?? h.files.find((f) => f.path.startsWith("/etc/docker/"))!;
        let daemon: DaemonConfig;
        if (!file) daemon = { state: "absent" };
        else if (file.content === UNKNOWN) daemon = { state: "unknown" };
        else if (file.content instanceof Invalid) daemon = { state: "unreadable", why: `its content is ${file.content.got}` };
        else if (file.content === undefined) daemon = { state: "unreadable", why: `${file.source.name} writes it from a source the policy cannot follow` };
        else daemon = parseDaemonJson(file.content);
        out.push({ host: h.host, hostname: hostnameOf(h.host), daemon, anchor: { urn: anchorFile.source.urn, name: anchorFile.source.name }, files: h.files });
    }
    return out;
}

