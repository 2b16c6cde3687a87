import { V } from "../core/values";

/** A file that a stack writes to a machine (daemon.json, audit rules, static Pod manifests, keys). */
export interface HostFile {
    /** The machine, as its connection names it (host[:port]). */
    readonly host: string;
    readonly path: string;
    readonly content: V<string>;
    /** Octal mode as written ("0644"); undefined when the stack leaves it to umask. */
    readonly mode: V<string>;
    readonly owner: V<string>;
    readonly group: V<string>;
    /** The resource that writes it and the property that carries the content. */
    readonly source: { readonly urn: string; readonly name: string; readonly field: string };
    /** Read on a machine by `scan host`: mode and owner are what the file has, not what a command sets. */
    readonly observed?: true;
}

/** A machine the stack configures, with every file written to it. */
export interface HostModel {
    readonly host: string;
    readonly files: readonly HostFile[];
    /** Directories the stack creates (`install -d`, `mkdir`), with mode and owner (content is always undefined). */
    readonly directories?: readonly HostFile[];
}

export function fileAt(host: HostModel, path: string): HostFile | undefined {
    // The last write wins, as on the machine.
    for (let i = host.files.length - 1; i >= 0; i--) if (host.files[i].path === path) return host.files[i];
    return undefined;
}
