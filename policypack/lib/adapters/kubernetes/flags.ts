/**
 * Command-line flags of the Kubernetes control-plane binaries (kube-apiserver, etcd,
 * kube-controller-manager, kube-scheduler, kubelet), as they appear in container commands,
 * static Pod manifests, systemd units and kubeadm `extraArgs`.
 *
 * Forms: `--flag=value`, `--flag value`, `-flag=value` (Go's flag package, used by etcd), a boolean
 * `--flag` alone (true). Repeated flags keep every occurrence, in order: string flags take the last
 * one, list flags (`--enable-admission-plugins`, `--feature-gates`) add them up (see `itemsOf`).
 */
import { Invalid, UNKNOWN, V } from "../../core/values";

/** One occurrence of a flag. `index` is its position in the argument list (for source paths). */
export interface ParsedFlag {
    /** The name without leading dashes, e.g. `anonymous-auth`. */
    readonly name: string;
    readonly value: V<string>;
    readonly index: number;
    /** Written alone though the flag is not a known boolean one: its value reads as "true" but none was given. */
    readonly bare?: true;
}

export interface ParsedArgs {
    /** The program, when the list starts with one (basename, e.g. `kube-apiserver`). */
    readonly program: string | undefined;
    readonly flags: readonly ParsedFlag[];
    /** An argument is unknown at preview, so any flag not seen may still be set. */
    readonly open: boolean;
    /** Arguments that are not strings: `[index, what]`. */
    readonly malformed: readonly (readonly [number, string])[];
}

/**
 * Flags that are booleans in these binaries: alone they mean true, and they never take the next
 * argument as their value (pflag's NoOptDefVal), so `--profiling --v=2` is two flags.
 */
export const BOOLEAN_FLAGS: ReadonlySet<string> = new Set([
    "allow-privileged",
    "anonymous-auth",
    "authentication-token-webhook",
    "auto-tls",
    "client-cert-auth",
    "enable-bootstrap-token-auth",
    "enable-garbage-collector",
    "enable-v2",
    "experimental-initial-corrupt-check",
    "leader-elect",
    "make-iptables-util-chains",
    "peer-auto-tls",
    "peer-client-cert-auth",
    "profiling",
    "protect-kernel-defaults",
    "rotate-certificates",
    "rotate-server-certificates",
    "seccomp-default",
    "service-account-extend-token-expiration",
    "service-account-lookup",
    "use-service-account-credentials",
    "enable-pprof",
]);

const FLAG = /^--?([A-Za-z0-9][\w.-]*)(?:=([\s\S]*))?$/;

/** basename of a path-like program word: `/usr/local/bin/kube-apiserver` → `kube-apiserver`. */
export function basename(word: string): string {
    const i = word.lastIndexOf("/");
    return i >= 0 ? word.slice(i + 1) : word;
}

/**
 * Parses an argument list. When `withProgram` is true the first argument is the program.
 * Never throws: non-string arguments are reported in `malformed`, unknown ones make the list `open`
 * (or the value of the flag before them unknown).
 */
export function parseArgs(args: readonly unknown[], withProgram: boolean): ParsedArgs {
    const flags: ParsedFlag[] = [];
    const malformed: [number, string][] = [];
    let open = false;
    let program: string | undefined;
    let start = 0;
    if (withProgram && args.length > 0) {
        start = 1;
        if (typeof args[0] === "string") program = basename(args[0]);
        else if (args[0] === UNKNOWN) open = true;
        else malformed.push([0, kindOf(args[0])]);
    }
    for (let i = start; i < args.length; i++) {
        const a = args[i];
        if (a === UNKNOWN) {
            open = true;
            continue;
        }
        if (typeof a !== "string") {
            malformed.push([i, kindOf(a)]);
            continue;
        }
        const m = FLAG.exec(a);
        if (!m) continue; // a positional argument (e.g. a subcommand); these binaries take none we check
        const name = m[1];
        if (m[2] !== undefined) {
            flags.push({ name, value: m[2], index: i });
            continue;
        }
        const next = args[i + 1];
        if (BOOLEAN_FLAGS.has(name)) flags.push({ name, value: "true", index: i });
        else if (i + 1 >= args.length || (typeof next === "string" && next.startsWith("-"))) {
            flags.push({ name, value: "true", index: i, bare: true });
        } else if (next === UNKNOWN) {
            flags.push({ name, value: UNKNOWN, index: i });
            i++;
        } else if (typeof next === "string") {
            flags.push({ name, value: next, index: i });
            i++;
        } else {
            flags.push({ name, value: new Invalid("a string value", kindOf(next)), index: i });
            i++;
        }
    }
    return { program, flags, open, malformed };
}

function kindOf(v: unknown): string {
    if (v === null) return "null";
    if (v instanceof Invalid) return v.got;
    if (Array.isArray(v)) return "an array";
    return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

/** Splits a shell command line into words (quotes stripped, backslash-newlines joined). */
export function shellWords(line: string): string[] {
    const words: string[] = [];
    const re = /'([^']*)'|"((?:[^"\\]|\\.)*)"|((?:[^\s'"\\]|\\.)+)/g;
    let cur = "";
    let inWord = false;
    let last = 0;
    const src = line.replace(/\\\r?\n/g, " ");
    for (let m = re.exec(src); m; m = re.exec(src)) {
        if (inWord && m.index > last) {
            words.push(cur);
            cur = "";
        }
        cur += m[1] ?? (m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3].replace(/\\(.)/g, "$1"));
        inWord = true;
        last = re.lastIndex;
    }
    if (inWord) words.push(cur);
    return words;
}

/** Every item of a list flag over all its occurrences: `--a=x,y --a=z` → x, y, z (empty items dropped). */
export function itemsOf(values: readonly string[]): string[] {
    const out: string[] = [];
    for (const v of values) for (const item of v.split(",")) if (item.trim() !== "") out.push(item.trim());
    return out;
}

/** `--feature-gates=A=true,B=false` (all occurrences, later wins) → the value of one gate, or undefined. */
export function gateOf(values: readonly string[], gate: string): string | undefined {
    let out: string | undefined;
    for (const item of itemsOf(values)) {
        const eq = item.indexOf("=");
        if (eq > 0 && item.slice(0, eq).trim() === gate) out = item.slice(eq + 1).trim();
    }
    return out;
}

/** Go's strconv.ParseBool, which these binaries use for boolean flags. */
export function parseBool(v: string): boolean | undefined {
    if (["1", "t", "T", "TRUE", "true", "True"].includes(v)) return true;
    if (["0", "f", "F", "FALSE", "false", "False"].includes(v)) return false;
    return undefined;
}
