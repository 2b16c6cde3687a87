/**
 * systemd units as systemd reads them on a machine: the unit file found first in the search path, its
 * drop-ins (`<unit>.d/*.conf`, a name in a earlier directory hiding the same name in a later one, applied in
 * name order), `ExecStart=` (an empty one resets the list), `Environment=` and `EnvironmentFile=`, and the
 * expansion of `$VAR` (split into words) and `${VAR}` (one word) in the command line.
 */
import { shellWords } from "../kubernetes/flags";

/** Where systemd looks for system units, first match wins (/etc over /run over the vendor's). */
export const UNIT_DIRS: readonly string[] = ["/etc/systemd/system", "/run/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system"];

/** Where systemd looks for a program named without a path in `ExecStart=` (systemd ≥ 239). */
export const EXEC_SEARCH_PATH: readonly string[] = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

export interface UnitText {
    readonly path: string;
    readonly text: string;
}

export interface EffectiveUnit {
    /** The unit file, then its drop-ins in the order systemd applies them. */
    readonly files: readonly string[];
    /** The last `ExecStart=` command line and the file that sets it; undefined when none is left. */
    readonly execStart?: { readonly line: string; readonly file: string };
    /** `Environment=` assignments in order. */
    readonly environment: readonly (readonly [string, string])[];
    /** `EnvironmentFile=` entries in order; `optional` for a leading `-`. */
    readonly environmentFiles: readonly { readonly path: string; readonly optional: boolean; readonly file: string }[];
}

/** Drop-in names in every directory, resolved to the path systemd applies: the first directory's wins, then sorted by name. */
export function dropInOrder(found: readonly { readonly dir: string; readonly name: string }[]): string[] {
    const byName = new Map<string, string>();
    for (const dir of UNIT_DIRS) {
        for (const f of found) if (f.dir === dir && f.name.endsWith(".conf") && !byName.has(f.name)) byName.set(f.name, `${dir}/${f.name}`);
    }
    return [...byName.keys()].sort().map((n) => byName.get(n) as string);
}

/** Logical lines of a unit file: continuations joined, comments dropped. */
function lines(text: string): string[] {
    return text
        .replace(/\\\r?\n/g, " ")
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== "" && !l.startsWith("#") && !l.startsWith(";"));
}

/** Reads the `[Service]` directives of a unit and its drop-ins (given in application order). */
export function effectiveUnit(files: readonly UnitText[]): EffectiveUnit {
    let execStart: { line: string; file: string } | undefined;
    const environment: [string, string][] = [];
    const environmentFiles: { path: string; optional: boolean; file: string }[] = [];
    for (const f of files) {
        let section = "";
        for (const l of lines(f.text)) {
            const sec = /^\[([^\]]*)\]$/.exec(l);
            if (sec) {
                section = sec[1];
                continue;
            }
            if (section !== "Service") continue;
            const m = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(l);
            if (!m) continue;
            const [, key, value] = m;
            if (key === "ExecStart") execStart = value === "" ? undefined : { line: value, file: f.path };
            else if (key === "Environment") {
                for (const pair of shellWords(value)) {
                    const eq = pair.indexOf("=");
                    if (eq > 0) environment.push([pair.slice(0, eq), pair.slice(eq + 1)]);
                }
            } else if (key === "EnvironmentFile") {
                if (value === "") environmentFiles.length = 0;
                else {
                    const optional = value.startsWith("-");
                    environmentFiles.push({ path: optional ? value.slice(1) : value, optional, file: f.path });
                }
            }
        }
    }
    return { files: files.map((f) => f.path), ...(execStart ? { execStart } : {}), environment, environmentFiles };
}

/** `KEY=VALUE` lines of an environment file (quotes removed, comments and malformed lines skipped). */
export function parseEnvironmentFile(text: string): [string, string][] {
    const out: [string, string][] = [];
    for (const l of lines(text)) {
        const m = /^(?:export\s+)?([A-Za-z_]\w*)\s*=\s*(.*)$/.exec(l);
        if (!m) continue;
        let v = m[2].trim();
        const q = /^"((?:[^"\\]|\\.)*)"$|^'([^']*)'$/.exec(v);
        if (q) v = q[1] !== undefined ? q[1].replace(/\\(.)/g, "$1") : q[2];
        out.push([m[1], v]);
    }
    return out;
}

/**
 * The words of an `ExecStart=` line with the environment applied: its `-@+!:` prefixes dropped, `$VAR` split
 * on white space, `${VAR}` kept as one word; an unset variable is empty, as systemd does.
 */
export function execWords(line: string, env: ReadonlyMap<string, string>): string[] {
    const words: string[] = [];
    for (const w of shellWords(line.replace(/^[-@+!:]+/, ""))) {
        const whole = /^\$([A-Za-z_]\w*)$/.exec(w);
        if (whole) {
            words.push(...(env.get(whole[1]) ?? "").split(/\s+/).filter((x) => x !== ""));
            continue;
        }
        words.push(w.replace(/\$\{([A-Za-z_]\w*)\}/g, (_, name: string) => env.get(name) ?? ""));
    }
    return words;
}
