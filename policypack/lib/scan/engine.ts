/**
 * A small Docker Engine API client: unix socket, plain TCP or TCP with TLS (client certificate), with
 * bounded time and size. Errors name the endpoint and say what failed, never more.
 */
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as path from "path";

export interface TlsPaths {
    readonly ca?: string;
    readonly cert?: string;
    readonly key?: string;
}

export interface EngineOptions {
    /** unix:///path, tcp://host:port, http(s)://host:port; default DOCKER_HOST, else unix:///var/run/docker.sock. */
    readonly host?: string;
    readonly tls?: TlsPaths;
    /** Per-request timeout (default 15 s). */
    readonly timeoutMs?: number;
    readonly env?: NodeJS.ProcessEnv;
}

export class EngineError extends Error {}

export interface Engine {
    /** The endpoint as shown in messages (never with credentials). */
    readonly endpoint: string;
    /** GET a JSON document; rejects with an EngineError that names the endpoint. */
    get(apiPath: string): Promise<unknown>;
}

const MAX_BODY = 256 * 1024 * 1024;
export const DEFAULT_HOST = "unix:///var/run/docker.sock";

function readPem(file: string, what: string): Buffer {
    try {
        return fs.readFileSync(file);
    } catch (e) {
        throw new EngineError(`cannot read the TLS ${what} file ${file}: ${(e as NodeJS.ErrnoException).code ?? "error"}`);
    }
}

/** TLS material: the flags, else DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem) when DOCKER_TLS_VERIFY is set. */
function tlsOf(opts: EngineOptions, env: NodeJS.ProcessEnv): TlsPaths | undefined {
    if (opts.tls && (opts.tls.ca || opts.tls.cert || opts.tls.key)) return opts.tls;
    const verify = env["DOCKER_TLS_VERIFY"];
    if (opts.host === undefined && verify !== undefined && verify !== "" && verify !== "0") {
        const dir = env["DOCKER_CERT_PATH"] || path.join(env["HOME"] ?? "", ".docker");
        return { ca: path.join(dir, "ca.pem"), cert: path.join(dir, "cert.pem"), key: path.join(dir, "key.pem") };
    }
    return undefined;
}

/** Strips user:password@ from a URL so it can be shown. */
function shown(url: string): string {
    return url.replace(/^(\w+:\/\/)[^/@]*@/, "$1");
}

function failure(endpoint: string, e: unknown): EngineError {
    const code = (e as NodeJS.ErrnoException).code;
    const why: Record<string, string> = {
        ECONNREFUSED: "connection refused (is dockerd running and listening there?)",
        ENOENT: "no socket at that path (is dockerd running?)",
        EACCES: "permission denied on the socket (run as root or a member of the docker group)",
        ECONNRESET: "the connection was reset (a TLS listener spoken to without TLS, or a refused client certificate?)",
        ETIMEDOUT: "timed out",
        EHOSTUNREACH: "host unreachable",
        ENOTFOUND: "host name not found",
        DEPTH_ZERO_SELF_SIGNED_CERT: "the server's certificate is self-signed and not trusted (give --tls-ca)",
        UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's certificate is not signed by the given CA",
        SELF_SIGNED_CERT_IN_CHAIN: "the server's certificate chain is not trusted (give --tls-ca)",
        ERR_TLS_CERT_ALTNAME_INVALID: "the server's certificate does not name this host",
        EPROTO: "TLS handshake failed (plain HTTP endpoint, or the server refused the client certificate)",
    };
    const text =
        (code && Object.prototype.hasOwnProperty.call(why, code) ? why[code] : undefined) ?? (e instanceof Error ? e.message.split("\n")[0] : String(e));
    return new EngineError(`cannot reach the Docker engine at ${endpoint}: ${text}`);
}

/** Resolves the endpoint and TLS material; throws EngineError on a malformed host or unreadable TLS files. */
export function connectEngine(opts: EngineOptions = {}): Engine {
    const env = opts.env ?? process.env;
    const raw = opts.host ?? (env["DOCKER_HOST"] || DEFAULT_HOST);
    const endpoint = shown(raw);
    const timeout = opts.timeoutMs ?? 15_000;
    let base: http.RequestOptions;
    let transport: typeof http | typeof https = http;
    const m = /^(unix|tcp|http|https|ssh|npipe):\/\/(.*)$/.exec(raw);
    if (!m) throw new EngineError(`--host ${JSON.stringify(endpoint)} is not an engine address: use unix:///path/to/docker.sock or tcp://HOST:PORT`);
    const [, scheme, rest] = m;
    if (scheme === "unix") {
        if (!rest.startsWith("/")) throw new EngineError(`--host ${endpoint}: a unix socket needs an absolute path (unix:///var/run/docker.sock)`);
        base = { socketPath: rest };
    } else if (scheme === "tcp" || scheme === "http" || scheme === "https") {
        let u: URL;
        try {
            u = new URL(`http://${rest}`);
        } catch {
            throw new EngineError(`--host ${endpoint} is not a valid address`);
        }
        const tls = tlsOf(opts, env);
        const useTls = scheme === "https" || (scheme === "tcp" && tls !== undefined);
        if (scheme === "http" && tls) throw new EngineError(`--host ${endpoint}: TLS files were given for a plain http:// endpoint; use tcp:// or https://`);
        base = { host: u.hostname.replace(/^\[|\]$/g, ""), port: u.port ? Number(u.port) : useTls ? 2376 : 2375 };
        if (useTls) {
            transport = https;
            const t = tls ?? {};
            if ((t.cert === undefined) !== (t.key === undefined)) throw new EngineError("a client certificate needs both --tls-cert and --tls-key");
            base = {
                ...base,
                ...(t.ca ? { ca: readPem(t.ca, "CA") } : {}),
                ...(t.cert ? { cert: readPem(t.cert, "certificate") } : {}),
                ...(t.key ? { key: readPem(t.key, "key") } : {}),
            } as https.RequestOptions;
        }
    } else {
        throw new EngineError(`--host ${endpoint}: ${scheme}:// endpoints are not supported; use unix:// or tcp:// (with TLS)`);
    }
    return {
        endpoint,
        get(apiPath: string): Promise<unknown> {
            return new Promise((resolve, reject) => {
                const req = transport.request(
                    { ...base, method: "GET", path: apiPath, headers: { Accept: "application/json" }, timeout, agent: false },
                    (res) => {
                        const chunks: Buffer[] = [];
                        let size = 0;
                        res.on("data", (c: Buffer) => {
                            size += c.length;
                            if (size > MAX_BODY) {
                                req.destroy();
                                reject(new EngineError(`the Docker engine at ${endpoint} sent more than ${MAX_BODY / 1024 / 1024} MiB for ${apiPath}`));
                                return;
                            }
                            chunks.push(c);
                        });
                        res.on("error", (e) => reject(failure(endpoint, e)));
                        res.on("end", () => {
                            const body = Buffer.concat(chunks).toString("utf8");
                            let doc: unknown;
                            try {
                                doc = JSON.parse(body);
                            } catch {
                                reject(
                                    new EngineError(
                                        `the Docker engine at ${endpoint} answered ${apiPath} with ${res.statusCode} and a body that is not JSON (is this a Docker engine?)`,
                                    ),
                                );
                                return;
                            }
                            if (res.statusCode !== 200) {
                                const msg =
                                    doc !== null && typeof doc === "object" && typeof (doc as { message?: unknown }).message === "string"
                                        ? (doc as { message: string }).message.split("\n")[0].slice(0, 200)
                                        : "";
                                const err = new EngineError(
                                    `the Docker engine at ${endpoint} answered ${apiPath} with ${res.statusCode}${msg ? `: ${msg}` : ""}`,
                                );
                                (err as EngineError & { status?: number }).status = res.statusCode;
                                reject(err);
                                return;
                            }
                            resolve(doc);
                        });
                    },
                );
                req.on("timeout", () => req.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })));
                req.on("error", (e) => reject(failure(endpoint, e)));
                req.end();
            });
        },
    };
}

/** Runs `fn` over `items` with at most `limit` at a time, keeping order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
    const out: R[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            out[i] = await fn(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return out;
}
