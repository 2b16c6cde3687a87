/**
 * `npm run bench`: stride-guard's performance figures, each measured side by side with its baseline in the
 * same run and reported as a ratio. See bench/README.md for what each figure means and the goals.
 *
 * Options (flags or environment):
 *   --runs N        cold-start runs per pack (BENCH_RUNS, default 7); the TypeScript-source pack gets
 *                   min(N, --ts-runs) runs (BENCH_TS_RUNS, default 3) because each costs a full type-check
 *   --only a,b      sections to run: cold, analyze, stack, inproc, scan, preview (default all)
 *   --preview-runs N  runs of each real `pulumi preview` (BENCH_PREVIEW_RUNS, default 3)
 *   --in-flight N   concurrent Analyze calls (BENCH_IN_FLIGHT, default 16)
 *   --stack-large N the large AnalyzeStack (BENCH_STACK_LARGE, default 50000; growth is judged against N/10k)
 *   --out FILE      JSON output (default bench/results/latest.json)
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { analyze, AnalyzedResource } from "stride-guard/lib/engine/analyze";
import { evaluateResource, evaluateStack, Settings } from "stride-guard/lib/engine/evaluate";
import { CommonSettings } from "stride-guard/lib/engine/settings";
import { StackResourceInput } from "stride-guard/lib/contract/stack";
import { buildStackModel } from "stride-guard/lib/engine/stack-model";
import { clean, MAX_RESOURCE_VALUES } from "stride-guard/lib/kernel/clean";
import { defaultsOf } from "stride-guard/lib/pack";
import type { CapturedResource } from "stride-guard/lib/runner/types";
import { makeAnalyzeRequest, makeAnalyzerResource, PolicyPackClient, spawnPack, startFakeEngine } from "../test/harness/index";
import { cpuOf, fmt, median, memOf, now, pool, time, timeAsync } from "./measure";
import { mixOf, syntheticStack } from "./synth";
import { measureCheck, writeCheckProject } from "./check-memory";
import { previewOverhead, PREVIEW_RESOURCES } from "./preview";

const analyzerrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");

const analyzerproto = require("@pulumi/pulumi/proto/analyzer_pb");

const ROOT = path.resolve(__dirname, "../..");

/** Pack processes alive, killed if the bench stops early. */
const children = new Set<ChildProcess>();
for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
        for (const c of children) c.kill("SIGKILL");
        process.exit(130);
    });
}
process.on("exit", () => {
    for (const c of children) c.kill("SIGKILL");
});
const OUR_PACK = path.join(ROOT, "policypack");
const EMPTY_PACK = path.join(ROOT, "bench/fixtures/empty-pack");
const NOOP_PACK = path.join(ROOT, "bench/fixtures/noop-pack");

// ---- options ---------------------------------------------------------------------------------

function opt(name: string, env: string, dflt: string): string {
    const i = process.argv.indexOf(`--${name}`);
    if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
    return process.env[env] ?? dflt;
}
const RUNS = Math.max(1, Number(opt("runs", "BENCH_RUNS", "7")));
const TS_RUNS = Math.max(1, Math.min(RUNS, Number(opt("ts-runs", "BENCH_TS_RUNS", "3"))));
const IN_FLIGHT = Math.max(1, Number(opt("in-flight", "BENCH_IN_FLIGHT", "16")));
const STACK_LARGE = Math.max(10000, Number(opt("stack-large", "BENCH_STACK_LARGE", "50000")));
const ONLY = new Set(opt("only", "BENCH_ONLY", "cold,analyze,stack,inproc,scan,preview,check").split(","));
const CHECK_SIZES = opt("check-sizes", "BENCH_CHECK_SIZES", "10000,50000").split(",").map(Number);
const PREVIEW_RUNS = Math.max(1, Number(opt("preview-runs", "BENCH_PREVIEW_RUNS", "3")));
const OUT = path.resolve(opt("out", "BENCH_OUT", path.join(ROOT, "bench/results/latest.json")));

// ---- results ---------------------------------------------------------------------------------

interface Row {
    figure: string;
    ours: number;
    baseline: number | null;
    baselineName: string;
    unit: string;
    ratio: number | null;
    goal: string;
    ok: boolean | null;
    note?: string;
}
const rows: Row[] = [];
const details: Record<string, unknown> = {};

function row(
    figure: string,
    ours: number,
    baseline: number | null,
    baselineName: string,
    unit: string,
    goal: { ratioMax?: number; valueMax?: number } | null,
    note?: string,
): Row {
    const ratio = baseline !== null && baseline > 0 ? ours / baseline : null;
    let ok: boolean | null = null;
    let goalText = "—";
    if (goal?.ratioMax !== undefined) {
        ok = ratio !== null && ratio <= goal.ratioMax;
        goalText = `ratio ≤ ${goal.ratioMax}`;
    } else if (goal?.valueMax !== undefined) {
        ok = ours <= goal.valueMax;
        goalText = `≤ ${goal.valueMax} ${unit}`;
    }
    const r: Row = { figure, ours, baseline, baselineName, unit, ratio, goal: goalText, ok, ...(note ? { note } : {}) };
    rows.push(r);
    const status = ok === null ? "" : ok ? "ok" : "MISS";
    log(
        `  ${figure}: ${fmt(ours, 2)} ${unit}${baseline !== null ? ` vs ${baselineName} ${fmt(baseline, 2)} ${unit} → ratio ${fmt(ratio ?? NaN, 2)}` : ""} ${status}${note ? ` (${note})` : ""}`,
    );
    return r;
}

function log(s: string): void {
    process.stderr.write(s + "\n");
}

// ---- cold start --------------------------------------------------------------------------------

/** A copy of policypack whose main is index.ts, so run-policy-pack compiles it with ts-node (type-checking). */
function makeTsPack(): string {
    const dir = path.join(ROOT, ".stride-guard-tmp", "bench", "ts-pack");
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.cpSync(path.join(OUR_PACK, "lib"), path.join(dir, "lib"), { recursive: true, filter: (src) => !src.endsWith(".js") && !src.endsWith(".map") });
    fs.copyFileSync(path.join(OUR_PACK, "index.ts"), path.join(dir, "index.ts"));
    fs.copyFileSync(path.join(OUR_PACK, "PulumiPolicy.yaml"), path.join(dir, "PulumiPolicy.yaml"));
    const pkg = JSON.parse(fs.readFileSync(path.join(OUR_PACK, "package.json"), "utf8")) as Record<string, unknown>;
    delete pkg.exports;
    delete pkg.bin;
    delete pkg.scripts;
    pkg.main = "index.ts";
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2));
    // The pack's own compiler options (tsconfig.base.json inlined), as a TypeScript pack directory would carry them.
    const base = JSON.parse(fs.readFileSync(path.join(ROOT, "tsconfig.base.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
    const co = { ...base.compilerOptions };
    for (const k of ["composite", "incremental", "declaration"]) delete co[k];
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: co, include: ["index.ts", "lib/**/*.ts"] }, null, 2));
    return dir;
}

async function coldStart(): Promise<void> {
    log(`cold start (median of ${RUNS} interleaved runs; TypeScript-source pack: ${TS_RUNS})`);
    const engine = await startFakeEngine();
    const tsPack = makeTsPack();
    const packs = [
        { name: "stride-guard", dir: OUR_PACK, runs: RUNS, ms: [] as number[], cpu: [] as number[] },
        { name: "empty pack", dir: EMPTY_PACK, runs: RUNS, ms: [] as number[], cpu: [] as number[] },
        { name: "stride-guard from .ts", dir: tsPack, runs: TS_RUNS, ms: [] as number[], cpu: [] as number[] },
    ];
    try {
        for (let i = 0; i < RUNS; i++) {
            for (const p of packs) {
                if (i >= p.runs) continue;
                // A fresh ts-node cache every run: run-policy-pack's ts-node caches compiled files in the temp dir, so
                // only the first start after an edit (or on a fresh machine) pays for compiling; that is what we show.
                const cache = path.join(ROOT, ".stride-guard-tmp", "bench", `ts-node-cache-${i}`);
                fs.rmSync(cache, { recursive: true, force: true });
                const proc = await spawnPack(p.dir, engine.address, { timeoutMs: 180000, env: { TS_NODE_CACHE_DIRECTORY: cache } });
                p.cpu.push(cpuOf(proc.child.pid!));
                p.ms.push(proc.startupMs);
                children.add(proc.child);
                await proc.kill();
                children.delete(proc.child);
                fs.rmSync(cache, { recursive: true, force: true });
            }
        }
    } finally {
        await engine.close();
    }
    const [ours, empty, ts] = packs.map((p) => median(p.ms));
    const [oursCpu, emptyCpu, tsCpu] = packs.map((p) => median(p.cpu));
    details.coldStart = Object.fromEntries(
        packs.map((p) => [p.name, { runsMs: p.ms.map((x) => Math.round(x)), medianMs: median(p.ms), cpuMs: p.cpu, medianCpuMs: median(p.cpu) }]),
    );
    row("cold start: spawn → port (wall)", ours, empty, "empty pack", "ms", { ratioMax: 1.2 });
    row("cold start: spawn → port (pack CPU)", oursCpu, emptyCpu, "empty pack", "ms", { ratioMax: 1.2 });
    row("cold start: compiled vs from .ts (wall)", ours, ts, "same pack from .ts (no ts-node cache)", "ms", null, `compiling saves ${fmt(ts - ours, 0)} ms`);
    row("cold start: compiled vs from .ts (pack CPU)", oursCpu, tsCpu, "same pack from .ts", "ms", null);
}

// ---- gRPC: Analyze throughput, AnalyzeStack, RSS --------------------------------------------------

type Unary = (req: unknown, md: grpc.Metadata, opts: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r: unknown) => void) => void;

interface Pack {
    name: string;
    client: PolicyPackClient;
    raw: grpc.Client & Record<string, Unary>;
    pid: number;
}

async function startPack(name: string, dir: string, env: Record<string, string> = {}): Promise<Pack> {
    const client = await PolicyPackClient.start(dir, { project: "bench", stack: "bench", deadlineMs: 600000, routeLogsToEngine: false, env });
    // Like the engine: GetAnalyzerInfo, then Configure with the reconciled (default) config of every policy.
    await client.configure({});
    const raw = new analyzerrpc.AnalyzerClient(`127.0.0.1:${client.proc.port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": 400 * 1024 * 1024,
        "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
    children.add(client.proc.child);
    return { name, client, raw, pid: client.proc.child.pid! };
}

function call(p: Pack, method: string, req: unknown): Promise<{ getDiagnosticsList(): unknown[] }> {
    return new Promise((resolve, reject) => {
        (p.raw[method] as Unary).call(p.raw, req, new grpc.Metadata(), { deadline: Date.now() + 600000 }, (e, r) =>
            e ? reject(new Error(`${method}: ${e.message}\n${p.client.stderr()}`)) : resolve(r as never),
        );
    });
}

async function analyzeAll(p: Pack, reqs: readonly unknown[]): Promise<{ ms: number; cpu: number; diagnostics: number }> {
    let diagnostics = 0;
    const cpu0 = cpuOf(p.pid);
    const ms = await timeAsync(() =>
        pool(reqs, IN_FLIGHT, async (req) => {
            const n = (await call(p, "analyze", req)).getDiagnosticsList().length;
            diagnostics += n; // not `x += await …`, which would add to a stale x
        }),
    );
    return { ms, cpu: cpuOf(p.pid) - cpu0, diagnostics };
}

/** One AnalyzeStack call with a pre-serialized request: wall and pack CPU time (ms). */
async function analyzeStack(p: Pack, bytes: Buffer): Promise<{ ms: number; cpu: number; diagnostics: number; requestMb: number }> {
    const cpu0 = cpuOf(p.pid);
    let diagnostics = 0;
    const ms = await timeAsync(async () => {
        const r = await new Promise<{ getDiagnosticsList(): unknown[] }>((resolve, reject) => {
            p.raw.makeUnaryRequest(
                "/pulumirpc.Analyzer/AnalyzeStack",
                (b: Buffer) => b,
                (b: Buffer) => analyzerproto.AnalyzeResponse.deserializeBinary(new Uint8Array(b)),
                bytes,
                new grpc.Metadata(),
                { deadline: Date.now() + 900000 },
                (e, res) => (e ? reject(new Error(`AnalyzeStack: ${e.message}\n${p.client.stderr()}`)) : resolve(res as never)),
            );
        });
        diagnostics = r.getDiagnosticsList().length;
    });
    return { ms, cpu: cpuOf(p.pid) - cpu0, diagnostics, requestMb: bytes.length / 1024 / 1024 };
}

/**
 * An AnalyzeStackRequest of `n` synthetic resources, already serialized: `repeated AnalyzerResource resources = 1`
 * is each resource's bytes behind tag 0x0a and a varint length, so the 50k request never exists as protobuf
 * objects in the bench process (which would take gigabytes).
 */
function stackRequestBytes(n: number): Buffer {
    const parts: Buffer[] = [];
    for (const r of syntheticStack(n)) {
        const b = Buffer.from((makeAnalyzerResource(r, r.props) as { serializeBinary(): Uint8Array }).serializeBinary());
        const len: number[] = [];
        for (let v = b.length; ; v >>>= 7) {
            if (v < 0x80) {
                len.push(v);
                break;
            }
            len.push((v & 0x7f) | 0x80);
        }
        parts.push(Buffer.from([0x0a, ...len]), b);
    }
    return Buffer.concat(parts);
}

/**
 * Analyze and AnalyzeStack over gRPC against the empty pack (the protocol floor) and a no-op pack with as many
 * policies as ours (what @pulumi/policy costs per policy: it deserializes the properties once per policy).
 * `whileStack50k` runs while the 50k AnalyzeStack is in flight (in a child process, on the other core), so
 * the 50k figures are pack CPU only: wall time then measures the neighbour too.
 */
async function grpcFigures(doAnalyze: boolean, doStack: boolean, whileStack50k: () => Promise<void>): Promise<void> {
    const resourcePolicies = CONTROLS.filter((c) => c.scope === "resource").length;
    const stackPolicies = CONTROLS.length - resourcePolicies;
    const ours = await startPack("stride-guard", OUR_PACK);
    const empty = await startPack("empty pack", EMPTY_PACK);
    const noop = await startPack(`no-op pack (${resourcePolicies}+${stackPolicies} policies)`, NOOP_PACK, {
        NOOP_RESOURCE_POLICIES: String(resourcePolicies),
        NOOP_STACK_POLICIES: String(stackPolicies),
    });
    const sets: Record<string, unknown> = {};
    details.grpc = sets;
    try {
        if (doAnalyze) {
            log(`Analyze throughput over gRPC (${IN_FLIGHT} calls in flight)`);
            const r1k = syntheticStack(1000).map((r) => makeAnalyzeRequest(r, r.props, { skipInternalKeys: true }));
            const r10k = syntheticStack(10000).map((r) => makeAnalyzeRequest(r, r.props, { skipInternalKeys: true }));
            // Warm-up (JIT, connections), not measured.
            for (const p of [ours, empty, noop]) await analyzeAll(p, r1k.slice(0, 200));
            for (const [label, reqs] of [
                ["1k", r1k],
                ["10k", r10k],
            ] as const) {
                const a = await analyzeAll(ours, reqs);
                const b = await analyzeAll(empty, reqs);
                const c = await analyzeAll(noop, reqs);
                sets[`analyze${label}`] = {
                    resources: reqs.length,
                    ours: a,
                    empty: b,
                    noop: c,
                    oursPerSec: (reqs.length / a.ms) * 1000,
                    emptyPerSec: (reqs.length / b.ms) * 1000,
                };
                row(
                    `Analyze ${label} resources (wall)`,
                    a.ms,
                    b.ms,
                    "empty pack",
                    "ms",
                    { ratioMax: 1.5 },
                    `${fmt((reqs.length / a.ms) * 1000, 0)} vs ${fmt((reqs.length / b.ms) * 1000, 0)} resources/s; ${a.diagnostics} diagnostics`,
                );
                row(`Analyze ${label} resources (pack CPU)`, a.cpu, b.cpu, "empty pack", "ms", { ratioMax: 1.5 });
                row(`Analyze ${label} resources (pack CPU) vs no-op policies`, a.cpu, c.cpu, noop.name, "ms", null);
            }
            const m = memOf(ours.pid);
            const e = memOf(empty.pid);
            sets.rssAfterAnalyze = { ours: m, empty: e, noop: memOf(noop.pid) };
            row("peak RSS after Analyze of 1k + 10k resources", m.hwmMb, e.hwmMb, "empty pack", "MB", { valueMax: 200 });
            await largestRequest(sets);
        }
        if (doStack) {
            log("AnalyzeStack over gRPC");
            const s10k = stackRequestBytes(10000);
            const t10 = await analyzeStack(ours, s10k);
            const e10 = await analyzeStack(empty, s10k);
            const n10 = await analyzeStack(noop, s10k);
            sets.analyzeStack10k = { ours: t10, empty: e10, noop: n10 };
            const memAfter10k = memOf(ours.pid);
            const memEmpty = memOf(empty.pid);
            const memNoop = memOf(noop.pid);
            sets.rssAfterStack10k = { ours: memAfter10k, empty: memEmpty, noop: memNoop };
            row(
                "peak RSS after AnalyzeStack of 10k resources",
                memAfter10k.hwmMb,
                memEmpty.hwmMb,
                "empty pack",
                "MB",
                null,
                `no-op pack: ${fmt(memNoop.hwmMb, 0)} MB`,
            );
            row("AnalyzeStack 10k (wall)", t10.ms, e10.ms, "empty pack", "ms", null, `${t10.diagnostics} diagnostics; request ${fmt(t10.requestMb, 0)} MB`);
            row("AnalyzeStack 10k (pack CPU)", t10.cpu, e10.cpu, "empty pack", "ms", null);
            row("AnalyzeStack 10k (pack CPU) vs no-op policies", t10.cpu, n10.cpu, noop.name, "ms", null);
            // The no-op pack is not needed any more; free its memory before 50k.
            noop.raw.close();
            await noop.client.close();
            children.delete(noop.client.proc.child);
            const s50k = stackRequestBytes(STACK_LARGE);
            let t50: Awaited<ReturnType<typeof analyzeStack>> | undefined;
            let err: unknown;
            await Promise.all([
                (async () => {
                    try {
                        t50 = await analyzeStack(ours, s50k);
                    } catch (e) {
                        err = e;
                    }
                })(),
                whileStack50k(),
            ]);
            const e50 = await analyzeStack(empty, s50k);
            if (t50 === undefined) {
                const why = /heap out of memory|Allocation failed/i.test(String(err)) ? "the pack ran out of heap" : String(err).split("\n")[0];
                rows.push({
                    figure: `AnalyzeStack ${STACK_LARGE / 1000}k (pack CPU)`,
                    ours: NaN,
                    baseline: e50.cpu,
                    baselineName: "empty pack",
                    unit: "ms",
                    ratio: null,
                    goal: "growth ≤ 6",
                    ok: false,
                    note: `failed: ${why}`,
                });
                sets.analyzeStack50k = { error: String(err).slice(0, 2000), empty: e50 };
                return;
            }
            sets.analyzeStack50k = { ours: t50, empty: e50, peakRss: memOf(ours.pid) };
            row(
                `AnalyzeStack ${STACK_LARGE / 1000}k (pack CPU)`,
                t50.cpu,
                e50.cpu,
                "empty pack",
                "ms",
                null,
                `${t50.diagnostics} diagnostics; peak RSS ${fmt(memOf(ours.pid).hwmMb, 0)} MB`,
            );
            const k = STACK_LARGE / 10000;
            row(
                `AnalyzeStack growth ${STACK_LARGE / 1000}k/10k (pack CPU)`,
                t50.cpu / t10.cpu,
                k,
                `linear (${k}×)`,
                "×",
                { valueMax: (6 / 5) * k },
                `empty pack: ×${fmt(e50.cpu / e10.cpu, 2)}`,
            );
        } else {
            await whileStack50k();
        }
    } finally {
        for (const p of [ours, empty, noop]) {
            if (!children.has(p.client.proc.child)) continue;
            p.raw.close();
            await p.client.close();
            children.delete(p.client.proc.child);
        }
    }
}

/** A Pod of `n` privileged containers (5 values each, 5 around them): every container violates several controls. */
function bigPod(n: number): CapturedResource {
    const containers = Array.from({ length: n }, (_, i) => ({ name: `c${i}`, image: "nginx:1.25", securityContext: { privileged: true } }));
    return {
        type: "kubernetes:core/v1:Pod",
        name: "big",
        urn: "urn:pulumi:bench::bench::kubernetes:core/v1:Pod::big",
        props: { metadata: { name: "big" }, spec: { containers } },
        custom: true,
        dependencies: [],
        propertyDependencies: {},
        options: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [] },
        kind: "register",
    };
}

/**
 * Peak RSS of a fresh pack on the largest Analyze request it accepts (a Pod of MAX_RESOURCE_VALUES values), then
 * on one far past it (100,000 containers: refused as "cannot be checked"), against the empty pack on the same.
 */
async function largestRequest(sets: Record<string, unknown>): Promise<void> {
    log("Analyze of the largest request the pack accepts (fresh processes)");
    const largest = Math.floor((MAX_RESOURCE_VALUES - 5) / 5);
    const packs = [await startPack("stride-guard", OUR_PACK), await startPack("empty pack", EMPTY_PACK)];
    try {
        const [ours, empty] = packs;
        const accepted = makeAnalyzeRequest(bigPod(largest), bigPod(largest).props, { skipInternalKeys: true });
        const a = await analyzeAll(ours, [accepted]);
        await analyzeAll(empty, [accepted]);
        const m = memOf(ours.pid);
        const e = memOf(empty.pid);
        sets.largestRequest = { containers: largest, values: MAX_RESOURCE_VALUES, ours: { ...a, ...m }, empty: e };
        row(
            `peak RSS on the largest Analyze accepted (Pod of ${largest} containers, ${MAX_RESOURCE_VALUES} values)`,
            m.hwmMb,
            e.hwmMb,
            "empty pack",
            "MB",
            { valueMax: 300 },
            `${a.diagnostics} diagnostics, ${fmt(a.ms, 0)} ms`,
        );
        const past = makeAnalyzeRequest(bigPod(100_000), bigPod(100_000).props, { skipInternalKeys: true });
        const b = await analyzeAll(ours, [past]);
        await analyzeAll(empty, [past]);
        const m2 = memOf(ours.pid);
        const e2 = memOf(empty.pid);
        sets.pastTheCap = { containers: 100_000, ours: { ...b, ...m2 }, empty: e2 };
        row(
            "peak RSS on an Analyze past the cap (Pod of 100,000 containers)",
            m2.hwmMb,
            e2.hwmMb,
            "empty pack",
            "MB",
            null,
            `${b.diagnostics} diagnostics ("cannot be checked"), ${fmt(b.ms, 0)} ms; decoding the request is the empty pack's figure`,
        );
    } finally {
        for (const p of packs) {
            p.raw.close();
            await p.client.close();
            children.delete(p.client.proc.child);
        }
    }
}

// ---- in-process ----------------------------------------------------------------------------------

function asAnalyzed(rs: readonly CapturedResource[]): AnalyzedResource[] {
    return rs.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.props, parent: r.parent, dependencies: r.dependencies }));
}

/** A full collection before a timing, when the process runs with --expose-gc (the bench's child does). */
function settle(): void {
    (globalThis as { gc?: () => void }).gc?.();
}

function inProcess(): { id: string; scope: string; usPerResource: number }[] {
    log("in-process");
    const n = 10000;
    const set = asAnalyzed(syntheticStack(n));
    const resourceControls = CONTROLS.filter((c) => c.scope === "resource");
    analyze("warm-up", set.slice(0, 1000), CONTROLS);
    // Best of 3, each from a collected heap: the first run also pays for growing the heap to the 10k working set.
    const best = (fn: () => void) => Math.min(...[0, 1, 2].map(() => (settle(), time(fn))));
    const total = best(() => analyze("bench", set, CONTROLS));
    const resOnly = best(() => analyze("bench", set, resourceControls));
    row(
        `in-process: all ${CONTROLS.length} controls, per resource (CPU)`,
        (total * 1000) / n,
        null,
        "",
        "µs",
        { valueMax: 20 },
        `analyze() on ${n} resources: ${fmt(total, 0)} ms`,
    );
    row(`in-process: ${resourceControls.length} resource controls, per resource (CPU)`, (resOnly * 1000) / n, null, "", "µs", null);

    // Per control: clean once, then each control alone over the same cleaned inputs.
    let cleaned: { input: { type: string; name: string; urn: string; props: unknown }; secrets: readonly string[] }[] = [];
    const cleanMs = time(() => {
        cleaned = set.map((r) => {
            const c = clean(r.props);
            return { input: { type: r.type, name: r.name, urn: r.urn, props: c.value }, secrets: c.secrets };
        });
    });
    const perControl: { id: string; scope: string; usPerResource: number }[] = [
        { id: "(clean props once)", scope: "core", usPerResource: (cleanMs * 1000) / n },
    ];
    for (const c of resourceControls) {
        if (c.scope !== "resource") continue;
        const s = defaultsOf(c) as Settings<CommonSettings>;
        for (let i = 0; i < 500; i++) evaluateResource(c, cleaned[i].input, s, cleaned[i].secrets);
        const ms = time(() => {
            for (const x of cleaned) evaluateResource(c, x.input, s, x.secrets);
        });
        perControl.push({ id: c.id, scope: "resource", usPerResource: (ms * 1000) / n });
    }
    perControl.sort((a, b) => b.usPerResource - a.usPerResource);
    details.inProcess = { resources: n, totalMs: total, resourceControlsMs: resOnly, perControl };
    return perControl;
}

const stackInputsOf = (m: number): StackResourceInput[] =>
    syntheticStack(m).map((r) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: clean(r.props).value,
        parent: r.parent,
        dependencies: r.dependencies,
        provider: r.provider?.urn,
    }));

const STACK_CONTROLS = CONTROLS.filter((c) => c.scope === "stack");

/**
 * `--child-stack-size N`: the stack model of N synthetic resources built (median of 3) and every stack control
 * timed over it: the best of 7 runs back to back, so that a check of a few milliseconds is not charged for a
 * collection its allocations happen to trigger. (Not after a forced collection: V8 then sweeps lazily, and the
 * first allocations of the timed check pay for sweeping a heap whose size is what grows.) Printed as JSON. One
 * process per size, holding nothing else: timed in a process that also holds the other size and the rest of the
 * bench, a check measured that heap (cache misses, collections) more than itself.
 */
function stackSizeChild(size: number): void {
    const inputs = stackInputsOf(size);
    let m = buildStackModel(inputs);
    settle();
    const build = median([0, 1, 2].map(() => time(() => (m = buildStackModel(inputs)))));
    const checks = STACK_CONTROLS.map((c) => {
        if (c.scope !== "stack") return NaN;
        const s = defaultsOf(c) as Settings<never>;
        evaluateStack(c, m, s);
        return Math.min(...[0, 1, 2, 3, 4, 5, 6].map(() => time(() => evaluateStack(c, m, s))));
    });
    process.stdout.write(JSON.stringify({ build, checks }));
}

/** Stack controls at 10k and at 50k, each size in its own process (see stackSizeChild). */
function stackControlGrowth(perControl: { id: string; scope: string; usPerResource: number }[]): void {
    const stackControls = STACK_CONTROLS;
    const MEASURABLE_MS = 5;
    const measure = (size: number): { build: number; checks: number[] } => {
        const r = spawnSync(process.execPath, ["--expose-gc", "--single-threaded-gc", __filename, "--child-stack-size", String(size)], {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "inherit"],
            maxBuffer: 1 << 20,
        });
        if (r.status !== 0) throw new Error(`stack-control child (${size}) exited ${r.status ?? r.signal}`);
        return JSON.parse(r.stdout) as { build: number; checks: number[] };
    };
    const at10 = measure(10000);
    const at50 = measure(50000);
    const stackRows: { id: string; ms10k: number; ms50k: number; ratio: number; quadratic: boolean }[] = [
        { id: "(buildStackModel)", ms10k: at10.build, ms50k: at50.build, ratio: at50.build / at10.build, quadratic: at50.build / at10.build > 6 },
    ];
    stackControls.forEach((c, i) => {
        const [t10, t50] = [at10.checks[i], at50.checks[i]];
        stackRows.push({ id: c.id, ms10k: t10, ms50k: t50, ratio: t50 / t10, quadratic: t50 / t10 > 6 && t50 >= MEASURABLE_MS });
        perControl.push({ id: c.id, scope: "stack", usPerResource: (t10 * 1000) / 10000 });
    });
    perControl.sort((a, b) => b.usPerResource - a.usPerResource);
    (details.inProcess as Record<string, unknown>).stackControls = stackRows;
    log("  slowest 10 (µs per resource, 10k set):");
    for (const p of perControl.slice(0, 10)) log(`    ${fmt(p.usPerResource, 2).padStart(7)}  ${p.id}${p.scope === "stack" ? " (stack)" : ""}`);
    log("  stack controls in-process, 10k → 50k (ms, ratio):");
    for (const s of stackRows)
        log(`    ${fmt(s.ms10k, 2).padStart(8)} → ${fmt(s.ms50k, 2).padStart(8)}  ×${fmt(s.ratio, 2)}${s.quadratic ? "  QUADRATIC?" : ""}  ${s.id}`);
    // Growth is judged where there is something to measure: a few milliseconds at 50k.
    const worst = stackRows.reduce((a, b) => (b.ratio > a.ratio && b.ms50k >= MEASURABLE_MS ? b : a), stackRows[0]);
    row("stack controls in-process: worst growth 50k/10k", worst.ratio, 5, "linear (5×)", "×", { valueMax: 6 }, worst.id);
}

// ---- scan --------------------------------------------------------------------------------------

/** Writes the Kubernetes resources of the synthetic stack as manifests: `docs` documents, 100 per file. */
function writeManifests(docs: number): string {
    const dir = path.join(ROOT, ".stride-guard-tmp", "bench", "manifests");
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const { stringify } = require("yaml") as typeof import("yaml");
    const kinds = syntheticStack(Math.ceil(docs * 1.6)).filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:pulumi"));
    const toDoc = (r: CapturedResource): Record<string, unknown> => {
        const [, gv, kind] = r.type.split(":");
        const [group, version] = gv.split("/");
        const apiVersion = group === "core" ? version : `${group}/${version}`;
        const { apiVersion: _a, kind: _k, ...rest } = r.props as Record<string, unknown>;
        void _a;
        void _k;
        return { apiVersion, kind, ...rest };
    };
    let n = 0;
    for (let f = 0; n < docs; f++) {
        const parts: string[] = [];
        for (let k = 0; k < 100 && n < docs; k++, n++) parts.push(stringify(toDoc(kinds[n % kinds.length])));
        fs.writeFileSync(path.join(dir, `m-${String(f).padStart(4, "0")}.yaml`), parts.join("---\n"));
    }
    return dir;
}

async function cpuAsync(fn: () => Promise<unknown>): Promise<number> {
    const t = process.cpuUsage();
    await fn();
    const d = process.cpuUsage(t);
    return (d.user + d.system) / 1000;
}

async function scanFigure(): Promise<void> {
    let scanKubernetes: ((paths: readonly string[], opts: { controls: typeof CONTROLS }) => Promise<{ findings: unknown[]; resources: number }>) | undefined;
    try {
        scanKubernetes = (require("stride-guard/lib/scan/index") as { scanKubernetes?: typeof scanKubernetes }).scanKubernetes;
    } catch {
        scanKubernetes = undefined;
    }
    if (!scanKubernetes) {
        rows.push({
            figure: "scan k8s 10k documents",
            ours: NaN,
            baseline: null,
            baselineName: "yaml parse",
            unit: "ms",
            ratio: null,
            goal: "ratio ≤ 2",
            ok: null,
            note: "n/a (scan not built)",
        });
        log("  scan k8s: n/a (scan not built)");
        return;
    }
    const scan = scanKubernetes;
    log("scan k8s (10k manifest documents, 100 per file)");
    const docs = 10000;
    const dir = writeManifests(docs);
    const { parseAllDocuments } = require("yaml") as typeof import("yaml");
    const files = fs.readdirSync(dir).map((f) => path.join(dir, f));
    let parsed = 0;
    const plain = async () => {
        parsed = 0;
        for (const f of files)
            for (const d of parseAllDocuments(fs.readFileSync(f, "utf8")) as unknown as { toJS(): unknown }[]) if (d.toJS() !== null) parsed++;
    };
    let report: { findings: unknown[]; resources: number } | undefined;
    const full = async () => {
        report = await scan([dir], { controls: CONTROLS });
    };
    const p: number[] = [];
    const f: number[] = [];
    for (let i = 0; i < 2; i++) {
        p.push(await cpuAsync(plain));
        f.push(await cpuAsync(full));
    }
    details.scan = { documents: docs, files: files.length, parsed, objects: report?.resources, findings: report?.findings.length, yamlCpuMs: p, scanCpuMs: f };
    row(
        `scan k8s ${docs} documents (CPU)`,
        median(f),
        median(p),
        "read + yaml parseAllDocuments + toJS",
        "ms",
        { ratioMax: 2 },
        `${report?.findings.length} findings`,
    );
}

// ---- the real engine ----------------------------------------------------------------------------

async function previewSection(): Promise<void> {
    log(`pulumi preview of ${PREVIEW_RESOURCES} Kubernetes resources, with and without the pack (${PREVIEW_RUNS} runs each)`);
    const got = await previewOverhead(PREVIEW_RUNS, log);
    if (typeof got === "string") {
        log(`  skipped: ${got}`);
        row("pulumi preview, 1k k8s resources", NaN, null, "without the pack", "s", null, `skipped: ${got}`);
        return;
    }
    details.preview = got;
    row(
        "pulumi preview, 1k k8s resources",
        got.medianWith / 1000,
        got.medianWithout / 1000,
        "without the pack",
        "s",
        { ratioMax: 1.2 },
        `median of ${got.runs}`,
    );
}

// ---- main --------------------------------------------------------------------------------------

function table(): string {
    const head = ["figure", "stride-guard", "baseline", "ratio", "goal", ""];
    const body = rows.map((r) => [
        r.figure,
        Number.isFinite(r.ours) ? `${fmt(r.ours, r.unit === "×" ? 2 : 1)} ${r.unit}` : "n/a",
        r.baseline !== null ? `${fmt(r.baseline, r.unit === "×" ? 0 : 1)} ${r.unit} (${r.baselineName})` : "—",
        r.ratio !== null ? fmt(r.ratio, 2) : "—",
        r.goal,
        r.ok === null ? (r.note ?? "") : r.ok ? "ok" : "MISS",
    ]);
    const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
    const line = (cells: string[]) =>
        cells
            .map((c, i) => c.padEnd(w[i]))
            .join("  ")
            .trimEnd();
    return [line(head), w.map((x) => "-".repeat(x)).join("  "), ...body.map(line)].join("\n");
}

/**
 * `stride-guard check` memory per resource (bench/check-memory.ts): the program's process peak RSS above the
 * same program declaring nothing, per resource, at each size; growth is per-resource at the largest size over
 * the smallest (1 = linear).
 */
async function checkFigure(): Promise<void> {
    const dir = path.join(ROOT, ".stride-guard-tmp", "bench", "check-project");
    writeCheckProject(dir);
    const main = path.join(OUR_PACK, "bin/lib/cli/main.js");
    log("check: program with 0 resources (baseline)");
    const base = await measureCheck(main, dir, 0, 600);
    row("check: program process peak RSS, 0 resources", base.programPeakMb, null, "", "MB", null, `exit ${base.exitCode}`);
    const perResource: number[] = [];
    for (const n of CHECK_SIZES) {
        log(`check: program with ${n} Pods`);
        const m = await measureCheck(main, dir, n, 3600);
        details[`check${n}`] = m;
        const kb = ((m.programPeakMb - base.programPeakMb) * 1024) / n;
        perResource.push(kb);
        const finished = m.exitCode === 0 || m.exitCode === 1;
        row(
            `check ${n / 1000}k resources: program memory per resource`,
            kb,
            null,
            "",
            "KB",
            { valueMax: 100 },
            `${finished ? "finished" : `FAILED (exit ${m.exitCode})`}; peak ${fmt(m.programPeakMb, 0)} MB program, ${fmt(m.cliPeakMb, 0)} MB CLI; ${fmt(m.seconds, 0)} s wall`,
        );
    }
    if (perResource.length >= 2)
        row(
            `check: memory per resource ${CHECK_SIZES[CHECK_SIZES.length - 1] / 1000}k / ${CHECK_SIZES[0] / 1000}k`,
            perResource[perResource.length - 1] / perResource[0],
            1,
            "linear",
            "×",
            { valueMax: 1.5 },
        );
}

async function main(): Promise<void> {
    const started = now();
    log(
        `stride-guard bench: ${CONTROLS.length} controls (${CONTROLS.filter((c) => c.scope === "stack").length} stack), node ${process.version}, ${os.cpus().length} CPUs`,
    );
    if (ONLY.has("cold")) await coldStart();
    const local = [...ONLY].filter((x) => x === "inproc" || x === "scan");
    // In-process figures and scan run in a child process, alongside the long 50k AnalyzeStack.
    const inChild = async () => {
        if (local.length === 0) return;
        const got = await runChild(local);
        rows.push(...got.rows);
        Object.assign(details, got.details);
    };
    if (ONLY.has("analyze") || ONLY.has("stack")) await grpcFigures(ONLY.has("analyze"), ONLY.has("stack"), inChild);
    else await inChild();
    if (ONLY.has("preview")) await previewSection();
    // Alone, after the rest: the 50k program uses both cores' worth of GC and several GB.
    if (ONLY.has("check")) await checkFigure();
    const elapsed = (now() - started) / 1000;
    const out = {
        date: new Date().toISOString(),
        node: process.version,
        cpus: os.cpus().length,
        controls: CONTROLS.length,
        stackControls: CONTROLS.filter((c) => c.scope === "stack").length,
        runs: RUNS,
        tsRuns: TS_RUNS,
        inFlight: IN_FLIGHT,
        stackLarge: STACK_LARGE,
        elapsedSeconds: elapsed,
        mixPer1k: mixOf(syntheticStack(1000)),
        rows,
        details,
    };
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    fs.writeFileSync(OUT, JSON.stringify(out, null, 2) + "\n");
    process.stdout.write(table() + "\n");
    process.stdout.write(`\n${fmt(elapsed, 0)} s; JSON: ${path.relative(process.cwd(), OUT)}\n`);
}

/** Runs sections in `node dist/bench/run.js --child SECTIONS`; its stdout is the JSON of its rows and details. */
function runChild(sections: readonly string[]): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
        // --expose-gc: in-process timings start from a collected heap (see settle()).
        const child = spawn(process.execPath, ["--expose-gc", __filename, "--child", sections.join(",")], { stdio: ["ignore", "pipe", "inherit"] });
        children.add(child);
        let out = "";
        child.stdout!.setEncoding("utf8");
        child.stdout!.on("data", (d: string) => (out += d));
        child.on("exit", (code) => {
            children.delete(child);
            if (code !== 0) reject(new Error(`bench child (${sections.join(",")}) exited ${code}`));
            else resolve(JSON.parse(out) as { rows: Row[]; details: Record<string, unknown> });
        });
    });
}

async function childMain(sections: readonly string[]): Promise<void> {
    if (sections.includes("inproc")) {
        const perControl = inProcess();
        settle();
        stackControlGrowth(perControl);
    }
    if (sections.includes("scan")) await scanFigure();
    process.stdout.write(JSON.stringify({ rows, details }));
}

const childAt = process.argv.indexOf("--child");
const stackSizeAt = process.argv.indexOf("--child-stack-size");
(stackSizeAt >= 0
    ? Promise.resolve(stackSizeChild(Number(process.argv[stackSizeAt + 1])))
    : childAt >= 0
      ? childMain(process.argv[childAt + 1].split(","))
      : main()
).catch((e) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
});
