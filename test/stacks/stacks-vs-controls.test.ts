// Every control on the stacks, in process (the same analysis the policy pack runs at `pulumi preview`):
// docker-host and kubernetes-cluster have no mandatory finding; insecure-demo has at least one mandatory
// finding for every STRIDE letter, on the Docker side and on the Kubernetes side.
import * as assert from "assert";
import { analyze } from "stride-guard/lib/engine/analyze";
import { Report, ReportFinding } from "stride-guard/lib/check/report";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { runStack, StackName } from "./support";

const STRIDE = ["S", "T", "R", "I", "D", "E"] as const;

/** `preview`: the first preview of a new stack (keys, certificates and the encryption key not generated yet). */
async function check(stack: StackName, preview: boolean): Promise<Report> {
    const run = await runStack(stack, preview ? { preview: true, outputs: false } : {});
    return analyze(
        stack,
        run.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.props, parent: r.parent, dependencies: r.dependencies })),
        CONTROLS,
    );
}

const show = (fs: readonly ReportFinding[]) =>
    fs.map((f) => `  [${f.stride} ${f.level}] ${f.control} on ${f.resource.type} ${f.resource.name}: ${f.message}`).join("\n");

/** Which side of the threat model a finding is on: the control's benchmark family. */
function side(f: ReportFinding): "docker" | "kubernetes" {
    if (f.benchmarks.cisKubernetes || f.benchmarks.pss || f.control.startsWith("kubernetes")) return "kubernetes";
    return "docker";
}

describe("stacks vs controls", function () {
    this.timeout(60_000);

    it("knows controls for every STRIDE letter on both sides", function () {
        for (const letter of STRIDE) {
            assert.ok(
                CONTROLS.some((c) => c.stride === letter && c.targets.includes("docker")),
                `no Docker control for ${letter}`,
            );
            assert.ok(
                CONTROLS.some((c) => c.stride === letter && c.targets.includes("kubernetes")),
                `no Kubernetes control for ${letter}`,
            );
        }
    });

    for (const stack of ["docker-host", "kubernetes-cluster"] as const) {
        for (const preview of [false, true]) {
            it(`${stack} passes every control (${preview ? "first preview" : "update"})`, async function () {
                const report = await check(stack, preview);
                assert.deepStrictEqual(report.errors, []);
                const mandatory = report.findings.filter((f) => f.level === "mandatory");
                assert.strictEqual(mandatory.length, 0, `mandatory findings on ${stack}:\n${show(mandatory)}`);
                assert.ok(report.controls > 0 && report.resources > 0);
                // Only what is generated at deploy time may be unchecked at preview; after it, nothing at all.
                const other = report.findings.filter((f) => !(preview && f.unknown));
                assert.deepStrictEqual(other, [], `findings on ${stack}:\n${show(other)}`);
            });
        }
    }

    it("insecure-demo fails on every STRIDE letter, on the Docker side and on the Kubernetes side", async function () {
        const report = await check("insecure-demo", false);
        const mandatory = report.findings.filter((f) => f.level === "mandatory");
        const missing: string[] = [];
        for (const s of ["docker", "kubernetes"] as const) {
            for (const letter of STRIDE) {
                if (!mandatory.some((f) => f.stride === letter && side(f) === s)) missing.push(`${s} ${letter}`);
            }
        }
        assert.deepStrictEqual(missing, [], `no mandatory finding for: ${missing.join(", ")}\nfindings:\n${show(mandatory)}`);
    });

    it("insecure-demo: each deliberate mistake is caught under its STRIDE letter", async function () {
        const report = await check("insecure-demo", false);
        const mandatory = report.findings.filter((f) => f.level === "mandatory");
        // [letter, resource name, the mistake] — see the comments in stacks/insecure-demo.ts
        const expected: [string, string, string][] = [
            ["S", "docker-plaintext", "Docker provider over tcp:// without TLS"],
            ["S", "daemon-json", "daemon listening on tcp:// without TLS"],
            ["T", "web", "image nginx:latest, writable root filesystem"],
            ["R", "daemon-json", "Docker host without audit rules"],
            ["I", "web", "/etc bind-mounted writable, docker.sock mounted"],
            ["D", "web", "no memory limit, restart always"],
            ["E", "web", "privileged, root"],
            ["E", "daemon-json", "no userns-remap, no no-new-privileges"],
            ["S", "kubeadm-config", "anonymous auth, AlwaysAllow"],
            ["S", "insecure-k8s", "kubeconfig skips TLS verification"],
            ["T", "debug", "hostPath volume"],
            ["T", "ca-key", "private key written 0644"],
            ["R", "kubeadm-config", "no audit log"],
            ["I", "kubeadm-config", "identity first, etcd without client-cert-auth"],
            ["I", "playground", "no default-deny NetworkPolicy"],
            ["D", "debug", "no requests and limits"],
            ["D", "kubeadm-config", "no kubelet podPidsLimit"],
            ["E", "debug", "privileged pod as root"],
            ["E", "developers-cluster-admin", "cluster-admin bound to a group"],
            ["E", "playground", "namespace without Pod Security labels"],
        ];
        const missed = expected.filter(([letter, name]) => !mandatory.some((f) => f.stride === letter && f.resource.name === name));
        assert.deepStrictEqual(missed, [], `not caught:\n${missed.map((m) => `  ${m.join(" / ")}`).join("\n")}\nfindings:\n${show(mandatory)}`);
    });
});
