/**
 * Turns controls into @pulumi/policy policies. Everything here is computed once, when the pack loads;
 * per-resource work is only cleaning the properties and running the check.
 */
import type {
    EnforcementLevel as PulumiLevel,
    PolicyConfigSchema,
    PolicyPackArgs,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { Control, ControlMeta } from "./contract/control";
import {
    appliesTo,
    evaluateResource,
    evaluateStack,
    Outcome,
    refsText,
    remediateResource,
    ResourceMemo,
    resourceMemo,
    StackMemo,
    stackMemo,
    Violation,
} from "./engine/evaluate";
import { CommonSettings, configSchemaOf, defaultsOf, Settings, settingsFrom } from "./engine/settings";
import { buildStackModel } from "./engine/stack-model";
import { BENCHMARKS, EnforcementLevel, STRIDE_NAMES } from "./kernel/types";
import { clean, unproxy, WireSecrets, wireSecrets } from "./kernel/clean";
import { UNKNOWN_SENTINEL } from "./kernel/wire";
import { recordedSecretsOf, recordWireSecrets, requestKey, unknownValueError } from "./kernel/policy-internals";
import { formatSchemaError, validateSchema } from "./config/schema";
import { CONTROLS } from "./controls/index";

export { PACK_NAME } from "./kernel/types";

export { configSchemaOf, defaultsOf, settingsFrom } from "./engine/settings";

/** The primary compliance framework reference of a control, in @pulumi/policy's terms. */
export function frameworkOf(c: ControlMeta<unknown>) {
    const { docker, kubernetes } = c.refs;
    const [key, refs] = docker?.length
        ? (["docker", docker] as const)
        : kubernetes?.length
          ? (["kubernetes", kubernetes] as const)
          : c.pss
            ? (["pss", [c.pss]] as const)
            : // No benchmark has this control: it stands for the threat model itself.
              (["threatModel", [c.stride]] as const);
    return { name: BENCHMARKS[key].name, version: BENCHMARKS[key].version, reference: refs.join(", "), specification: c.title };
}

export function tagsOf(c: ControlMeta<unknown>): string[] {
    const tags = [`stride:${c.stride}`, `stride:${STRIDE_NAMES[c.stride].toLowerCase().replace(/ /g, "-")}`, ...c.targets, `severity:${c.severity}`];
    for (const id of c.refs.docker ?? []) tags.push(`cis-docker-1.6.0:${id}`);
    for (const id of c.refs.dockerLegacy ?? []) tags.push(`cis-docker-1.2.0:${id}`);
    for (const id of c.refs.kubernetes ?? []) tags.push(`cis-kubernetes-1.12:${id}`);
    if (c.pss) tags.push(`pss:${c.pss}`);
    return tags;
}

/** What the engine shows above every violation: the control, the threat, and its benchmark ids when it has any. */
export function descriptionOf(c: ControlMeta<unknown>): string {
    const refs = refsText(c);
    return refs ? `${c.title}. ${c.description} [${refs}]` : `${c.title}. ${c.description}`;
}

export function remediationText(c: ControlMeta<unknown>): string {
    return c.remediationSteps.map((s, i) => `${i + 1}. ${s}`).join("\n");
}

/**
 * The advisory note of a policy call: @pulumi/policy turns an UnknownValueError into an advisory diagnostic whatever
 * the policy's level, and it is the only way a policy has to say something that must not fail the preview. It
 * carries the unknown preview values (under `unknownValues: advisory`) and the suppressed findings with their reason:
 * Pulumi has no suppressed state, and a suppressed finding must stay visible without ever being mandatory.
 */
function advisoryNote(paths: readonly string[], suppressed: readonly Violation[]): Error {
    const e = unknownValueError(UNKNOWN_SENTINEL, paths);
    if (suppressed.length > 0) {
        const notes = suppressed.map(
            (v) => `suppressed by the ${v.suppressed?.source ?? "config"} (${JSON.stringify(v.suppressed?.reason ?? "")}): ${v.message}`,
        );
        e.message = paths.length > 0 ? `${e.message}; ${notes.join("; ")}` : notes.join("; ");
    }
    return e;
}

/**
 * The engine sends Analyze and AnalyzeStack properties with secrets kept (`KeepSecrets: true`), but @pulumi/policy
 * unwraps them before a policy runs. The pack records them as they are deserialized, so that its policies judge
 * "is this value a Pulumi secret?" (a Kubernetes Secret's data, a kubeconfig, a registry password) as in-process
 * runs do, and redact those values. Installed with the first policy; a no-op where @pulumi/policy cannot be patched.
 */
let recording = false;

function ensureRecording(): void {
    if (!recording) recording = recordWireSecrets((wire) => wireSecrets(wire));
}

/** What arrived secret in the properties a policy was given: undefined when unknown (not recorded), so undecidable. */
function wireSecretsOfArgs(props: unknown): WireSecrets | undefined {
    // Only `wireSecrets` results are recorded (see ensureRecording).
    return recordedSecretsOf(unproxy(props)) as WireSecrets | undefined;
}

function report(out: Outcome, reportViolation: ReportViolation): void {
    for (const v of out.violations) reportViolation(v.message, v.urn || undefined);
    const suppressed = out.suppressed ?? [];
    if (out.unknownPaths.length > 0 || suppressed.length > 0) throw advisoryNote(out.unknownPaths, suppressed);
}

const reportedProblems = new Set<string>();

interface StackBuilt {
    readonly keys: readonly unknown[];
    /** The model, and what the stack controls of the call share about it. */
    readonly memo: StackMemo;
    readonly secrets: string[];
}

/** Stack models by the request key of the stack's first resource (gone with the request). */
const stackModels = new WeakMap<object, StackBuilt>();

/** Cleans and indexes the stack once per AnalyzeStack call, shared by every stack control. */
function stackModelOf(args: StackValidationArgs): StackBuilt {
    const keys = args.resources.map(requestKey);
    const first = keys[0];
    const cached = first !== undefined ? stackModels.get(first) : undefined;
    if (cached && cached.keys.length === keys.length && keys.every((k, i) => k !== undefined && k === cached.keys[i])) return cached;
    const secrets: string[] = [];
    const resources = args.resources.map((r) => {
        const c = clean(r.props);
        secrets.push(...c.secrets);
        const wire = wireSecretsOfArgs(r.props);
        if (wire) secrets.push(...wire.secrets);
        return {
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: c.value,
            ...(wire ? { secretValues: wire.secretValues } : {}),
            parent: r.parent?.urn,
            dependencies: r.dependencies.map((d) => d.urn),
            provider: r.provider?.urn,
        };
    });
    const built: StackBuilt = { keys, memo: stackMemo(buildStackModel(resources)), secrets };
    if (first !== undefined) stackModels.set(first, built);
    return built;
}

interface AnalyzeInput {
    readonly res: { readonly type: string; readonly name: string; readonly urn: string; readonly props: unknown; readonly secretValues?: readonly string[] };
    readonly secrets: readonly string[];
    /** Subjects and exemption scope of the resource, worked out once per Analyze call for every control. */
    readonly memo: ResourceMemo;
}

/** Cleaned inputs by request key: cleaned once per Analyze call, and one input object for every control. */
const analyzeInputs = new WeakMap<object, AnalyzeInput>();

function analyzeInputOf(args: ResourceValidationArgs): AnalyzeInput {
    const key = requestKey(args);
    const cached = key !== undefined ? analyzeInputs.get(key) : undefined;
    if (cached && cached.res.urn === args.urn && cached.res.type === args.type && cached.res.name === args.name) return cached;
    const cleaned = clean(args.props);
    const wire = wireSecretsOfArgs(args.props);
    const res = { type: args.type, name: args.name, urn: args.urn, props: cleaned.value, ...(wire ? { secretValues: wire.secretValues } : {}) };
    const secrets = wire && wire.secrets.length > 0 ? [...cleaned.secrets, ...wire.secrets] : cleaned.secrets;
    const input: AnalyzeInput = { res, secrets, memo: resourceMemo(res) };
    if (key !== undefined) analyzeInputs.set(key, input);
    return input;
}

/** Same own keys, in the same order, holding identical values. */
function sameShallow(a: object, b: object): boolean {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (let i = 0; i < ka.length; i++) {
        if (ka[i] !== kb[i] || (a as Record<string, unknown>)[ka[i]] !== (b as Record<string, unknown>)[kb[i]]) return false;
    }
    return true;
}

/**
 * Resolves a policy's settings from what the engine configured, once per distinct config: the
 * engine validates types but cannot reject unknown keys (only `properties` and `required` cross the
 * protocol), so a misspelt key is reported here, as a violation naming the policy and key, instead
 * of being silently ignored.
 */
function settingsResolver(c: Control, defaults: Settings<Record<string, unknown>>) {
    const schema = { type: "object", properties: { ...configSchemaOf(c).properties, enforcementLevel: {} }, additionalProperties: false };
    let lastKey: string | undefined;
    let lastGiven: object | undefined;
    let last: { settings: Settings<CommonSettings>; problem?: string } | undefined;
    return (given: object): { settings: Settings<CommonSettings>; problem?: string } => {
        // @pulumi/policy hands each call a fresh shallow copy of the same configured object (it replaces that
        // object on Configure, never mutates it): the same keys holding the same values means the same config,
        // without serializing it for every policy of every resource.
        if (last && lastGiven && sameShallow(given, lastGiven)) return last;
        const key = JSON.stringify(given);
        if (key === lastKey && last) {
            lastGiven = given;
            return last;
        }
        const errors = validateSchema(schema, given).map(formatSchemaError);
        last = {
            settings: settingsFrom(defaults, given) as Settings<CommonSettings>,
            ...(errors.length
                ? {
                      problem: `invalid configuration of policy ${c.id}: ${errors.join("; ")}. Fix the policy config; until then this policy runs with its defaults for those keys.`,
                  }
                : {}),
        };
        lastKey = key;
        lastGiven = given;
        return last;
    };
}

/**
 * One control as a @pulumi/policy policy. `level` and `settings` replace the control's defaults: the
 * schema advertises them as defaults (so the engine fills them in) and the checks fall back to them.
 */
export function policyOf(c: Control, level?: EnforcementLevel, settings?: Readonly<Record<string, unknown>>): ResourceValidationPolicy | StackValidationPolicy {
    ensureRecording();
    const defaults = settings ? settingsFrom(defaultsOf(c), settings) : defaultsOf(c);
    const base = {
        name: c.id,
        displayName: c.title,
        description: descriptionOf(c),
        enforcementLevel: (level ?? c.enforcementLevel) as PulumiLevel,
        severity: c.severity,
        framework: frameworkOf(c),
        tags: tagsOf(c),
        remediationSteps: remediationText(c),
        // Our schema type is a readonly subset of @pulumi/policy's.
        configSchema: configSchemaOf(c, settings ? defaults : undefined) as unknown as PolicyConfigSchema,
    };
    const resolve = settingsResolver(c, defaults);
    if (c.scope === "stack") {
        return {
            ...base,
            validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
                const { settings, problem } = resolve(args.getConfig<object>());
                if (problem) reportViolation(problem);
                let built: StackBuilt;
                try {
                    built = stackModelOf(args);
                } catch (e) {
                    // Fail closed, but never fail the preview with an exception.
                    reportViolation(
                        `the stack could not be indexed for this control (${e instanceof Error ? e.name : "error"}); report this input to stride-guard.`,
                    );
                    return;
                }
                report(evaluateStack(c, built.memo.stack, settings as Settings<never>, built.secrets, built.memo), reportViolation);
            },
        };
    }
    return {
        ...base,
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
            const { res, secrets, memo } = analyzeInputOf(args);
            // Most controls have nothing to judge in most resources (a Docker control on a Deployment): they answer
            // before reading their config, which @pulumi/policy copies on every call.
            if (!appliesTo(c, res, memo)) return;
            const { settings, problem } = resolve(args.getConfig<object>());
            if (problem && !reportedProblems.has(problem)) {
                // Once per process: the first resource the control judges carries the config error.
                reportedProblems.add(problem);
                reportViolation(problem);
            }
            report(evaluateResource(c, res, settings, secrets, memo), reportViolation);
        },
        ...(c.remediate
            ? {
                  remediateResource: (args: ResourceValidationArgs) => {
                      const { settings } = resolve(args.getConfig<object>());
                      const cleaned = clean(args.props);
                      const res = { type: args.type, name: args.name, urn: args.urn, props: cleaned.value };
                      return remediateResource(c, res, args.props, settings);
                  },
              }
            : {}),
    };
}

/** Options of the shipped pack; the library API builds on the same function. */
export function policyPackArgs(controls: readonly Control[] = CONTROLS): PolicyPackArgs {
    return {
        description: "STRIDE threat model of Docker and Kubernetes as CIS-mapped controls (CIS Docker 1.6.0, CIS Kubernetes 1.12, PSS).",
        enforcementLevel: "advisory",
        policies: controls.map((c) => policyOf(c)),
    };
}
