// A throwaway PKI made with the openssl CLI: one CA (EC P-256), one server
// certificate with SANs (serverAuth + clientAuth, so it doubles as an etcd
// peer certificate), and client certificates (clientAuth). Keys are 0600.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";

export interface CertKey {
    cert: string;
    key: string;
}

export interface Pki {
    dir: string;
    /** CA certificate and key. */
    ca: CertKey;
    /** Server certificate (SANs = serverNames + serverIps, EKU serverAuth+clientAuth). */
    server: CertKey;
    /** Client certificates by name (CN = name, EKU clientAuth). */
    clients: Record<string, CertKey>;
}

export interface PkiOptions {
    serverNames: string[];
    serverIps: string[];
    clients: string[];
    /** Validity in days (default 7). */
    days?: number;
    /** CA common name (default "stride-guard test CA"). */
    caName?: string;
}

function openssl(args: string[], cwd: string): void {
    try {
        execFileSync("openssl", args, { cwd, stdio: ["ignore", "pipe", "pipe"], timeout: 30_000 });
    } catch (e) {
        const err = e as { stderr?: Buffer; message: string };
        throw new Error(`openssl ${args.join(" ")} failed: ${err.stderr?.toString() ?? err.message}`, { cause: e });
    }
}

function genKey(file: string, cwd: string): void {
    openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", file], cwd);
    fs.chmodSync(path.join(cwd, file), 0o600);
}

function serial(): string {
    return (
        "0x" +
        crypto
            .randomBytes(16)
            .toString("hex")
            .replace(/^[89a-f]/, "1")
    );
}

function safeName(n: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(n)) throw new Error(`bad certificate name ${JSON.stringify(n)}`);
    return n;
}

function sign(base: string, cn: string, ext: string[], days: number, cwd: string): CertKey {
    genKey(`${base}.key`, cwd);
    openssl(["req", "-new", "-key", `${base}.key`, "-subj", `/CN=${cn}`, "-out", `${base}.csr`], cwd);
    fs.writeFileSync(path.join(cwd, `${base}.ext`), ext.join("\n") + "\n");
    openssl(
        [
            "x509",
            "-req",
            "-in",
            `${base}.csr`,
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-set_serial",
            serial(),
            "-days",
            String(days),
            "-sha256",
            "-extfile",
            `${base}.ext`,
            "-out",
            `${base}.crt`,
        ],
        cwd,
    );
    fs.rmSync(path.join(cwd, `${base}.csr`));
    fs.rmSync(path.join(cwd, `${base}.ext`));
    return { cert: path.join(cwd, `${base}.crt`), key: path.join(cwd, `${base}.key`) };
}

/** Make the PKI in `dir` (created if needed). Synchronous; takes ~50 ms per certificate. */
export function makePki(dir: string, opts: PkiOptions): Pki {
    const days = opts.days ?? 7;
    fs.mkdirSync(dir, { recursive: true });
    const abs = path.resolve(dir);
    genKey("ca.key", abs);
    openssl(
        [
            "req",
            "-x509",
            "-new",
            "-key",
            "ca.key",
            "-sha256",
            "-days",
            String(days),
            "-set_serial",
            serial(),
            "-subj",
            `/CN=${opts.caName ?? "stride-guard test CA"}`,
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-addext",
            "subjectKeyIdentifier=hash",
            "-out",
            "ca.crt",
        ],
        abs,
    );
    const sans = [...opts.serverNames.map((n) => `DNS:${n}`), ...opts.serverIps.map((ip) => `IP:${ip}`)];
    if (!sans.length) throw new Error("makePki: serverNames and serverIps are both empty");
    const server = sign(
        "server",
        opts.serverNames[0] ?? opts.serverIps[0],
        [
            "basicConstraints=critical,CA:FALSE",
            "keyUsage=critical,digitalSignature,keyEncipherment",
            "extendedKeyUsage=serverAuth,clientAuth",
            `subjectAltName=${sans.join(",")}`,
            "authorityKeyIdentifier=keyid",
        ],
        days,
        abs,
    );
    const clients: Record<string, CertKey> = {};
    for (const c of opts.clients) {
        clients[c] = sign(
            `client-${safeName(c)}`,
            c,
            ["basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature", "extendedKeyUsage=clientAuth", "authorityKeyIdentifier=keyid"],
            days,
            abs,
        );
    }
    return { dir: abs, ca: { cert: path.join(abs, "ca.crt"), key: path.join(abs, "ca.key") }, server, clients };
}
