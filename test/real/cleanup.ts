// Leftover control for the real-daemon test helpers.
//
// Every helper that starts a process or makes a temp dir registers it here.
// - `stop()` of each helper unregisters it after a clean shutdown.
// - If the test process exits with something still registered (a failed
//   hook, an uncaught error, Ctrl-C), the 'exit' hook kills the process
//   groups with SIGKILL and removes the temp dirs, synchronously.
// - If the test process is SIGKILLed, the children die with it anyway
//   (they are started under `setpriv --pdeathsig KILL`) and the temp dir is
//   swept by `sweepStale()` on the next run (its owner pid is dead).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";

/** Base directory for all temp dirs of the real-daemon helpers (mode 0711 so userns-remapped roots can traverse it). */
export const REAL_BASE = path.join(os.tmpdir(), "stride-guard-real");

interface Leftover {
    pids: number[];
    dirs: string[];
    cgroupParents: string[];
}

const registry = new Map<string, Leftover>();
let hooked = false;

function hook(): void {
    if (hooked) return;
    hooked = true;
    process.on("exit", () => {
        for (const key of [...registry.keys()]) killLeftoverSync(key);
    });
    for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
        process.once(sig, () => {
            for (const key of [...registry.keys()]) killLeftoverSync(key);
            process.exit(128 + (os.constants.signals[sig] ?? 1));
        });
    }
}

/** Register things to clean up if the process exits before `unregister(key)`. Returns the key. */
export function register(key: string, what: Partial<Leftover>): string {
    hook();
    const cur = registry.get(key) ?? { pids: [], dirs: [], cgroupParents: [] };
    cur.pids.push(...(what.pids ?? []));
    cur.dirs.push(...(what.dirs ?? []));
    cur.cgroupParents.push(...(what.cgroupParents ?? []));
    registry.set(key, cur);
    return key;
}

export function unregister(key: string): void {
    registry.delete(key);
}

/** Number of registered, not yet stopped daemons (caches, keys starting with "cache:", are not counted). */
export function leftoverCount(): number {
    return [...registry.keys()].filter((k) => !k.startsWith("cache:")).length;
}

function alive(pid: number): boolean {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
        return state !== "Z" && state !== "X";
    } catch {
        return false;
    }
}

function sleepSync(ms: number): void {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Remove empty cgroup directories `<hierarchy>/<parent>/**` (depth first) in every cgroup v1/v2 hierarchy. */
export function removeCgroupParent(parent: string): void {
    const rel = parent.replace(/^\/+/, "");
    if (!rel || rel.includes("..")) return;
    let hierarchies: string[];
    try {
        hierarchies = fs
            .readFileSync("/proc/self/mounts", "utf8")
            .split("\n")
            .map((l) => l.split(" "))
            .filter((f) => f[2] === "cgroup" || f[2] === "cgroup2")
            .map((f) => f[1]);
    } catch {
        return;
    }
    const rmTree = (dir: string): void => {
        let entries: fs.Dirent[];
        try {
            entries = fs.readdirSync(dir, { withFileTypes: true });
        } catch {
            return;
        }
        for (const e of entries) if (e.isDirectory()) rmTree(path.join(dir, e.name));
        try {
            fs.rmdirSync(dir);
        } catch {
            /* busy or gone */
        }
    };
    for (const h of hierarchies) rmTree(path.join(h, rel));
}

/** Remove a directory tree; unmounts anything still mounted below it first (only needed if a mount leaked into our namespace). */
export function removeDirSync(dir: string): void {
    for (let attempt = 0; attempt < 20; attempt++) {
        try {
            const mounts = fs
                .readFileSync("/proc/self/mounts", "utf8")
                .split("\n")
                .map((l) => l.split(" ")[1])
                .filter((m) => m !== undefined && (m === dir || m.startsWith(dir + "/")))
                .sort((a, b) => b.length - a.length);
            for (const m of mounts) spawnSync("umount", ["-l", m], { stdio: "ignore" });
            fs.rmSync(dir, { recursive: true, force: true });
            return;
        } catch {
            sleepSync(100);
        }
    }
}

/** Synchronous last-resort cleanup of one registered resource. */
export function killLeftoverSync(key: string): void {
    const l = registry.get(key);
    if (!l) return;
    for (const pid of l.pids) {
        try {
            process.kill(pid, "SIGKILL");
        } catch {
            /* gone */
        }
    }
    const deadline = Date.now() + 5000;
    while (l.pids.some(alive) && Date.now() < deadline) sleepSync(50);
    sleepSync(100); // let the kernel tear down the private mount namespace
    for (const cg of l.cgroupParents) removeCgroupParent(cg);
    for (const d of l.dirs) removeDirSync(d);
    registry.delete(key);
}

/** Create a fresh temp dir under REAL_BASE (mode 0711), stamped with our pid so that later runs can sweep it. */
export function makeTempDir(prefix: string): string {
    fs.mkdirSync(REAL_BASE, { recursive: true, mode: 0o711 });
    fs.chmodSync(REAL_BASE, 0o711);
    const dir = fs.mkdtempSync(path.join(REAL_BASE, prefix + "-"));
    fs.chmodSync(dir, 0o711);
    fs.writeFileSync(path.join(dir, "owner.pid"), String(process.pid));
    return dir;
}

let swept = false;
/** Remove temp dirs (and cgroup parents named in them) left by earlier runs whose process is gone. */
export function sweepStale(): void {
    if (swept) return;
    swept = true;
    let names: string[];
    try {
        names = fs.readdirSync(REAL_BASE);
    } catch {
        return;
    }
    for (const n of names) {
        const dir = path.join(REAL_BASE, n);
        let owner = NaN;
        try {
            owner = Number(fs.readFileSync(path.join(dir, "owner.pid"), "utf8"));
        } catch {
            /* no stamp: not ours or half made; leave it unless clearly stale */
        }
        if (Number.isFinite(owner) && (owner === process.pid || alive(owner))) continue;
        if (!Number.isFinite(owner)) {
            try {
                if (Date.now() - fs.statSync(dir).mtimeMs < 3600_000) continue;
            } catch {
                continue;
            }
        }
        // processes of a dead owner died with it (pdeathsig); kill any recorded survivor anyway
        try {
            for (const p of fs.readFileSync(path.join(dir, "pids"), "utf8").split(/\s+/).filter(Boolean)) {
                try {
                    // only if the pid still is ours (its command line names this dir): pids get reused
                    const cmd = fs.readFileSync(`/proc/${Number(p)}/cmdline`, "utf8");
                    if (cmd.includes(dir)) process.kill(Number(p), "SIGKILL");
                } catch {
                    /* gone */
                }
            }
        } catch {
            /* none */
        }
        try {
            removeCgroupParent(fs.readFileSync(path.join(dir, "cgroup-parent"), "utf8").trim());
        } catch {
            /* none */
        }
        removeDirSync(dir);
    }
}
