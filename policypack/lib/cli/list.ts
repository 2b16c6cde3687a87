import { Control } from "../core/control";
import { refsText } from "../core/evaluate";
import { Stride } from "../core/types";
import { printable } from "../core/text";
import { InputError, UsageError } from "./config-file";
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

/** The benchmarks a CIS id is numbered in; the same id means different things in each. */
const BENCHMARKS: readonly { readonly name: string; readonly ids: (c: Control) => readonly string[] }[] = [
    { name: "CIS Docker 1.6.0", ids: (c) => c.refs.docker ?? [] },
    { name: "CIS Docker 1.2.0 (legacy numbering)", ids: (c) => c.refs.dockerLegacy ?? [] },
    { name: "CIS Kubernetes 1.12", ids: (c) => c.refs.kubernetes ?? [] },
];

/** `5.14: CIS Docker 1.6.0 (a, b); CIS Docker 1.2.0 (legacy numbering) (c)`, or undefined when no control has the id. */
export function benchmarksOf(controls: readonly Control[], id: string): string | undefined {
    const parts = BENCHMARKS.flatMap((b) => {
        const ids = controls.filter((c) => b.ids(c).includes(id)).map((c) => c.id);
        return ids.length > 0 ? [`${b.name} (${ids.join(", ")})`] : [];
    });
    return parts.length > 0 ? parts.join("; ") : undefined;
}

function describeFilter(f: ListFilter): string {
    return [
        f.stride !== undefined ? `--stride ${f.stride.toUpperCase()}` : "",
        f.target !== undefined ? `--target ${f.target}` : "",
        f.cis !== undefined ? `--cis ${printable(f.cis, { max: 40 })}` : "",
    ]
        .filter(Boolean)
        .join(" ");
}

/**
 * The catalog, filtered. A filter that matches nothing is an input error (exit 2), never an empty list: it says
 * which benchmarks a CIS id belongs to, since ids are ambiguous across CIS Docker 1.6.0, its 1.2.0 numbering and
 * CIS Kubernetes. A listed id is followed (text format) by the benchmarks it matched in.
 */
export function listControls(controls: readonly Control[], f: ListFilter, fmt: "text" | "json" | "markdown"): string {
    const selected = selectControls(controls, f);
    const where = f.cis === undefined ? undefined : benchmarksOf(controls, f.cis);
    if (selected.length === 0) {
        const shown = f.cis === undefined ? "" : printable(f.cis, { max: 40 });
        if (f.cis !== undefined && where === undefined)
            throw new InputError(`no control has CIS id ${shown} in CIS Docker 1.6.0, CIS Docker 1.2.0 (legacy numbering) or CIS Kubernetes 1.12`);
        throw new InputError(`no control matches ${describeFilter(f)}${where === undefined ? "" : `; CIS id ${shown} is in ${where}`}`);
    }
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
    const rows = selected.map((c) => `${c.stride}  ${c.id.padEnd(48)} ${c.severity.padEnd(8)} ${c.enforcementLevel.padEnd(9)} ${refsText(c)}`);
    if (f.cis !== undefined && where !== undefined) rows.push(`CIS id ${printable(f.cis, { max: 40 })} is in ${where}`);
    return rows.join("\n") + "\n";
}
