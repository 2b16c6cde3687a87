/**
 * stride-guard as a library, for organisations that compose their own policy pack:
 *
 *     import { PolicyPack } from "@pulumi/policy";
 *     import { StrideGuard } from "stride-guard";
 *     const guard = new StrideGuard({ preset: "baseline", "docker-container-memory-limit": { maxMemoryMb: 512 } });
 *     new PolicyPack("acme-guard", { policies: [...guard.policies(), ...acmePolicies] });
 *
 * Levels and settings given here become each policy's defaults (the engine's config still overrides
 * them), so nothing else needs wiring. Importing this module never starts a policy server.
 *
 * @pulumi/policy deserializes a resource's properties once per policy; `shareDeserialization("wire")` makes it
 * once per request for any pack, and `shareDeserialization("parsed")` (what stride-guard's own pack uses) also
 * shares the parsed object, for packs whose policies never modify `args.props`. Call it before `new PolicyPack`.
 */
import type { PolicyPackArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { PolicyConfigEntry, reconcilePolicyConfig } from "./config/reconcile";
import { CONTROLS } from "./controls/index";
import { Control } from "./core/control";
import { EnforcementLevel, Severity, Stride, Target } from "./core/types";
import { PACK_VERSION, packOf } from "./check/analyze";
import { PACK_NAME, policyOf } from "./pack";

export type Preset = "advisory-rollout" | "baseline" | "strict";

/** Which controls to include; every given criterion must match (lists match any of their items). */
export interface Selection {
    readonly stride?: readonly Stride[];
    readonly targets?: readonly Target[];
    /** Lowest severity included, e.g. "high" keeps high and critical. */
    readonly minSeverity?: Severity;
    /** Benchmark ids (CIS Docker current or legacy, CIS Kubernetes), e.g. ["5.15", "1.2.16"]. */
    readonly cis?: readonly string[];
    readonly ids?: readonly string[];
    /** Control ids left out. */
    readonly exclude?: readonly string[];
}

export type PolicySettings = { readonly enforcementLevel?: EnforcementLevel } & { readonly [key: string]: unknown };

/**
 * `preset`, `all` and `select` shape the whole set; any other key is a control id with its level or
 * settings, exactly as in a `--policy-pack-config` file.
 */
export interface StrideGuardOptions {
    readonly preset?: Preset;
    readonly all?: EnforcementLevel;
    readonly select?: Selection;
    readonly [controlId: string]: EnforcementLevel | PolicySettings | Preset | Selection | undefined;
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { low: 0, medium: 1, high: 2, critical: 3 };

const SELECTION_KEYS: readonly (keyof Selection)[] = ["stride", "targets", "minSeverity", "cis", "ids", "exclude"];
const LIST_VALUES: Readonly<Partial<Record<keyof Selection, readonly string[]>>> = {
    stride: ["S", "T", "R", "I", "D", "E"],
    targets: ["docker", "kubernetes"],
};
const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const benchmarkIds = (c: Control): string[] => [...(c.refs.docker ?? []), ...(c.refs.dockerLegacy ?? []), ...(c.refs.kubernetes ?? [])];

/**
 * Why a selection is wrong, in the engine's `validating policy config: …` wording, or undefined. A selection
 * must be well-typed, and each id, benchmark id and the whole selection must match at least one control:
 * a typo that silently selects nothing would build a pack that checks nothing.
 */
export function selectionProblems(controls: readonly Control[], s: unknown): string[] {
    if (s === undefined) return [];
    const problems: string[] = [];
    if (s === null || typeof s !== "object" || Array.isArray(s)) return ["select: Invalid type. Expected: object"];
    const sel = s as Record<string, unknown>;
    for (const k of Object.keys(sel).sort())
        if (!(SELECTION_KEYS as readonly string[]).includes(k)) problems.push(`select: Additional property ${JSON.stringify(k).slice(1, -1)} is not allowed`);
    for (const k of SELECTION_KEYS) {
        if (!own(sel, k) || sel[k] === undefined) continue;
        const v = sel[k];
        if (k === "minSeverity") {
            if (typeof v !== "string" || !own(SEVERITY_RANK, v)) problems.push("select.minSeverity: must be one of the following: low, medium, high, critical");
            continue;
        }
        if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) {
            problems.push(`select.${k}: Invalid type. Expected: array of strings`);
            continue;
        }
        const allowed = LIST_VALUES[k];
        v.forEach((item: string, i) => {
            const where = `select.${k}.${i}`;
            if (allowed) {
                if (!allowed.includes(item)) problems.push(`${where}: must be one of the following: ${allowed.join(", ")}`);
            } else if (k === "cis") {
                if (!controls.some((c) => benchmarkIds(c).includes(item))) problems.push(`${where}: no control has this CIS benchmark id`);
            } else if (!controls.some((c) => c.id === item)) problems.push(`${where}: no control has this id`);
        });
    }
    if (problems.length === 0 && select(controls, sel as Selection).length === 0) problems.push("select: matches no control (each given criterion must match)");
    return problems;
}

export function select(controls: readonly Control[], s: Selection | undefined): Control[] {
    if (!s) return [...controls];
    return controls.filter((c) => {
        if (s.ids && !s.ids.includes(c.id)) return false;
        if (s.exclude?.includes(c.id)) return false;
        if (s.stride && !s.stride.includes(c.stride)) return false;
        if (s.targets && !c.targets.some((t) => s.targets!.includes(t))) return false;
        if (s.minSeverity && SEVERITY_RANK[c.severity] < SEVERITY_RANK[s.minSeverity]) return false;
        if (s.cis) {
            const ids = benchmarkIds(c);
            if (!s.cis.some((id) => ids.includes(id))) return false;
        }
        return true;
    });
}

/** The policy-pack config a preset stands for (also shipped as policypack/config/<preset>.json). */
export function presetConfig(preset: Preset, controls: readonly Control[] = CONTROLS): Record<string, unknown> {
    switch (preset) {
        case "advisory-rollout":
            return { all: "advisory" };
        case "baseline": {
            // Block what is critical or high; report the rest. Pods are held to the PSS baseline.
            const cfg: Record<string, unknown> = {};
            for (const c of controls) {
                const level = SEVERITY_RANK[c.severity] >= SEVERITY_RANK.high ? "mandatory" : "advisory";
                cfg[c.id] = "level" in c.config ? { enforcementLevel: level, level: "baseline" } : level;
            }
            return cfg;
        }
        case "strict": {
            // Everything blocks, and so does anything unknown at preview.
            const cfg: Record<string, unknown> = {};
            for (const c of controls) cfg[c.id] = { enforcementLevel: "mandatory", unknownValues: "fail" };
            return cfg;
        }
        default: {
            const never: never = preset;
            throw new Error(`unknown preset ${String(never)}`);
        }
    }
}

/** Merges config documents in order; a later level or setting wins. */
function merge(...docs: Record<string, unknown>[]): Record<string, unknown> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const doc of docs) {
        for (const [k, v] of Object.entries(doc)) {
            const entry = typeof v === "string" ? { enforcementLevel: v } : (v as Record<string, unknown>);
            out[k] = { ...(out[k] ?? {}), ...entry };
        }
    }
    return out;
}

export class StrideGuard {
    /** The selected controls. */
    readonly controls: readonly Control[];
    /** Each selected control's level and settings after presets, `all` and per-control options. */
    readonly config: Readonly<Record<string, PolicyConfigEntry>>;

    /** Throws with the engine's `validating policy config: …` message when a setting is wrong or unknown. */
    constructor(options: StrideGuardOptions = {}, catalog: readonly Control[] = CONTROLS) {
        const { preset, all, select: selection, ...perControl } = options;
        const problems = selectionProblems(catalog, selection);
        if (problems.length > 0) throw new Error(problems.map((p) => `validating policy config: ${PACK_NAME} ${PACK_VERSION}  ${p}`).join("\n"));
        this.controls = select(catalog, selection);
        const ids = new Set(this.controls.map((c) => c.id));
        const { all: presetAll, ...presetEntries } = preset ? presetConfig(preset, this.controls) : {};
        const everyControl = (level: unknown) => (level ? Object.fromEntries(this.controls.map((c) => [c.id, level])) : {});
        // Later wins: the preset (its blanket level, then its entries), then the `all` option, then per-control options.
        const given = merge(everyControl(presetAll), presetEntries, everyControl(all), perControl as Record<string, unknown>);
        for (const k of Object.keys(given))
            if (!ids.has(k) && !catalog.some((c) => c.id === k)) throw new Error(`stride-guard: no control named ${JSON.stringify(k)}`);
        const result = reconcilePolicyConfig(packOf(this.controls), Object.fromEntries(Object.entries(given).filter(([k]) => ids.has(k))));
        if (!result.ok) throw new Error(result.message);
        this.config = result.config;
    }

    /** @pulumi/policy policies with these levels and settings as their defaults. */
    policies(): (ResourceValidationPolicy | StackValidationPolicy)[] {
        return this.controls.map((c) => {
            const entry = this.config[c.id];
            return policyOf(c, entry.enforcementLevel, entry.properties);
        });
    }

    /** Arguments for `new PolicyPack(name, guard.packArgs())`. */
    packArgs(description = "stride-guard controls"): PolicyPackArgs {
        return { description, enforcementLevel: "advisory", policies: this.policies() };
    }
}

export { CONTROLS } from "./controls/index";
export { shareDeserialization, deserializationSharing } from "./deserialize-once";
export type { Sharing } from "./deserialize-once";
export type { Control } from "./core/control";
export type { Stride, Severity, Target, EnforcementLevel } from "./core/types";
