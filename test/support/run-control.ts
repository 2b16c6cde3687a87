/**
 * Runs one control in-process on typed fixtures, exactly as the pack does per resource:
 * clean the props, evaluate with defaults overlaid by the given settings.
 */
import { Control } from "stride-guard/lib/contract/control";
import { evaluateResource, evaluateStack, Outcome, remediateResource } from "stride-guard/lib/engine/evaluate";
import { buildStackModel } from "stride-guard/lib/engine/stack-model";
import { clean } from "stride-guard/lib/kernel/clean";
import { SECRET_SIG, SIG_KEY, UNKNOWN_SENTINELS } from "stride-guard/lib/kernel/wire";
import { defaultsOf, settingsFrom } from "stride-guard/lib/engine/settings";

export interface Res {
    readonly type: string;
    readonly name: string;
    readonly props: unknown;
    readonly parent?: string;
    /** Provider URN, for stack controls that follow a resource to its daemon. */
    readonly provider?: string;
    /** URNs the resource depends on (stack controls tie objects to a Namespace or Role whose name is unknown). */
    readonly dependencies?: readonly string[];
}

export const urnOf = (r: Res) => `urn:pulumi:test::stride-guard::${r.type}::${r.name}`;

/** Evaluates a resource or stack control; for a stack control `resources` is the whole stack. */
export function run(control: Control, resources: Res | readonly Res[], settings: object = {}): Outcome {
    const list = Array.isArray(resources) ? (resources as readonly Res[]) : [resources as Res];
    const s = settingsFrom(defaultsOf(control), settings);
    if (control.scope === "stack") {
        const secrets: string[] = [];
        const cleaned = list.map((r) => {
            const c = clean(r.props);
            secrets.push(...c.secrets);
            return { type: r.type, name: r.name, urn: urnOf(r), props: c.value, parent: r.parent, provider: r.provider, dependencies: r.dependencies };
        });
        return evaluateStack(control, buildStackModel(cleaned), s as never, secrets);
    }
    const violations: Outcome["violations"][number][] = [];
    const unknownPaths: string[] = [];
    for (const r of list) {
        const c = clean(r.props);
        // Fixtures are in wire form, which keeps Pulumi's secret markers: say which scalars were secrets.
        const out = evaluateResource(
            control,
            { type: r.type, name: r.name, urn: urnOf(r), props: c.value, secretValues: c.secretValues },
            s as never,
            c.secrets,
        );
        violations.push(...out.violations);
        unknownPaths.push(...out.unknownPaths);
    }
    return { violations, unknownPaths };
}

/** Messages of the violations, for assertions. */
export function messages(control: Control, resources: Res | readonly Res[], settings: object = {}): string[] {
    return run(control, resources, settings).violations.map((v) => v.message);
}

/** Applies the control's remediation; returns the new props (or undefined when nothing changed). */
export function remediate(control: Control, r: Res, settings: object = {}): Record<string, unknown> | undefined {
    if (control.scope !== "resource") throw new Error(`${control.id} is a stack control`);
    const s = settingsFrom(defaultsOf(control), settings);
    const c = clean(r.props);
    return remediateResource(control, { type: r.type, name: r.name, urn: urnOf(r), props: c.value }, r.props, s as never);
}

/** Pulumi's wire forms, to plant unknowns and secrets in fixtures. */
export const UNKNOWN_STRING = UNKNOWN_SENTINELS.string;
export const UNKNOWN_BOOL = UNKNOWN_SENTINELS.bool;
export const UNKNOWN_NUMBER = UNKNOWN_SENTINELS.number;
export function secret<T>(value: T): { [SIG_KEY]: string; value: T } {
    return { [SIG_KEY]: SECRET_SIG, value };
}
