/**
 * What the workload controls share: the Pod Security Standards level setting (the same two keys on
 * every PSS control, so one config block can set them all), the rule that decides whether a control
 * applies to a namespace. (The finding helpers every control may use are in controls/shared/findings.ts.)
 */
import { Finding, JSONSchema } from "../../contract/control";
import { PssLevel } from "../../kernel/types";
import { PodContext } from "../../model/kubernetes-container";

/** A namespace's PSS level; "privileged" switches the PSS controls off there, as Pod Security Admission does. */
export type PssSetting = "privileged" | PssLevel;

export interface PssConfig {
    /** Level enforced where `namespaceLevels` says nothing. */
    readonly level: PssSetting;
    /** Per-namespace levels, e.g. `{ "legacy": "baseline", "kube-system": "privileged" }`. */
    readonly namespaceLevels: Readonly<Record<string, PssSetting>>;
}

const LEVELS: readonly PssSetting[] = ["privileged", "baseline", "restricted"];

export const PSS_CONFIG: { readonly [K in keyof PssConfig]: JSONSchema & { readonly default: PssConfig[K] } } = {
    level: {
        type: "string",
        enum: LEVELS,
        default: "restricted",
        description: "Pod Security Standards level enforced where `namespaceLevels` names no level: restricted, baseline, or privileged (off).",
    },
    namespaceLevels: {
        type: "object",
        additionalProperties: { type: "string", enum: LEVELS },
        default: {},
        description: 'Per-namespace PSS levels overriding `level`, e.g. {"legacy": "baseline", "kube-system": "privileged"}.',
    },
};

/** The level that applies to a namespace; an unrecognized setting counts as restricted (fail safe). */
export function pssLevelOf(cfg: PssConfig, namespace: string | undefined): PssSetting {
    const levels = cfg.namespaceLevels;
    const l = namespace !== undefined && levels && Object.prototype.hasOwnProperty.call(levels, namespace) ? levels[namespace] : cfg.level;
    return l === "privileged" || l === "baseline" ? l : "restricted";
}

const RANK: Readonly<Record<PssSetting, number>> = { privileged: 0, baseline: 1, restricted: 2 };

/**
 * Runs the part of a check that a PSS rule of level `rule` governs, at the level of the pod's namespace
 * (`body` gets that level, for controls whose rule differs between baseline and restricted).
 * A namespace unknown at preview may have any configured level: what fails at the weakest of them is a
 * violation; what fails only at a stricter one is reported as unknown.
 */
export function pssCheck(cfg: PssConfig, pod: PodContext, rule: PssLevel, body: (level: PssLevel) => Finding[]): Finding[] {
    const at = (l: PssSetting): Finding[] => (l !== "privileged" && RANK[l] >= RANK[rule] ? body(l) : []);
    if (!pod.namespaceUnknown) return at(pssLevelOf(cfg, pod.namespace));
    const possible = [pssLevelOf(cfg, undefined), ...Object.keys(cfg.namespaceLevels ?? {}).map((ns) => pssLevelOf(cfg, ns))];
    const ranks = possible.map((l) => RANK[l]);
    const [weakest, strictest] = [LEVELS[Math.min(...ranks)], LEVELS[Math.max(...ranks)]];
    const definite = at(weakest);
    if (weakest === strictest) return definite;
    const known = new Set(definite.map((f) => f.field));
    const maybe = at(strictest)
        .filter((f) => !known.has(f.field))
        .map((f) =>
            f.unknown ? f : { ...f, unknown: true, message: `${f.message} (The namespace is unknown at preview; its PSS level decides whether this applies.)` },
        );
    return [...definite, ...maybe];
}

/** Restricted rules on allowPrivilegeEscalation, seccomp and capabilities do not apply to Windows pods (spec.os.name). */
export function isWindows(os: unknown): boolean {
    return os === "windows";
}
