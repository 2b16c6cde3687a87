// Scan speed on a generated manifest set, against plain `yaml` parsing of the same files.
// Run: node dist/test/scan/bench.js [DOCUMENTS=10000] [DOCS_PER_FILE=100]
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { parseAllDocuments } from "yaml";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { scanKubernetes } from "stride-guard/lib/scan/index";
import { readKubernetes } from "stride-guard/lib/scan/kubernetes";
import { readSources } from "stride-guard/lib/scan/sources";
import { tempDir } from "./helpers";

function deployment(i: number, hardened: boolean): string {
    return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: ns-${i % 50}
  labels: { app: app-${i}, tier: web }
spec:
  replicas: 3
  selector: { matchLabels: { app: app-${i} } }
  template:
    metadata: { labels: { app: app-${i} } }
    spec:
      automountServiceAccountToken: false
      securityContext: { runAsNonRoot: ${hardened}, runAsUser: 10001, seccompProfile: { type: RuntimeDefault } }
      containers:
        - name: app
          image: registry.example.com/app-${i}:1.${i % 10}.0
          ports: [{ containerPort: 8080 }]
          env:
            - { name: MODE, value: production }
            - { name: DB_PASSWORD, valueFrom: { secretKeyRef: { name: db, key: password } } }
          securityContext: { allowPrivilegeEscalation: ${!hardened}, readOnlyRootFilesystem: ${hardened}, privileged: ${!hardened}, capabilities: { drop: [ALL] } }
          resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { memory: 256Mi } }
`;
}

function other(i: number): string {
    return i % 2 === 0
        ? `apiVersion: v1\nkind: Service\nmetadata: { name: svc-${i}, namespace: ns-${i % 50} }\nspec:\n  selector: { app: app-${i} }\n  ports: [{ port: 80, targetPort: 8080 }]\n`
        : `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: cm-${i}, namespace: ns-${i % 50} }\ndata:\n  a: "1"\n  b: "two"\n`;
}

async function main(): Promise<void> {
    const total = Number(process.argv[2] ?? 10000);
    const perFile = Number(process.argv[3] ?? 100);
    const dir = tempDir("sg-bench-");
    let n = 0;
    for (let f = 0; n < total; f++) {
        const docs: string[] = [];
        for (let k = 0; k < perFile && n < total; k++, n++) docs.push(n % 2 === 0 ? deployment(n, n % 4 === 0) : other(n));
        fs.writeFileSync(path.join(dir, `m-${String(f).padStart(4, "0")}.yaml`), `# generated\n---\n${docs.join("---\n")}`);
    }
    const bytes = fs.readdirSync(dir).reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0);
    const src = await readSources([dir], [".yaml"], async () => "");

    // Best of three after a warm-up: the least disturbed run on a shared machine.
    const time = async (label: string, fn: () => unknown | Promise<unknown>): Promise<number> => {
        await fn();
        let ms = Infinity;
        let out: unknown;
        for (let i = 0; i < 3; i++) {
            const t0 = performance.now();
            out = await fn();
            ms = Math.min(ms, performance.now() - t0);
        }
        console.log(`${label.padEnd(52)} ${ms.toFixed(0).padStart(6)} ms  ${out}`);
        return ms;
    };
    console.log(`${total} documents in ${src.texts.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB, ${CONTROLS.length} controls`);
    const plain = await time("yaml parseAllDocuments + toJS (baseline)", () => {
        let docs = 0;
        for (const t of src.texts) for (const d of parseAllDocuments(t.text) as unknown as { toJS(): unknown }[]) if (d.toJS() !== null) docs++;
        return `${docs} docs`;
    });
    const read = await time("scan: read (parse, lines, type tokens, redaction set)", () => `${readKubernetes(src.texts).resources.length} objects`);
    const full = await time("scan k8s: read + analyze with every control", async () => {
        const r = await scanKubernetes([dir], { controls: CONTROLS });
        return `${r.findings.length} findings`;
    });
    console.log(
        `read/baseline ${(read / plain).toFixed(2)}×, full scan/baseline ${(full / plain).toFixed(2)}×, ${((total / full) * 1000).toFixed(0)} documents/s`,
    );
    fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
});
