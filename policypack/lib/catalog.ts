/**
 * The policy catalog and the STRIDE × benchmark coverage matrix, generated from the controls'
 * metadata (docs/policies.md; `stride-guard list --format markdown`).
 */
import { Control, JSONSchema } from "./core/control";
import { refsText } from "./core/evaluate";
import { COMMON_SCHEMA } from "./core/settings";
import { Stride, STRIDE_NAMES } from "./core/types";
import { renderCisDockerCoverage } from "./scan/cis-docker";

const STRIDE_ORDER: readonly Stride[] = ["S", "T", "R", "I", "D", "E"];

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function configText(c: Control): string {
    const keys = Object.entries(c.config as Record<string, JSONSchema>);
    if (keys.length === 0) return "—";
    return keys.map(([k, s]) => `\`${k}\` = \`${JSON.stringify(s.default)}\``).join("<br>");
}

function benchmarks(c: Control): string {
    return refsText(c) || "—";
}

export function renderCatalog(controls: readonly Control[]): string {
    const out: string[] = [
        "# stride-guard policy catalog",
        "",
        "Generated from the controls' metadata (`npm run generate`); a test fails when this file is stale.",
        "",
        `${controls.length} controls. Docker ids follow CIS Docker Benchmark 1.6.0 with the 1.2.0 numbering as *legacy*;`,
        "Kubernetes ids follow CIS Kubernetes Benchmark 1.12; PSS is the Pod Security Standards level a control belongs to.",
        "",
        "Every control also takes the common settings:",
        "",
        "| key | default | meaning |",
        "|---|---|---|",
        ...Object.entries(COMMON_SCHEMA).map(([k, s]) => `| \`${k}\` | \`${JSON.stringify(s.default)}\` | ${cell(s.description ?? "")} |`),
        "",
    ];
    for (const letter of STRIDE_ORDER) {
        const group = controls.filter((c) => c.stride === letter);
        if (group.length === 0) continue;
        out.push(`## ${letter} — ${STRIDE_NAMES[letter]}`, "");
        out.push("| id | title | benchmarks | severity | default level | settings (defaults) |", "|---|---|---|---|---|---|");
        for (const c of group) {
            out.push(`| \`${c.id}\` | ${cell(c.title)} | ${cell(benchmarks(c))} | ${c.severity} | ${c.enforcementLevel} | ${cell(configText(c))} |`);
        }
        out.push("");
        for (const c of group) {
            out.push(
                `### \`${c.id}\``,
                "",
                cell(c.description),
                "",
                `Targets: ${c.targets.join(", ")} · ${c.scope === "stack" ? "stack control (whole stack)" : "resource control"} · ${benchmarks(c)}`,
                "",
            );
            out.push("Remediation:", "", ...c.remediationSteps.map((s, i) => `${i + 1}. ${s}`), "");
        }
    }
    out.push(renderCoverage(controls), "", ...renderHostOnly());
    out.push(renderCisDockerCoverage(controls));
    return out.join("\n");
}

/**
 * CIS Docker 1.6.0 items no input of stride-guard can show: they are about what runs on the machine, so
 * only a check on the host itself (such as docker-bench-security) can judge them.
 */
export const HOST_ONLY_DOCKER_ITEMS: readonly { readonly cis: string; readonly item: string; readonly why: string }[] = [
    {
        cis: "5.7",
        item: "sshd is not run within containers",
        why: "what a container runs is its processes (`docker exec … ps`), not a setting of its inputs or of `docker inspect`",
    },
    {
        cis: "5.23",
        item: "`docker exec` is not used with the privileged option",
        why: "exec sessions are commands run against a running container; they leave no trace in its configuration (only in the daemon's audit log)",
    },
    {
        cis: "5.24",
        item: "`docker exec` is not used with the user=root option",
        why: "as 5.23: an exec session's user is chosen per command, not stored with the container",
    },
    {
        cis: "5.28",
        item: "Docker commands always use the latest version of their image",
        why: "whether the local copy of a tag is the newest is a fact of the host's image store when the command runs; inputs only name a reference (pinning by digest, docker-image-pinned 4.5, makes the question moot)",
    },
];

function renderHostOnly(): string[] {
    return [
        "## CIS Docker items only a running host can show",
        "",
        "These items concern what happens on a running machine, not what Pulumi inputs, Compose files or `docker inspect` output say; no control here can judge them:",
        "",
        "| CIS Docker 1.6.0 | item | why no input shows it |",
        "|---|---|---|",
        ...HOST_ONLY_DOCKER_ITEMS.map((h) => `| ${h.cis} | ${cell(h.item)} | ${cell(h.why)} |`),
        "",
    ];
}

/** Which STRIDE letters each benchmark's ids are covered under, and how many controls each cell has. */
export function renderCoverage(controls: readonly Control[]): string {
    const rows: [string, (c: Control) => readonly string[]][] = [
        ["CIS Docker 1.6.0", (c) => c.refs.docker ?? []],
        ["CIS Docker 1.2.0 (legacy)", (c) => c.refs.dockerLegacy ?? []],
        ["CIS Kubernetes 1.12", (c) => c.refs.kubernetes ?? []],
        ["PSS", (c) => (c.pss ? [c.pss] : [])],
    ];
    const out = [
        "## Coverage: STRIDE × benchmark",
        "",
        `| benchmark | ${STRIDE_ORDER.map((l) => `${l} (${STRIDE_NAMES[l]})`).join(" | ")} |`,
        `|---|${STRIDE_ORDER.map(() => "---").join("|")}|`,
    ];
    for (const [name, ids] of rows) {
        const cells = STRIDE_ORDER.map((l) => {
            const all = [...new Set(controls.filter((c) => c.stride === l).flatMap(ids))].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
            return all.length ? all.join(", ") : "—";
        });
        out.push(`| ${name} | ${cells.join(" | ")} |`);
    }
    const counts = STRIDE_ORDER.map((l) => String(controls.filter((c) => c.stride === l).length));
    out.push(`| controls | ${counts.join(" | ")} |`, "");
    return out.join("\n");
}
