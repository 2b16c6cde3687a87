/** Small measuring helpers for the benchmark. */
import * as fs from "fs";

export function now(): number {
    return Number(process.hrtime.bigint()) / 1e6;
}

export function median(xs: readonly number[]): number {
    if (xs.length === 0) return NaN;
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * CPU time of `fn` in this process (ms, user + system). The bench reports CPU time wherever it can: on a shared
 * machine wall-clock time measures the neighbours as much as the code.
 */
export function time(fn: () => void): number {
    const t = process.cpuUsage();
    fn();
    const d = process.cpuUsage(t);
    return (d.user + d.system) / 1000;
}

/** CPU time (ms, user + system) a process has used so far, from /proc/PID/stat; NaN where unavailable. */
export function cpuOf(pid: number): number {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        // fields 14 and 15 (utime, stime) are at 11 and 12 after the command name; clock ticks are 100 Hz on Linux.
        return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
    } catch {
        return NaN;
    }
}

export async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
    const t = now();
    await fn();
    return now() - t;
}

/** VmHWM / VmRSS of a process, in MB (Linux only; NaN elsewhere). */
export function memOf(pid: number): { hwmMb: number; rssMb: number } {
    try {
        const s = fs.readFileSync(`/proc/${pid}/status`, "utf8");
        const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(s)?.[1] ?? NaN);
        return { hwmMb: kb("VmHWM") / 1024, rssMb: kb("VmRSS") / 1024 };
    } catch {
        return { hwmMb: NaN, rssMb: NaN };
    }
}

/** Runs `tasks` with at most `inFlight` pending at once. */
export async function pool<T>(items: readonly T[], inFlight: number, fn: (x: T) => Promise<unknown>): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            await fn(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, worker));
}

export const fmt = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : "n/a");
