/**
 * A small Docker Engine API client: unix socket, plain TCP or TCP with TLS (client certificate), with
 * bounded time and size. Errors name the endpoint and say what failed, never more.
 *
 * An engine is outside input like any file: an idle timeout alone lets a server that sends a byte every few
 * seconds hold the scan forever, and a size cap per response alone lets many large answers add up. So each
 * response has an overall deadline and a size cap, and the scan has both in total.
 */
import * as http from "http";
import * as https from "https";
import * as path from "path";
import { printable } from "../kernel/text";
import { readTextFile, SourceError } from "./sources";

export interface TlsPaths {
    readonly ca?: string;
    readonly cert?: string;
    readonly key?: string;
}

export interface EngineOptions {
    /** unix:///path, tcp://host:port, http(s)://host:port; default DOCKER_HOST, else unix:///var/run/docker.sock. */
    readonly host?: string;
    readonly tls?: TlsPaths;
    /** Longest silence on a connection (default 15 s). */
    readonly timeoutMs?: number;
    /** Longest time for one response, from the request to the body's last byte (default 30 s). */
    readonly responseDeadlineMs?: number;
    /** Longest time for every request of this engine together, from connectEngine (default 120 s). */
    readonly scanDeadlineMs?: number;
    /** Largest body of one response (default 16 MiB; an inspect is a few KB, a list of 10,000 containers ~10 MB). */
    readonly maxResponseBytes?: number;
    /** Largest total of every body received (default 128 MiB). */
    readonly maxTotalBytes?: number;
    readonly env?: NodeJS.ProcessEnv;
}

export class EngineError extends Error {}

export interface Engine {
    /** The endpoint as shown in messages (never with credentials). */
    readonly endpoint: string;
    /** GET a JSON document; rejects with an EngineError that names the endpoint. */
    get(apiPath: string): Promise<unknown>;
}

export const ENGINE_LIMITS = {
    responseDeadlineMs: 30_000,
    scanDeadlineMs: 120_000,
    maxResponseBytes: 16 * 1024 * 1024,
    maxTotalBytes: 128 * 1024 * 1024,
} as const;
export const DEFAULT_HOST = "unix:///var/run/docker.sock";

function readPem(file: string, what: string): Buffer {
    try {
        // A regular file, bounded: `--tls-ca /dev/zero` must not hang the scan.
        return Buffer.from(readTextFile(file));
    } catch (e) {
        throw new EngineError(
            `cannot read the TLS ${what} file ${file}: ${e instanceof SourceError ? e.message : ((e as NodeJS.ErrnoException).code ?? "error")}`,
        );
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
        (code && Object.prototype.hasOwnProperty.call(why, code) ? why[code] : undefined) ??
        printable(e instanceof Error ? e.message : String(e), { max: 200 });
    return new EngineError(`cannot reach the Docker engine at ${endpoint}: ${text}`);
}

/** Resolves the endpoint and TLS material; throws EngineError on a malformed host or unreadable TLS files. */
export function connectEngine(opts: EngineOptions = {}): Engine {
    const env = opts.env ?? process.env;
    const raw = opts.host ?? (env["DOCKER_HOST"] || DEFAULT_HOST);
    const endpoint = shown(raw);
    const timeout = opts.timeoutMs ?? 15_000;
    const responseMs = opts.responseDeadlineMs ?? ENGINE_LIMITS.responseDeadlineMs;
    const scanMs = opts.scanDeadlineMs ?? ENGINE_LIMITS.scanDeadlineMs;
    const maxBody = opts.maxResponseBytes ?? ENGINE_LIMITS.maxResponseBytes;
    const maxTotal = opts.maxTotalBytes ?? ENGINE_LIMITS.maxTotalBytes;
    const scanEnds = Date.now() + scanMs;
    let received = 0;
    const mib = (n: number) => (n % (1024 * 1024) === 0 ? `${n / 1024 / 1024} MiB` : `${Math.ceil(n / 1024)} KiB`);
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
                const left = scanEnds - Date.now();
                if (left <= 0) {
                    reject(new EngineError(`the Docker engine at ${endpoint} did not finish answering within the scan's ${scanMs / 1000} s`));
                    return;
                }
                let settled = false;
                const settle = (f: () => void) => {
                    if (settled) return;
                    settled = true;
                    clearTimeout(timer);
                    f();
                };
                const fail = (e: EngineError) => {
                    settle(() => reject(e));
                    req.destroy();
                };
                // One deadline for the whole response, however the server paces its bytes.
                const byScan = left < responseMs;
                const timer = setTimeout(
                    () =>
                        fail(
                            new EngineError(
                                byScan
                                    ? `the Docker engine at ${endpoint} did not finish answering within the scan's ${scanMs / 1000} s`
                                    : `the Docker engine at ${endpoint} did not answer ${apiPath} within ${responseMs / 1000} s`,
                            ),
                        ),
                    Math.min(left, responseMs),
                );
                const req = transport.request(
                    { ...base, method: "GET", path: apiPath, headers: { Accept: "application/json" }, timeout, agent: false },
                    (res) => {
                        const chunks: Buffer[] = [];
                        let size = 0;
                        res.on("data", (c: Buffer) => {
                            if (settled) return;
                            size += c.length;
                            received += c.length;
                            if (size > maxBody) {
                                fail(new EngineError(`the Docker engine at ${endpoint} sent more than ${mib(maxBody)} for ${apiPath}`));
                                return;
                            }
                            if (received > maxTotal) {
                                fail(new EngineError(`the Docker engine at ${endpoint} sent more than ${mib(maxTotal)} in total`));
                                return;
                            }
                            chunks.push(c);
                        });
                        res.on("error", (e) => settle(() => reject(failure(endpoint, e))));
                        res.on("end", () => {
                            if (settled) return;
                            const body = Buffer.concat(chunks).toString("utf8");
                            let doc: unknown;
                            try {
                                doc = JSON.parse(body);
                            } catch {
                                const e = new EngineError(
                                    `the Docker engine at ${endpoint} answered ${apiPath} with ${res.statusCode} and a body that is not JSON (is this a Docker engine?)`,
                                );
                                settle(() => reject(e));
                                return;
                            }
                            if (res.statusCode !== 200) {
                                // The engine's own words, as one printable line: no escape sequence reaches the terminal.
                                const msg =
                                    doc !== null && typeof doc === "object" && typeof (doc as { message?: unknown }).message === "string"
                                        ? printable((doc as { message: string }).message.split(/\r\n|[\r\n]/)[0], { max: 200 })
                                        : "";
                                const err = new EngineError(
                                    `the Docker engine at ${endpoint} answered ${apiPath} with ${res.statusCode}${msg ? `: ${msg}` : ""}`,
                                );
                                (err as EngineError & { status?: number }).status = res.statusCode;
                                settle(() => reject(err));
                                return;
                            }
                            settle(() => resolve(doc));
                        });
                    },
                );
                req.on("timeout", () => req.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })));
                req.on("error", (e) => settle(() => reject(failure(endpoint, e))));
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
