/**
 * Shell fragments for files written to a machine over SSH. Every file goes through `install` with its mode
 * and owner on the same command line and its content on stdin, which is also the form the policy pack's
 * host-file adapter reads (`install -D -m MODE -o OWNER -g GROUP /dev/stdin PATH`).
 */

export interface FileSpec {
    /** Absolute path on the machine. */
    path: string;
    /** Octal mode as four digits, e.g. "0600". */
    mode: string;
    owner?: string;
    group?: string;
}

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Single-quotes a word for POSIX sh unless it is plainly safe. */
export function shq(word: string): string {
    return SAFE_WORD.test(word) ? word : `'${word.replace(/'/g, `'"'"'`)}'`;
}

function checkSpec(f: FileSpec): void {
    if (!f.path.startsWith("/") || f.path.includes("..")) throw new Error(`file path must be absolute and normalized: ${JSON.stringify(f.path)}`);
    if (!/^0[0-7]{3}$/.test(f.mode)) throw new Error(`file mode must be four octal digits: ${JSON.stringify(f.mode)} (${f.path})`);
}

/** `install` command writing stdin to the file, creating parent directories, with mode and owner in one step. */
export function installFromStdin(f: FileSpec): string {
    checkSpec(f);
    return `install -D -m ${f.mode} -o ${shq(f.owner ?? "root")} -g ${shq(f.group ?? "root")} /dev/stdin ${shq(f.path)}`;
}

/** `install -d` command creating a directory with mode and owner. */
export function installDirectory(f: FileSpec): string {
    checkSpec(f);
    return `install -d -m ${f.mode} -o ${shq(f.owner ?? "root")} -g ${shq(f.group ?? "root")} ${shq(f.path)}`;
}

/** Prefixes a command with `sudo -n` unless the remote user is root. */
export function asRoot(user: string, cmd: string): string {
    return user === "root" ? cmd : `sudo -n ${cmd}`;
}
