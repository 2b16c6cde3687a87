/**
 * The child process `runner/isolate.ts` starts for one stack: it runs the Pulumi program under mocks and sends
 * the captured resources to its parent over the IPC channel. Whatever the program does — throw, reject a
 * promise nobody handles, call `process.exit`, never settle, keep a timer alive, run out of memory — ends this
 * process, never the parent, and the parent turns it into a one-line reason.
 *
 * A run is finished when the program's exported value has settled and the event loop is empty, as the
 * Node.js language host ends a program: resources registered later from a timer or a callback count too.
 * The event loop emptying while the exported promise is still pending means nothing is left that could
 * settle it: reported at once instead of waiting for the deadline.
 */
import { deployedStackMocks } from "./generated";
import { RunOptions, runProgram } from "./run";
import { describeFailure, Failure, ParentMessage, ChildMessage, RESOURCES_PER_MESSAGE } from "./protocol";

const realExit = process.exit.bind(process);
let programRoot = "";
let phase: "waiting" | "running" | "settled" | "sending" = "waiting";
let idle: (() => void) | undefined;

function send(m: ChildMessage): Promise<void> {
    return new Promise((resolve) => {
        if (!process.send) return resolve();
        process.send(m, undefined, {}, () => resolve());
    });
}

/** Reports the failure and ends the process; never returns to the program. */
function fail(f: Failure): never {
    // `process.send` writes at once when the channel is idle (it is: nothing else is sent while the program runs).
    process.send?.({ t: "failed", ...f } satisfies ChildMessage);
    return realExit(70);
}

process.on("uncaughtException", (e) => fail(describeFailure("threw", e, programRoot)));
process.on("unhandledRejection", (e) => fail(describeFailure("left a promise rejection unhandled", e, programRoot)));
process.on("disconnect", () => realExit(71)); // the parent is gone: nobody waits for the result
process.on("beforeExit", () => {
    if (phase === "settled" && idle) {
        const go = idle;
        idle = undefined;
        go();
    } else if (phase === "running") {
        fail({ reason: "never settled its exported promise: nothing was left to run that could settle it" });
    }
});
// The program must not end the run and leave "no findings" behind it.
process.exit = ((code?: number | string | null) => {
    fail(describeFailure(`called process.exit(${code === undefined || code === null ? "" : String(code).slice(0, 20)})`, new Error(), programRoot, true));
}) as typeof process.exit;

process.once("message", (m: ParentMessage) => {
    // From here on the channel must not keep the event loop alive: its emptying is how a run ends.
    (process.channel as unknown as { unref(): void } | undefined)?.unref();
    void run(m);
});

async function run(m: ParentMessage): Promise<void> {
    programRoot = m.root;
    const opts: RunOptions = {
        project: m.project,
        stack: m.stack,
        config: m.config,
        secretConfigKeys: m.secretConfigKeys,
        preview: true,
        isolated: true,
        ...(m.newStack ? {} : { mocks: deployedStackMocks }),
        untilIdle: () => {
            phase = "settled";
            void send({ t: "phase", phase: "settled" });
            return new Promise<void>((resolve) => (idle = resolve));
        },
    };
    phase = "running";
    let result;
    try {
        result = await runProgram(m.program, opts);
    } catch (e) {
        fail(describeFailure("threw", e, programRoot));
    }
    const log = require("@pulumi/pulumi/log") as { hasErrors(): boolean };
    if (log.hasErrors()) fail({ reason: "logged an error through pulumi.log.error (--debug shows its output)" });
    phase = "sending";
    for (let i = 0; i < result.resources.length; i += RESOURCES_PER_MESSAGE) {
        await send({ t: "resources", items: result.resources.slice(i, i + RESOURCES_PER_MESSAGE) });
    }
    await send({ t: "done", outputs: result.outputs });
    realExit(0);
}
