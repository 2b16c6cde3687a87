/**
 * The pack's overhead on a real `pulumi preview` (the toolchain's CLI, language host and Kubernetes provider):
 * a 1,000-resource Kubernetes program (20 hardened namespaces of 5 resources, 150 hardened deployments of 6: the
 * kubernetes-cluster stack's components, so every control passes), previewed with and without
 * `--policy-pack policypack`, the two interleaved run by run; the median wall time of each, and the ratio.
 * The provider previews client-side against an unreachable cluster, as a CI gate does.
 */
import * as fs from "fs";
import { newProject, PACK_DIR, REPO, toolchainMissing, unreachableKubeconfig } from "../test/e2e/support";
import { median } from "./measure";

export const PREVIEW_RESOURCES = 1000;

const PROGRAM = `
const path = require("path");
const k8s = require("@pulumi/kubernetes");
const dist = path.join(process.env.STRIDE_GUARD_REPO, "dist", "stacks", "components");
const { HardenedNamespace } = require(path.join(dist, "HardenedNamespace"));
const { HardenedDeployment } = require(path.join(dist, "HardenedDeployment"));
const provider = new k8s.Provider("k8s", {});
const namespaces = [];
for (let i = 0; i < 20; i++) namespaces.push(new HardenedNamespace("ns-" + i, { provider }));
for (let i = 0; i < 150; i++) {
    const ns = namespaces[i % namespaces.length];
    new HardenedDeployment("app-" + i, {
        provider,
        namespace: ns.name,
        image: "registry.example/app@sha256:" + i.toString(16).padStart(64, "0"),
        port: 8080,
        readsConfigMaps: ["app-" + i],
    }, { dependsOn: [ns] });
}
`;

export interface PreviewFigures {
    runs: number;
    withPackMs: number[];
    withoutPackMs: number[];
    medianWith: number;
    medianWithout: number;
    ratio: number;
    resources: number;
}

/** The reason instead of figures when the toolchain is absent. */
export async function previewOverhead(runs: number, log: (s: string) => void): Promise<PreviewFigures | string> {
    const missing = toolchainMissing();
    if (missing) return missing;
    const project = await newProject("bench-preview", { "index.js": PROGRAM }, { STRIDE_GUARD_REPO: REPO });
    try {
        const env = { KUBECONFIG: unreachableKubeconfig(project.dir) };
        const once = async (pack: boolean): Promise<{ ms: number; resources: number }> => {
            const r = await project.pulumi(["preview", ...(pack ? ["--policy-pack", PACK_DIR] : [])], { env, timeoutMs: 900_000 });
            if (r.code !== 0) throw new Error(`pulumi preview${pack ? " --policy-pack" : ""} exited ${r.code}: ${r.all.slice(-2000)}`);
            const creates = /\+\s*(\d+) to create/.exec(r.all);
            return { ms: r.ms, resources: creates ? Number(creates[1]) : NaN };
        };
        // Warm-up: the first preview loads plugins and Node's module cache from disk.
        const first = await once(false);
        log(`  preview warm-up: ${(first.ms / 1000).toFixed(1)} s, ${first.resources} to create`);
        const withPackMs: number[] = [];
        const withoutPackMs: number[] = [];
        for (let i = 0; i < runs; i++) {
            withoutPackMs.push((await once(false)).ms);
            withPackMs.push((await once(true)).ms);
            log(`  preview run ${i + 1}/${runs}: without ${(withoutPackMs[i] / 1000).toFixed(1)} s, with pack ${(withPackMs[i] / 1000).toFixed(1)} s`);
        }
        const medianWith = median(withPackMs);
        const medianWithout = median(withoutPackMs);
        return { runs, withPackMs, withoutPackMs, medianWith, medianWithout, ratio: medianWith / medianWithout, resources: first.resources };
    } finally {
        if (!process.env.STRIDE_GUARD_E2E_KEEP) fs.rmSync(project.dir, { recursive: true, force: true });
    }
}
