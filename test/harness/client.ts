/**
 * A gRPC client for a spawned policy pack, speaking the Analyzer protocol the way the Pulumi engine does.
 */
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { parse as parseYaml } from "yaml";
import { reconcilePolicyConfig, EnforcementLevel, PolicyConfigEntry, ReconcileResult } from "stride-guard/lib/config/reconcile";
import type { JSONSchema } from "stride-guard/lib/config/schema";
import type { CapturedResource } from "stride-guard/lib/runner/types";
import { EngineLog, FakeEngine, startFakeEngine } from "./engine";
import {
    ENFORCEMENT_LEVEL_NAMES,
    SEVERITY_NAMES,
    Struct,
    enforcementLevelToProto,
    fromStruct,
    makeAnalyzeRequest,
    makeAnalyzerResource,
    toStruct,
} from "./marshal";
import { PackProcess, spawnPack } from "./process";

const analyzerrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");

const analyzerproto = require("@pulumi/pulumi/proto/analyzer_pb");

const emptyproto = require("google-protobuf/google/protobuf/empty_pb");

export interface PolicyInfo {
    name: string;
    displayName: string;
    description: string;
    message: string;
    enforcementLevel: EnforcementLevel;
    severity: string;
    policyType: "resource" | "stack" | "unknown";
    framework?: { name: string; version: string; reference: string; specification: string };
    tags: string[];
    remediationSteps: string;
    url: string;
    configSchema?: { properties: Record<string, JSONSchema>; required?: string[] };
}

export interface AnalyzerInfo {
    name: string;
    displayName: string;
    version: string;
    supportsConfig: boolean;
    description: string;
    tags: string[];
    policies: PolicyInfo[];
    initialConfig: Record<string, PolicyConfigEntry>;
}

export interface Diagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description: string;
    message: string;
    enforcementLevel: EnforcementLevel;
    severity: string;
    urn: string;
}

export interface Remediation {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description: string;
    /** Remediated properties (wire form); absent when the remediation produced a diagnostic instead. */
    properties?: Record<string, unknown>;
    diagnostic: string;
}

export interface StartClientOptions {
    /** Stack context passed to the pack process through the environment (as the engine does). */
    project?: string;
    stack?: string;
    organization?: string;
    dryRun?: boolean;
    /** Stack config (`ns:key` → value), passed as PULUMI_CONFIG (decrypted, as the engine does). */
    config?: Record<string, string>;
    /**
     * Also point the pack's Pulumi runtime at the fake engine (PULUMI_NODEJS_ENGINE) so `pulumi.log.*` calls from
     * policies are recorded in `engine.logs`. The real CLI does not set this (there such logs go to stderr, which
     * is captured too). Default true.
     */
    routeLogsToEngine?: boolean;
    env?: Record<string, string>;
    /** Per-call deadline (default 30 s). */
    deadlineMs?: number;
}

type Unary = (req: unknown, md: grpc.Metadata, opts: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r: unknown) => void) => void;

function levelName(n: number): EnforcementLevel {
    const s = ENFORCEMENT_LEVEL_NAMES[n];
    if (!s) throw new Error(`unknown enforcement level ${n}`);
    return s;
}

function toDiagnostic(d: Record<string, () => unknown>): Diagnostic {
    return {
        policyName: d.getPolicyname() as string,
        policyPackName: d.getPolicypackname() as string,
        policyPackVersion: d.getPolicypackversion() as string,
        description: d.getDescription() as string,
        message: d.getMessage() as string,
        enforcementLevel: levelName(d.getEnforcementlevel() as number),
        severity: SEVERITY_NAMES[d.getSeverity() as number] ?? "",
        urn: d.getUrn() as string,
    };
}

export class PolicyPackClient {
    private info?: AnalyzerInfo;
    private configured?: Record<string, PolicyConfigEntry>;
    private readonly yamlVersion?: string;

    private constructor(
        readonly packDir: string,
        readonly engine: FakeEngine,
        readonly proc: PackProcess,
        private readonly client: Record<string, Unary> & grpc.Client,
        private readonly deadlineMs: number,
    ) {
        try {
            const doc = parseYaml(fs.readFileSync(path.join(packDir, "PulumiPolicy.yaml"), "utf8")) as { version?: unknown } | null;
            if (doc && doc.version !== undefined && doc.version !== null && String(doc.version) !== "") this.yamlVersion = String(doc.version);
        } catch {
            // no or unreadable PulumiPolicy.yaml: the pack's own version is used
        }
    }

    private fixVersion(d: Diagnostic): Diagnostic {
        return this.yamlVersion ? { ...d, policyPackVersion: this.yamlVersion } : d;
    }

    static async start(packDir: string, opts: StartClientOptions = {}): Promise<PolicyPackClient> {
        const engine = await startFakeEngine();
        const env: Record<string, string> = { ...(opts.env ?? {}) };
        if (opts.config) env.PULUMI_CONFIG = JSON.stringify(opts.config);
        const put = (k: string, v: string | undefined) => {
            if (v !== undefined && v !== "") env[k] = v;
        };
        put("PULUMI_NODEJS_ORGANIZATION", opts.organization);
        put("PULUMI_NODEJS_PROJECT", opts.project);
        put("PULUMI_NODEJS_STACK", opts.stack);
        put("PULUMI_NODEJS_DRY_RUN", String(opts.dryRun ?? true));
        put("PULUMI_ORGANIZATION", opts.organization);
        put("PULUMI_PROJECT", opts.project);
        put("PULUMI_STACK", opts.stack);
        put("PULUMI_DRY_RUN", String(opts.dryRun ?? true));
        if (opts.routeLogsToEngine ?? true) env.PULUMI_NODEJS_ENGINE = engine.address;
        let proc: PackProcess;
        try {
            proc = await spawnPack(packDir, engine.address, { env });
        } catch (e) {
            await engine.close();
            throw e;
        }
        const client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${proc.port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": 400 * 1024 * 1024,
        });
        return new PolicyPackClient(packDir, engine, proc, client, opts.deadlineMs ?? 30000);
    }

    /** Everything the pack logged: engine Log messages and raw stderr. */
    get logs(): EngineLog[] {
        return this.engine.logs;
    }

    stderr(): string {
        return this.proc.stderr();
    }

    /** All text the pack emitted (engine logs, stderr, stdout) — for leak assertions. */
    allOutput(): string {
        return [...this.engine.logs.map((l) => l.message), this.proc.stderr(), this.proc.stdout()].join("\n");
    }

    private call<T>(method: string, req: unknown): Promise<T> {
        return new Promise<T>((resolve, reject) => {
            const fn = this.client[method] as Unary;
            fn.call(this.client, req, new grpc.Metadata(), { deadline: Date.now() + this.deadlineMs }, (e, r) => {
                if (e) {
                    const err = new Error(`${method} failed: ${e.details || e.message}\n--- pack stderr ---\n${this.proc.stderr()}`);
                    (err as Error & { code?: number }).code = e.code;
                    reject(err);
                } else resolve(r as T);
            });
        });
    }

    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        const r = await this.call<Record<string, () => unknown>>("getAnalyzerInfo", new emptyproto.Empty());
        const policies: PolicyInfo[] = (r.getPoliciesList() as Array<Record<string, () => unknown>>).map((p) => {
            const fw = p.getFramework() as Record<string, () => string> | undefined;
            const cs = p.getConfigschema() as { getProperties(): Struct | undefined; getRequiredList(): string[] } | undefined;
            const pt = p.getPolicyType() as number;
            const info: PolicyInfo = {
                name: p.getName() as string,
                displayName: p.getDisplayname() as string,
                description: p.getDescription() as string,
                message: p.getMessage() as string,
                enforcementLevel: levelName(p.getEnforcementlevel() as number),
                severity: SEVERITY_NAMES[p.getSeverity() as number] ?? "",
                policyType: pt === 1 ? "resource" : pt === 2 ? "stack" : "unknown",
                tags: [...(p.getTagsList() as string[])],
                remediationSteps: p.getRemediationSteps() as string,
                url: p.getUrl() as string,
            };
            if (fw) {
                info.framework = { name: fw.getName(), version: fw.getVersion(), reference: fw.getReference(), specification: fw.getSpecification() };
            }
            if (cs) {
                const required = cs.getRequiredList();
                info.configSchema = {
                    properties: fromStruct(cs.getProperties()) as Record<string, JSONSchema>,
                    ...(required.length > 0 ? { required: [...required] } : {}),
                };
            }
            return info;
        });
        const initialConfig: Record<string, PolicyConfigEntry> = {};
        (
            r.getInitialconfigMap() as { forEach(f: (v: { getEnforcementlevel(): number; getProperties(): Struct | undefined }, k: string) => void): void }
        ).forEach((v, k) => {
            initialConfig[k] = { enforcementLevel: levelName(v.getEnforcementlevel()), properties: fromStruct(v.getProperties()) };
        });
        this.info = {
            name: r.getName() as string,
            displayName: r.getDisplayname() as string,
            // As the engine: the version from PulumiPolicy.yaml, if set, wins over the pack's own.
            version: this.yamlVersion ?? (r.getVersion() as string),
            supportsConfig: r.getSupportsconfig() as boolean,
            description: r.getDescription() as string,
            tags: [...(r.getTagsList() as string[])],
            policies,
            initialConfig,
        };
        return this.info;
    }

    /** Reconciles `userConfig` like the CLI and, when valid, sends Configure. Returns the reconcile result. */
    async tryConfigure(userConfig: unknown): Promise<ReconcileResult> {
        const info = this.info ?? (await this.getAnalyzerInfo());
        const packLevel: EnforcementLevel = "advisory";
        const result = reconcilePolicyConfig(
            {
                name: info.name,
                version: info.version,
                enforcementLevel: packLevel,
                policies: info.policies.map((p) => ({ name: p.name, enforcementLevel: p.enforcementLevel, configSchema: p.configSchema })),
            },
            userConfig,
            { initialConfig: info.initialConfig },
        );
        if (!result.ok) return result;
        if (!info.supportsConfig) {
            // The engine does not call Configure on such packs, and refuses a config file for them.
            const given = typeof userConfig === "string" ? userConfig.trim() !== "" : userConfig !== undefined && userConfig !== null;
            if (given) {
                const message = `policy pack ${JSON.stringify(info.name)} at ${JSON.stringify(this.packDir)} does not support config`;
                return { ok: false, errors: [message], message };
            }
            return result;
        }
        const req = new analyzerproto.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap();
        for (const [name, entry] of Object.entries(result.config)) {
            const pc = new analyzerproto.PolicyConfig();
            pc.setEnforcementlevel(enforcementLevelToProto(entry.enforcementLevel));
            pc.setProperties(toStruct(entry.properties));
            map.set(name, pc);
        }
        await this.call("configure", req);
        this.configured = result.config;
        return result;
    }

    /** Like `tryConfigure` but throws an Error whose message is the CLI-like validation output. */
    async configure(userConfig: unknown): Promise<Record<string, PolicyConfigEntry>> {
        const r = await this.tryConfigure(userConfig);
        if (!r.ok) throw new Error(r.message);
        return r.config;
    }

    /** The effective per-policy config (after `configure`, else the policies' defaults). */
    async effectiveConfig(): Promise<Record<string, PolicyConfigEntry>> {
        if (this.configured) return this.configured;
        const info = this.info ?? (await this.getAnalyzerInfo());
        const out: Record<string, PolicyConfigEntry> = {};
        for (const p of info.policies) {
            const props: Record<string, unknown> = {};
            for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) if ("default" in s) props[k] = s.default;
            out[p.name] = { enforcementLevel: p.enforcementLevel, properties: props };
        }
        return out;
    }

    async analyze(res: CapturedResource, props: Record<string, unknown> = res.props): Promise<Diagnostic[]> {
        const r = await this.call<{ getDiagnosticsList(): Array<Record<string, () => unknown>> }>(
            "analyze",
            makeAnalyzeRequest(res, props, { skipInternalKeys: true }),
        );
        // The engine always attributes Analyze diagnostics to the analyzed resource's URN.
        return r.getDiagnosticsList().map((d) => this.fixVersion({ ...toDiagnostic(d), urn: res.urn }));
    }

    async analyzeStack(resources: Array<CapturedResource | { res: CapturedResource; props: Record<string, unknown> }>): Promise<Diagnostic[]> {
        const req = new analyzerproto.AnalyzeStackRequest();
        req.setResourcesList(
            resources.map((x) =>
                "res" in x && "props" in x && !("urn" in x)
                    ? makeAnalyzerResource(x.res, x.props)
                    : makeAnalyzerResource(x as CapturedResource, (x as CapturedResource).props),
            ),
        );
        const r = await this.call<{ getDiagnosticsList(): Array<Record<string, () => unknown>> }>("analyzeStack", req);
        return r.getDiagnosticsList().map((d) => this.fixVersion(toDiagnostic(d)));
    }

    /** Calls Remediate; returns every remediation the pack made (in order). */
    async remediations(res: CapturedResource, props: Record<string, unknown> = res.props): Promise<Remediation[]> {
        const r = await this.call<{ getRemediationsList(): Array<Record<string, () => unknown>> }>(
            "remediate",
            makeAnalyzeRequest(res, props, { skipInternalKeys: false }),
        );
        return r.getRemediationsList().map((m) => {
            const s = m.getProperties() as Struct | undefined;
            return {
                policyName: m.getPolicyname() as string,
                policyPackName: m.getPolicypackname() as string,
                policyPackVersion: m.getPolicypackversion() as string,
                description: m.getDescription() as string,
                ...(s ? { properties: fromStruct(s) } : {}),
                diagnostic: m.getDiagnostic() as string,
            };
        });
    }

    /** Returns the remediated props (wire form): the last remediation's properties, else the input props. */
    async remediate(res: CapturedResource, props: Record<string, unknown> = res.props): Promise<Record<string, unknown>> {
        let out = props;
        for (const m of await this.remediations(res, props)) if (m.properties && !m.diagnostic) out = m.properties;
        return out;
    }

    async close(): Promise<void> {
        this.client.close();
        await this.proc.kill();
        await this.engine.close();
    }
}
