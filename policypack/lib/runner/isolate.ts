/**
 * Runs one stack's Pulumi program in a child process (`runner/child.ts`) and collects what it captured.
 *
 * Why a process and not a worker thread or the CLI's own process: the program is arbitrary code. In-process,
 * `process.exit` ended the gate with whatever exit code the program chose, a timer kept it alive for ever, an
 * out-of-memory crash took the report with it, and a promise that never settled ended the run with "no
 * findings". A worker thread shares the process (a native crash or `process.abort()` still ends it, it
 * cannot `chdir`, and its heap limit is a flag of the same process). A child process can be killed at the
 * deadline whatever it is doing, its death is observed, and its output cannot reach our stdout. It costs one
 * Node.js start and one load of @pulumi/pulumi per stack (≈0.5 s), which the program's own run dwarfs.
 */
import { fork } from "child_process";
import * as path from "path";
import { printable } from "../kernel/text";
import { ChildMessage, Failure, ParentMessage } from "./protocol";
import { CapturedResource, RunResult } from "./types";

export const DEFAULT_TIMEOUT_SECONDS = 300;

/** The program could not be run to its end: `reason` is one line, `where` is file:line:column when known. */
export class ProgramFailure extends Error {
    constructor(
        readonly failure: Failure,
        /** What the program printed (bounded), for --debug. */
        readonly output: string,
    ) {
        super(failure.where ? `${failure.reason} (${failure.where})` : failure.reason);
    }
}

export interface IsolatedRun extends ParentMessage {
    readonly timeoutSeconds: number;
}

const OUTPUT_TAIL = 16_384;

export function runIsolated(job: IsolatedRun): Promise<RunResult> {
    const { timeoutSeconds, ...message } = job;
    return new Promise<RunResult>((resolve, reject) => {
        const child = fork(path.join(__dirname, "child.js"), [], {
            stdio: ["ignore", "pipe", "pipe", "ipc"],
            // Not the parent's flags (--inspect, --max-old-space-size of a test runner); NODE_OPTIONS still applies.
            execArgv: [],
            serialization: "json",
        });
        let output = "";
        const keep = (chunk: Buffer) => {
            output = (output + chunk.toString("utf8")).slice(-OUTPUT_TAIL);
        };
        child.stdout?.on("data", keep);
        child.stderr?.on("data", keep);

        const resources: CapturedResource[] = [];
        let outputs: Record<string, unknown> | undefined;
        let failure: Failure | undefined;
        let settled = false;
        let timedOut = false;
        const timer = setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
        }, timeoutSeconds * 1000);

        child.on("message", (m: ChildMessage) => {
            if (m.t === "phase") settled = true;
            else if (m.t === "resources") for (const r of m.items) resources.push(r);
            else if (m.t === "done") outputs = m.outputs;
            else if (m.t === "failed") failure ??= { reason: m.reason, ...(m.where ? { where: m.where } : {}), ...(m.detail ? { detail: m.detail } : {}) };
        });
        child.on("error", (e) => {
            failure ??= { reason: `could not be started: ${printable(e.message)}` };
        });
        child.on("exit", (code, signal) => {
            clearTimeout(timer);
            if (outputs !== undefined && code === 0 && failure === undefined) return resolve({ resources, outputs });
            const f = failure ?? {
                reason: timedOut
                    ? settled
                        ? `did not finish within ${timeoutSeconds} s: its exported value settled, but a timer or an open handle kept it running (raise --timeout if it is only slow)`
                        : `did not finish within ${timeoutSeconds} s: its exported promise never settled (raise --timeout if it is only slow)`
                    : /heap out of memory|Allocation failed/.test(output)
                      ? "ran out of memory (raise the heap with NODE_OPTIONS=--max-old-space-size=MB)"
                      : signal
                        ? `ended with signal ${signal} before it finished`
                        : `ended (exit code ${code}) before it finished`,
            };
            reject(new ProgramFailure(f, printable(output, { multiline: true, max: OUTPUT_TAIL })));
        });
        child.send(message);
    });
}
