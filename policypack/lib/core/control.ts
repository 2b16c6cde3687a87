import { StackModel } from "./stack";
import { SubjectKind, SubjectModels } from "./subject";
import { BenchmarkRefs, EnforcementLevel, PssLevel, Severity, Stride, Target } from "./types";

/** A JSON schema for one config key (the subset the policy config validator supports). */
export interface JSONSchema {
    readonly type?: "string" | "number" | "integer" | "boolean" | "array" | "object";
    readonly description?: string;
    readonly default?: unknown;
    readonly enum?: readonly unknown[];
    readonly minimum?: number;
    readonly maximum?: number;
    readonly minLength?: number;
    readonly maxLength?: number;
    /** RE2- and ECMAScript-compatible, linear-time (the engine validates with Go regexp). */
    readonly pattern?: string;
    readonly items?: JSONSchema;
    readonly properties?: Readonly<Record<string, JSONSchema>>;
    readonly additionalProperties?: boolean | JSONSchema;
    readonly uniqueItems?: boolean;
}

/** What a check reports: the model field at fault (mapped to the source path) and why. */
export interface Finding {
    readonly field?: string;
    readonly message: string;
    /** The field is unknown at preview; what happens is up to the `unknownValues` setting. */
    readonly unknown?: boolean;
}

export interface ControlMeta<C> {
    /** Policy name, also the file name: `<target>-<what>`. */
    readonly id: string;
    readonly title: string;
    /** The threat, in a sentence or two: what goes wrong when this control fails. */
    readonly description: string;
    readonly stride: Stride;
    readonly targets: readonly Target[];
    readonly refs: BenchmarkRefs;
    readonly pss?: PssLevel;
    readonly severity: Severity;
    /** Default enforcement level when the user's config says nothing. */
    readonly enforcementLevel: EnforcementLevel;
    readonly remediationSteps: readonly string[];
    /** Control-specific settings with their defaults (the common settings are added by the pack). */
    readonly config: { readonly [K in keyof C]: JSONSchema & { readonly default: C[K] } };
}

/** A fix a remediation asks for, on a model field; the adapter writes it back to the source. */
export interface Fix {
    readonly field: string;
    readonly value: unknown;
}

export interface ResourceControl<K extends SubjectKind, C> extends ControlMeta<C> {
    readonly scope: "resource";
    readonly subject: K;
    check(model: SubjectModels[K], config: C): readonly Finding[];
    /** Optional: fixes that make `check` pass; only offered where the fix is safe to apply unattended. */
    remediate?(model: SubjectModels[K], config: C): readonly Fix[];
}

/** A finding of a stack control names the resource it is about. */
export interface StackFinding extends Finding {
    readonly urn: string;
    readonly subject: string;
}

export interface StackControl<C> extends ControlMeta<C> {
    readonly scope: "stack";
    check(stack: StackModel, config: C): readonly StackFinding[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyResourceControl = { [K in SubjectKind]: ResourceControl<K, any> }[SubjectKind];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Control = AnyResourceControl | StackControl<any>;

/** Identity helpers that let TypeScript infer the config type from the defaults. */
export function resourceControl<K extends SubjectKind, C>(c: ResourceControl<K, C>): ResourceControl<K, C> {
    return c;
}
export function stackControl<C>(c: StackControl<C>): StackControl<C> {
    return c;
}
