// Which real parts (dockerd, etcd) can run on this machine, and the
// skip-or-fail rule for tests that need them.
import * as fs from "fs";
import * as path from "path";

export type RealPart = "dockerd" | "etcd";

export interface PartStatus {
    ok: boolean;
    /** Why not, when !ok. */
    reason?: string;
    /** Resolved absolute paths of the binaries the part needs. */
    binaries: Record<string, string>;
}

export type RealParts = Record<RealPart, PartStatus>;

/** Binaries each part needs (first one found on PATH wins, except `docker`, see `dockerCli()`). */
const NEEDS: Record<RealPart, string[]> = {
    dockerd: [
        "dockerd",
        "containerd",
        "containerd-shim-runc-v2",
        "runc",
        "docker-init",
        "docker",
        "unshare",
        "nsenter",
        "setpriv",
        "ip",
        "iptables",
        "busybox",
        "tar",
        "openssl",
    ],
    etcd: ["etcd", "etcdctl", "setpriv", "openssl"],
};

/** Absolute path of an executable on PATH (plus the sbin dirs, which a non-login root shell may lack), or undefined. */
export function which(name: string): string | undefined {
    const dirs = (process.env.PATH ?? "").split(":").filter(Boolean);
    for (const extra of ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]) if (!dirs.includes(extra)) dirs.push(extra);
    for (const d of dirs) {
        const p = path.join(d, name);
        try {
            fs.accessSync(p, fs.constants.X_OK);
            if (fs.statSync(p).isFile()) return p;
        } catch {
            /* next */
        }
    }
    return undefined;
}

/**
 * The docker CLI to use: Debian's /usr/bin/docker (same version as the
 * docker.io daemon) when present, else the first `docker` on PATH (a newer
 * CLI negotiates the API version down).
 */
export function dockerCli(): string | undefined {
    const debian = "/usr/bin/docker";
    try {
        fs.accessSync(debian, fs.constants.X_OK);
        return debian;
    } catch {
        return which("docker");
    }
}

let cached: RealParts | undefined;

export function realPartsAvailable(): RealParts {
    if (cached) return cached;
    const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
    const out = {} as RealParts;
    for (const part of Object.keys(NEEDS) as RealPart[]) {
        const binaries: Record<string, string> = {};
        const missing: string[] = [];
        for (const b of NEEDS[part]) {
            const p = b === "docker" ? dockerCli() : which(b);
            if (p) binaries[b] = p;
            else missing.push(b);
        }
        const reasons: string[] = [];
        if (process.platform !== "linux") reasons.push(`platform is ${process.platform}, not linux`);
        if (!isRoot) reasons.push("not running as root");
        if (missing.length) reasons.push(`missing binaries: ${missing.join(", ")} (bash .ci/run installs them)`);
        out[part] = reasons.length ? { ok: false, reason: reasons.join("; "), binaries } : { ok: true, binaries };
    }
    cached = out;
    return out;
}

/** True when running under CI (CI set to anything but "", "0" or "false"). */
export function underCi(): boolean {
    const v = (process.env.CI ?? "").trim().toLowerCase();
    return v !== "" && v !== "0" && v !== "false";
}

/**
 * Call at the top of a `before`/`it` that needs real parts (use `function`, not
 * an arrow, so `this` is mocha's context). Missing parts skip the test locally,
 * but FAIL it under CI so that CI cannot silently skip.
 */
export function requireRealParts(ctx: Mocha.Context, parts: RealPart[]): void {
    const avail = realPartsAvailable();
    const bad = parts.filter((p) => !avail[p].ok).map((p) => `${p}: ${avail[p].reason}`);
    if (!bad.length) return;
    const msg = `real parts unavailable — ${bad.join(" | ")}`;
    if (underCi()) throw new Error(`${msg} (CI is set, so this fails instead of skipping)`);
    ctx.skip();
}
