/**
 * Marshalling between captured resources (wire-form JS objects) and the analyzer protobuf messages,
 * following the engine's `MarshalProperties(props, {KeepUnknowns: true, KeepSecrets: true, SkipInternalKeys})`:
 * secrets stay `{sig: secret, value}`, unknowns stay sentinel strings, resource references are downgraded to
 * their ID (custom resources; unknown ID → unknown sentinel) or URN (components) because analyzers are not
 * sent resource references, and (for Analyze/AnalyzeStack) `__`-prefixed internal keys are dropped.
 */
import type { CapturedResource } from "stride-guard/lib/runner/types";
import { RESOURCE_SIG, SIG_KEY, UNKNOWN } from "stride-guard/lib/runner/types";

const analyzerproto = require("@pulumi/pulumi/proto/analyzer_pb");

const structproto = require("google-protobuf/google/protobuf/struct_pb");

export type Struct = { toJavaScript(): Record<string, unknown> };

export interface MarshalOptions {
    /** Drop `__`-prefixed keys (engine does for Analyze/AnalyzeStack, not for Remediate). */
    skipInternalKeys?: boolean;
}

/** Applies the engine's marshalling rules to a wire-form value. */
export function engineWireValue(v: unknown, opts: MarshalOptions = {}, depth = 0): unknown {
    if (depth > 200) throw new Error("property value nested too deeply");
    if (v === undefined) return undefined;
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v))
        return v.map((x) => {
            const m = engineWireValue(x, opts, depth + 1);
            return m === undefined ? null : m;
        });
    const o = v as Record<string, unknown>;
    if (o[SIG_KEY] === RESOURCE_SIG) {
        if ("id" in o) {
            const id = o.id;
            return typeof id === "string" && id !== "" ? id : UNKNOWN;
        }
        return o.urn;
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o)) {
        if (opts.skipInternalKeys && k.startsWith("__") && depth >= 0) continue;
        const m = engineWireValue(o[k], opts, depth + 1);
        if (m !== undefined) out[k] = m;
    }
    return out;
}

export function toStruct(props: Record<string, unknown>, opts: MarshalOptions = {}): Struct {
    return structproto.Struct.fromJavaScript(engineWireValue(props ?? {}, opts) as Record<string, unknown>);
}

export function fromStruct(s: Struct | undefined): Record<string, unknown> {
    return s ? s.toJavaScript() : {};
}

function makeOptions(res: CapturedResource): unknown {
    const o = new analyzerproto.AnalyzerResourceOptions();
    o.setProtect(res.options.protect);
    o.setIgnorechangesList(res.options.ignoreChanges);
    o.setDeletebeforereplace(res.options.deleteBeforeReplace ?? false);
    o.setDeletebeforereplacedefined(res.options.deleteBeforeReplace !== undefined);
    o.setAdditionalsecretoutputsList(res.options.additionalSecretOutputs);
    o.setAliasesList(res.options.aliases);
    const t = new analyzerproto.AnalyzerResourceOptions.CustomTimeouts();
    const ct = res.options.customTimeouts ?? {};
    // Go duration strings ("90s", "1h30m", "500ms") → seconds, as the engine converts them.
    const secs = (s?: string): number => {
        if (!s) return 0;
        let total = 0;
        const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
        const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
        for (let m = re.exec(s); m; m = re.exec(s)) total += Number(m[1]) * unit[m[2]];
        return total;
    };
    t.setCreate(secs(ct.create));
    t.setUpdate(secs(ct.update));
    t.setDelete(secs(ct.delete));
    o.setCustomtimeouts(t);
    if (res.parent) o.setParent(res.parent);
    return o;
}

function makeProvider(res: CapturedResource): unknown {
    if (!res.provider) return undefined;
    const p = new analyzerproto.AnalyzerProviderResource();
    p.setType(res.provider.type);
    p.setName(res.provider.name);
    p.setUrn(res.provider.urn);
    p.setProperties(toStruct(res.provider.props, { skipInternalKeys: true }));
    return p;
}

/** Builds the AnalyzeRequest the engine sends for Analyze (and, with internal keys kept, Remediate). */
export function makeAnalyzeRequest(res: CapturedResource, props: Record<string, unknown>, opts: MarshalOptions): unknown {
    const req = new analyzerproto.AnalyzeRequest();
    req.setType(res.type);
    req.setName(res.name);
    req.setUrn(res.urn);
    req.setProperties(toStruct(props, opts));
    req.setOptions(makeOptions(res));
    const prov = makeProvider(res);
    if (prov) req.setProvider(prov);
    return req;
}

/** Builds one AnalyzerResource of an AnalyzeStackRequest. */
export function makeAnalyzerResource(res: CapturedResource, props: Record<string, unknown>): unknown {
    const r = new analyzerproto.AnalyzerResource();
    r.setType(res.type);
    r.setName(res.name);
    r.setUrn(res.urn);
    r.setProperties(toStruct(props, { skipInternalKeys: true }));
    r.setOptions(makeOptions(res));
    const prov = makeProvider(res);
    if (prov) r.setProvider(prov);
    if (res.parent) r.setParent(res.parent);
    r.setDependenciesList(res.dependencies);
    const pdm = r.getPropertydependenciesMap();
    for (const [k, urns] of Object.entries(res.propertyDependencies)) {
        if (urns.length === 0) continue; // the engine skips properties without dependencies
        const pd = new analyzerproto.AnalyzerPropertyDependencies();
        pd.setUrnsList(urns);
        pdm.set(k, pd);
    }
    return r;
}

export const ENFORCEMENT_LEVEL_NAMES = ["advisory", "mandatory", "disabled", "remediate"] as const;
export const SEVERITY_NAMES = ["", "low", "medium", "high", "critical"] as const;

export function enforcementLevelToProto(level: string): number {
    const i = (ENFORCEMENT_LEVEL_NAMES as readonly string[]).indexOf(level);
    if (i < 0) throw new Error(`invalid enforcement level ${JSON.stringify(level)}`);
    return i;
}
