/**
 * What makes a mocked run of a large program bounded and roughly linear in memory and time. Measured on a
 * program declaring N Kubernetes Pods or Docker containers in one loop (the common shape: the program builds
 * every resource synchronously, then the SDK registers them):
 *
 *  - `debuggablePromise` (@pulumi/pulumi/runtime/debuggable) formats a stack trace (`new Error().stack`) for
 *    every promise the SDK makes — 4 per input property of every resource — only to print it when
 *    `PULUMI_DEBUG_PROMISE_LEAKS` is set. It was 2/3 of the CPU time and most of the ~1 MB per resource.
 *    Replaced by the identity while a run lasts (kept when that variable is set).
 *  - Every resource's registration is a chain of promises (serialize inputs, wait for dependencies, build the
 *    request). Started all at once by a synchronous loop, they advance breadth-first through the microtask
 *    queue, so every resource's intermediate state is alive at once and the event loop never turns. The gate
 *    below lets at most `GATE` resources per event-loop turn past the first await of their registration
 *    (`gatherExplicitDependencies`, which the SDK calls through its module object after the resource's
 *    outputs exist). Nothing waits on a slot being freed, so a resource that waits for a later one cannot
 *    deadlock the gate: the next turn admits the next batch anyway.
 *  - Inputs are walked once before the SDK serializes them: a cycle (`a.self = a`) made the SDK's recursive
 *    serializer grow to 4 GB without end, and shared sub-objects can expand exponentially. A cycle, more than
 *    `MAX_INPUT_VALUES` values after expansion or nesting deeper than `MAX_INPUT_DEPTH` fail the run with the
 *    resource and the path. Outputs, promises, resources and assets are left to the SDK (their values are not
 *    known yet); a cycle behind one of those is still bounded by the run's deadline and heap.
 *  - (In `runner/child.ts`, one program per process: the SDK's process-wide store instead of
 *    AsyncLocalStorage, whose promise hooks make every promise heavier.)
 *
 * These reach into SDK internals (like `run.ts` does for the mock monitor); `test/runner/lean.test.ts` fails
 * when an SDK upgrade moves them, instead of the bound silently going away.
 */

const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T> };
const rpc = require("@pulumi/pulumi/runtime/rpc") as { serializeResourceProperties: (label: string, props: unknown, opts: unknown) => Promise<unknown> };
const dependsOn = require("@pulumi/pulumi/runtime/dependsOn") as { gatherExplicitDependencies: (d: unknown) => Promise<unknown> };

/** Resources admitted per event-loop turn. Large enough to keep the CPU busy, small enough to bound memory. */
const GATE = 200;

export const MAX_INPUT_VALUES = 1_000_000;
export const MAX_INPUT_DEPTH = 1_000;

/** Throws when `props` has a cycle, expands to too many values or nests too deep (see above). */
export function checkInputs(label: string, props: unknown): void {
    let count = 0;
    const onPath = new Set<object>();
    const keys: string[] = [];
    const where = () =>
        keys
            .map((k) => (/^\d+$/.test(k) ? `[${k}]` : `.${k}`))
            .join("")
            .replace(/^\./, "");
    const walk = (v: unknown): void => {
        if (++count > MAX_INPUT_VALUES) throw new Error(`${label}: inputs expand to more than ${MAX_INPUT_VALUES.toLocaleString("en")} values`);
        if (typeof v !== "object" || v === null) return;
        const o = v as Record<string, unknown>;
        if (o.__pulumiOutput || o.__pulumiResource || o.__pulumiAsset || o.__pulumiArchive || typeof o.then === "function") return;
        if (onPath.has(o)) throw new Error(`${label}: input ${where()} refers back to itself (a cycle)`);
        if (keys.length >= MAX_INPUT_DEPTH) throw new Error(`${label}: input ${where().slice(0, 200)}… nests deeper than ${MAX_INPUT_DEPTH} levels`);
        onPath.add(o);
        for (const k of Object.keys(o)) {
            keys.push(k);
            walk(o[k]);
            keys.pop();
        }
        onPath.delete(o);
    };
    walk(props);
}

/** Installs the patches; returns the function that removes them. */
export function installLeanRuntime(): () => void {
    const originalDebuggable = debuggable.debuggablePromise;
    const originalGather = dependsOn.gatherExplicitDependencies;
    const originalSerialize = rpc.serializeResourceProperties;
    rpc.serializeResourceProperties = (label, props, opts) => {
        checkInputs(label, props);
        return originalSerialize(label, props, opts);
    };
    if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) debuggable.debuggablePromise = <T>(p: Promise<T>) => p;

    const waiting: Array<() => void> = [];
    let scheduled = false;
    const admit = (): void => {
        scheduled = false;
        for (const go of waiting.splice(0, GATE)) go();
        if (waiting.length > 0) schedule();
    };
    const schedule = (): void => {
        scheduled = true;
        setImmediate(admit);
    };
    dependsOn.gatherExplicitDependencies = async (d: unknown) => {
        await new Promise<void>((go) => {
            waiting.push(go);
            if (!scheduled) schedule();
        });
        return originalGather(d);
    };
    return () => {
        debuggable.debuggablePromise = originalDebuggable;
        dependsOn.gatherExplicitDependencies = originalGather;
        rpc.serializeResourceProperties = originalSerialize;
    };
}
