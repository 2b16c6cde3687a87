/**
 * What `runner/isolate.ts` (the parent) and `runner/child.ts` say to each other, and how a program's failure
 * becomes one line: what happened, where in the program (file:line:column), never the program's source.
 */
import * as path from "path";
import { printable } from "../kernel/text";
import { CapturedResource } from "./types";

export interface ParentMessage {
    readonly program: string;
    /** The project folder: frames inside it (outside node_modules) are the program's. */
    readonly root: string;
    readonly project: string;
    readonly stack: string;
    readonly config: Record<string, string>;
    readonly secretConfigKeys: string[];
    readonly newStack: boolean;
}

export interface Failure {
    /** One line: what went wrong. */
    readonly reason: string;
    /** `file:line:column` in the program, when known. */
    readonly where?: string;
    /** The stack trace, shown only with --debug. */
    readonly detail?: string;
}

export type ChildMessage =
    | { readonly t: "phase"; readonly phase: "settled" }
    | { readonly t: "resources"; readonly items: CapturedResource[] }
    | { readonly t: "done"; readonly outputs: Record<string, unknown> }
    | ({ readonly t: "failed" } & Failure);

/** Resources per IPC message: bounded messages, few of them. */
export const RESOURCES_PER_MESSAGE = 500;

const FRAME = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?$/;

/**
 * The first stack frame inside the program (under `root`, not in node_modules), as `file:line:column`; none
 * when the error arose elsewhere (in the SDK, on a later turn), rather than a frame the user cannot act on.
 */
export function programFrame(stack: string, root: string, skipFirst = false): string | undefined {
    const lines = stack.split("\n").filter((l) => /^\s+at /.test(l));
    for (const line of lines.slice(skipFirst ? 1 : 0)) {
        const m = FRAME.exec(line.trim());
        if (!m) continue;
        const file = m[1].startsWith("file://") ? decodeURIComponent(m[1].slice(7)) : m[1];
        if (file.startsWith("node:") || !path.isAbsolute(file)) continue;
        const loc = `${shown(file)}:${m[2]}:${m[3]}`;
        const rel = path.relative(root, file);
        if (!rel.startsWith("..") && !rel.split(path.sep).includes("node_modules")) return loc;
    }
    return undefined;
}

/** A path as the user gave it: relative to the working directory when it is under it. */
function shown(file: string): string {
    const rel = path.relative(process.cwd(), file);
    return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

/**
 * One line for an error the program raised. The message is the error's own (control characters stripped,
 * bounded); a syntax error's quoted token is dropped, since it is a piece of the file.
 */
export function describeFailure(what: string, e: unknown, root: string, fromCaller = false): Failure {
    let message = "";
    let stack = "";
    let where: string | undefined;
    try {
        if (e instanceof Error) {
            stack = String(e.stack ?? "");
            if (!fromCaller) message = `${e.name}: ${e.message}`;
            if (e instanceof SyntaxError) {
                what = "has a syntax error";
                message = e.message.replace(/'[^']*'|"[^"]*"|`[^`]*`/g, "…");
                // Node puts "file:line" (and the source line, which must not be shown) before the message.
                const head = /^(\/[^\n]+?):(\d+)\n[^\n]*\n( *)\^/.exec(stack);
                if (head) where = `${shown(head[1])}:${head[2]}:${head[3].length + 1}`;
            }
            // ts-node's diagnostics: "index.ts(2,5): error TS1005: …"
            const ts = /^(\S+\.[cm]?tsx?)\((\d+),(\d+)\)/m.exec(e.message);
            if (ts) where = `${shown(path.resolve(root, ts[1]))}:${ts[2]}:${ts[3]}`;
        } else if (!fromCaller) {
            message = `a value that is not an Error (${e === null ? "null" : typeof e})`;
        }
    } catch {
        message = "an error that cannot be described";
    }
    where ??= stack ? programFrame(stack, root, fromCaller) : undefined;
    const reason = printable(message ? `${what}: ${message}` : what, { max: 300 });
    return {
        reason,
        ...(where ? { where: printable(where, { max: 300 }) } : {}),
        ...(stack ? { detail: printable(stack, { multiline: true, max: 20_000 }) } : {}),
    };
}
