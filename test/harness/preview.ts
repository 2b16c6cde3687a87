/**
 * `previewWithPack`: what `pulumi preview --policy-pack DIR [--policy-pack-config FILE]` does, minus the CLI:
 * start the pack, reconcile+Configure its config, run the program under mocks (capturing every resource as
 * the engine receives it), then per resource Remediate (when any policy is at `remediate`) and Analyze the
 * (remediated) inputs, and finally AnalyzeStack over all resources.
 *
 * As in the engine's step generator: Analyze diagnostics carry the analyzed resource's URN, a remediation
 * that returns a diagnostic becomes an advisory violation, remediated inputs replace the inputs for Analyze,
 * default providers and the stack resource are analyzed too, reads (`.get`) only reach AnalyzeStack.
 *
 * Differences from the engine: resources are analyzed after the program finished rather than interleaved
 * with registration (same requests, different timing); no provider plugin runs, so provider `Check` (which
 * may add input defaults) is skipped; Remediate is only called when some policy is at `remediate` (the engine
 * always calls it, but the pack skips every other policy, so the result is the same); AnalyzeStack receives
 * the final inputs (in preview the planned outputs of a create are its inputs plus unknowns).
 */
import * as pulumi from "@pulumi/pulumi";
import { runProgram } from "stride-guard/lib/runner/run";
import type { CapturedResource } from "stride-guard/lib/runner/types";
import type { PolicyConfigEntry } from "stride-guard/lib/config/reconcile";
import { Diagnostic, PolicyPackClient, Remediation } from "./client";
import type { EngineLog } from "./engine";

export interface PreviewOptions {
    packDir: string;
    program: (() => unknown) | string;
    project?: string;
    stack?: string;
    config?: Record<string, string>;
    secretConfigKeys?: string[];
    /** Default true. */
    preview?: boolean;
    /** Content of the `--policy-pack-config` file (object or JSON text). */
    policyConfig?: unknown;
    mocks?: Partial<pulumi.runtime.Mocks>;
    unknownOutputs?: Record<string, string[]>;
    /** Reuse a running pack (it is not closed); otherwise one is started and closed. */
    client?: PolicyPackClient;
}

export interface PreviewResult {
    diagnostics: Diagnostic[];
    /** True when any mandatory violation was reported (the CLI would fail the preview). */
    failed: boolean;
    remediations: Array<Remediation & { urn: string }>;
    /** Every resource with its final (post-remediation) props. */
    resources: CapturedResource[];
    outputs: Record<string, unknown>;
    config: Record<string, PolicyConfigEntry>;
    logs: EngineLog[];
    stderr: string;
}

export async function previewWithPack(opts: PreviewOptions): Promise<PreviewResult> {
    const project = opts.project ?? "project";
    const stack = opts.stack ?? "dev";
    const dryRun = opts.preview ?? true;
    const client = opts.client ?? (await PolicyPackClient.start(opts.packDir, { project, stack, dryRun, config: opts.config ?? {} }));
    try {
        await client.getAnalyzerInfo();
        const config = opts.policyConfig !== undefined || !opts.client ? await client.configure(opts.policyConfig) : await client.effectiveConfig();
        const anyRemediate = Object.values(config).some((c) => c.enforcementLevel === "remediate");

        const run = await runProgram(opts.program, {
            project,
            stack,
            config: opts.config,
            secretConfigKeys: opts.secretConfigKeys,
            preview: dryRun,
            mocks: opts.mocks,
            unknownOutputs: opts.unknownOutputs,
        });

        const diagnostics: Diagnostic[] = [];
        const remediations: Array<Remediation & { urn: string }> = [];
        const finals: CapturedResource[] = [];
        for (const res of run.resources) {
            let props = res.props;
            if (res.kind !== "read") {
                if (anyRemediate) {
                    for (const m of await client.remediations(res, props)) {
                        remediations.push({ ...m, urn: res.urn });
                        if (m.diagnostic) {
                            // The engine shows a failed remediation as an advisory policy violation.
                            diagnostics.push({
                                policyName: m.policyName,
                                policyPackName: m.policyPackName,
                                policyPackVersion: m.policyPackVersion,
                                description: m.description,
                                message: m.diagnostic,
                                enforcementLevel: "advisory",
                                severity: "",
                                urn: res.urn,
                            });
                        }
                        if (m.properties && !m.diagnostic) props = m.properties;
                    }
                }
                diagnostics.push(...(await client.analyze(res, props)));
            }
            finals.push({ ...res, props });
        }
        diagnostics.push(...(await client.analyzeStack(finals)));
        return {
            diagnostics,
            failed: diagnostics.some((d) => d.enforcementLevel === "mandatory"),
            remediations,
            resources: finals,
            outputs: run.outputs,
            config,
            logs: [...client.logs],
            stderr: client.stderr(),
        };
    } finally {
        if (!opts.client) await client.close();
    }
}
