/**
 * The suppression contract between the adapters (which find the mark on a resource), the engine (which judges it)
 * and the reports (which show what was suppressed and why). See engine/suppress.ts for the rules.
 */

export const IGNORE_KEY = "stride-guard.dev/ignore";

/** Where a suppression came from: on the resource (`annotation`, `label`), or beside it (`config`, `baseline`). */
export type SuppressionSource = "annotation" | "label" | "config" | "baseline";

export interface Suppression {
    readonly reason: string;
    readonly source: SuppressionSource;
}

/** A config exemption of one control, as the `exemptions` setting holds it (validated by the config schema). */
export interface Exemption {
    readonly resource: string;
    readonly reason: string;
    readonly expires?: string;
}

/** The annotation or label on a resource, as the adapters found it. */
export interface IgnoreMark {
    readonly value: string;
    readonly source: "annotation" | "label";
}
