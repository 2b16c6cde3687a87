/**
 * Shared vocabulary of stride-guard: STRIDE letters, benchmark references, levels.
 * Pure types and tiny constant tables; no runtime dependencies.
 */

export type Stride = "S" | "T" | "R" | "I" | "D" | "E";

export const STRIDE_NAMES: Readonly<Record<Stride, string>> = {
    S: "Spoofing",
    T: "Tampering",
    R: "Repudiation",
    I: "Information disclosure",
    D: "Denial of service",
    E: "Elevation of privilege",
};

export type Severity = "low" | "medium" | "high" | "critical";
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export type PssLevel = "baseline" | "restricted";
export type Target = "docker" | "kubernetes";

/** Benchmark ids a control implements. Docker ids follow CIS Docker 1.6.0; `dockerLegacy` the 1.2.0 numbering. */
export interface BenchmarkRefs {
    readonly docker?: readonly string[];
    readonly dockerLegacy?: readonly string[];
    readonly kubernetes?: readonly string[];
}

export const BENCHMARKS = {
    docker: { name: "CIS Docker Benchmark", version: "1.6.0" },
    dockerLegacy: { name: "CIS Docker Benchmark", version: "1.2.0" },
    kubernetes: { name: "CIS Kubernetes Benchmark", version: "1.12" },
    pss: { name: "Kubernetes Pod Security Standards", version: "v1.34" },
    threatModel: { name: "stride-guard STRIDE threat model (Docker and Kubernetes)", version: "1" },
} as const;

/** How an unknown preview value in a field a control reads is treated. */
export type UnknownValuesMode = "advisory" | "fail" | "pass";

/** The policy pack's name, as the engine and the config reconciler know it. */
export const PACK_NAME = "stride-guard";
