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
    } catch {
        const at = jsonErrorOffset(text);
        const line = text.slice(0, at).split("\n").length;
        return { state: "invalid", why: `invalid JSON near line ${line}` };
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

