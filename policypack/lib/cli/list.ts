import { Control } from "../contract/control";
import { refsText } from "../engine/evaluate";
import { Stride } from "../kernel/types";
import { UsageError } from "./config-file";
import { renderCatalog } from "../catalog";

export interface ListFilter {
    readonly stride?: string;
    readonly cis?: string;
    readonly target?: string;
}

const LETTERS = new Set<string>(["S", "T", "R", "I", "D", "E"]);

/** Controls matching a filter: STRIDE letter, a CIS id (current or legacy numbering), a target. */
export function selectControls(controls: readonly Control[], f: ListFilter): Control[] {
    if (f.stride !== undefined && !LETTERS.has(f.stride.toUpperCase()))
        throw new UsageError(`--stride takes one of S T R I D E, not ${JSON.stringify(f.stride)}`);
    if (f.target !== undefined && f.target !== "docker" && f.target !== "kubernetes") throw new UsageError(`--target takes docker or kubernetes`);
    return controls.filter(
        (c) =>
            (f.stride === undefined || c.stride === (f.stride.toUpperCase() as Stride)) &&
            (f.target === undefined || c.targets.includes(f.target as "docker" | "kubernetes")) &&
            (f.cis === undefined || [...(c.refs.docker ?? []), ...(c.refs.dockerLegacy ?? []), ...(c.refs.kubernetes ?? [])].includes(f.cis)),
    );
}

export function listControls(controls: readonly Control[], f: ListFilter, fmt: "text" | "json" | "markdown"): string {
    const selected = selectControls(controls, f);
    if (fmt === "markdown") return renderCatalog(selected);
    if (fmt === "json") {
        return (
            JSON.stringify(
                selected.map((c) => ({
                    id: c.id,
                    title: c.title,
                    stride: c.stride,
                    targets: c.targets,
                    severity: c.severity,
                    enforcementLevel: c.enforcementLevel,
                    benchmarks: {
                        cisDocker: c.refs.docker ?? [],
                        cisDockerLegacy: c.refs.dockerLegacy ?? [],
                        cisKubernetes: c.refs.kubernetes ?? [],
                        pss: c.pss ?? null,
                    },
                    scope: c.scope,
                    remediation: c.remediationSteps,
                })),
                null,
                2,
            ) + "\n"
        );
    }
    return selected.map((c) => `${c.stride}  ${c.id.padEnd(48)} ${c.severity.padEnd(8)} ${c.enforcementLevel.padEnd(9)} ${refsText(c)}`).join("\n") + "\n";
}
