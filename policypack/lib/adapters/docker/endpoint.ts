/** Docker endpoints (`DOCKER_HOST`, provider `host`, daemon.json `hosts`). */

export type EndpointScheme = "unix" | "npipe" | "fd" | "ssh" | "tcp";

export interface DockerEndpoint {
    readonly scheme: EndpointScheme;
    /** Host name or address for ssh:// and tcp://, lower-cased; "" when the listener binds every interface. */
    readonly hostname: string;
    readonly port: number | undefined;
}

/**
 * Parses an endpoint; tcp:// also covers http://, https:// and bare `host:port` (which dockerd and the
 * client read as tcp). Returns a reason string for anything else.
 */
export function parseEndpoint(raw: string): DockerEndpoint | string {
    const s = raw.trim();
    const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(s);
    const scheme = m ? m[1].toLowerCase() : "tcp";
    const rest = m ? m[2] : s;
    switch (scheme) {
        case "unix":
        case "npipe":
        case "fd":
            return { scheme, hostname: "", port: undefined };
        case "ssh":
        case "tcp":
        case "http":
        case "https": {
            const authority = rest.replace(/[/?#].*$/, "").replace(/^[^@]*@/, "");
            const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(authority);
            if (!hp) return "it is not a host[:port] address";
            const port = hp[2] ? Number(hp[2]) : undefined;
            return { scheme: scheme === "ssh" ? "ssh" : "tcp", hostname: hp[1].replace(/^\[|\]$/g, "").toLowerCase(), port };
        }
        default:
            return `its scheme "${scheme.slice(0, 16)}" is not one Docker understands (unix, npipe, ssh, tcp)`;
    }
}

/** Host part of a host key (`10.0.0.5:2222` → `10.0.0.5`); undefined for hosts unknown at preview. */
export function hostnameOf(hostKey: string): string | undefined {
    if (hostKey.startsWith("(")) return undefined;
    const m = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(hostKey);
    return (m ? m[1].replace(/^\[|\]$/g, "") : hostKey).toLowerCase();
}
