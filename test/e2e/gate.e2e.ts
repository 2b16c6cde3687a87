/**
 * The gate, for real: `pulumi preview --policy-pack policypack` with the Pulumi CLI, its Node.js language host and
 * the Kubernetes provider built by `npm run toolchain`, on small Kubernetes-only programs. Each case is also run
 * through the in-repo harness (test/harness), which imitates the engine for the unit tests, and the two must agree.
 *
 * The provider previews against a kubeconfig whose server is a closed loopback port: it cannot reach a cluster,
 * so it previews client-side (what a CI gate without cluster credentials sees).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Diagnostic, previewWithPack, PreviewResult } from "../harness";
import { CliResult, CliViolation, newProject, PACK_DIR, parseViolations, Project, REPO, requireToolchain, unreachableKubeconfig } from "./support";

const FIXTURES = path.join(REPO, "test", "fixtures", "e2e");

interface Gate {
    project: Project;
    cli: CliResult;
    violations: CliViolation[];
    /** The harness's result, or the error it raised (a config it rejects). */
    harness: PreviewResult | Error;
}

function harnessOf(g: Gate): PreviewResult {
    if (g.harness instanceof Error) throw new Error(`the harness failed where the engine ran: ${g.harness.message}\n--- CLI output ---\n${g.cli.all}`);
    return g.harness;
}

/** `type: name` as the CLI prints a resource, from a URN. */
function resourceOf(urn: string): string {
    const parts = urn.split("::");
    const type = (parts[2] ?? "").split("$").pop() ?? "";
    if (type === "pulumi:pulumi:Stack") return "";
    return `${type}: ${parts[3] ?? ""}`;
}

/** One line per violation, comparable between the CLI and the harness. */
const keyOfCli = (v: CliViolation): string => `${v.level} ${v.policy} (${v.resource})`;
const keyOfHarness = (d: Diagnostic): string => `${d.enforcementLevel} ${d.policyName} (${resourceOf(d.urn)})`;

async function gate(fixture: string, policyConfig?: unknown, extraArgs: string[] = [], extraFiles: Record<string, string> = {}): Promise<Gate> {
    const files: Record<string, string> = { ...extraFiles };
    for (const f of fs.readdirSync(path.join(FIXTURES, fixture))) files[f] = fs.readFileSync(path.join(FIXTURES, fixture, f), "utf8");
    const project = await newProject(`e2e-${fixture}`, files, { STRIDE_GUARD_REPO: REPO });
    const kubeconfig = unreachableKubeconfig(project.dir);
    const args = ["preview", "--policy-pack", PACK_DIR];
    if (policyConfig !== undefined) args.push("--policy-pack-config", project.write("policy.json", JSON.stringify(policyConfig)));
    const cli = await project.pulumi([...args, ...extraArgs], { env: { KUBECONFIG: kubeconfig } });
    const saved = process.env.STRIDE_GUARD_REPO;
    process.env.STRIDE_GUARD_REPO = REPO;
    let harness: PreviewResult | Error;
    try {
        harness = await previewWithPack({ packDir: PACK_DIR, program: project.dir, project: `e2e-${fixture}`, stack: "dev", policyConfig }).catch(
            (e: Error) => e,
        );
    } finally {
        if (saved === undefined) delete process.env.STRIDE_GUARD_REPO;
        else process.env.STRIDE_GUARD_REPO = saved;
    }
    return { project, cli, violations: parseViolations(cli.all), harness };
}

function agree(g: Gate): void {
    const h = harnessOf(g);
    const cli = g.violations.map(keyOfCli).sort();
    const harness = h.diagnostics.map(keyOfHarness).sort();
    assert.deepStrictEqual(cli, harness, `the engine and the harness report different violations\n--- CLI output ---\n${g.cli.all}`);
    // Each message the harness produced is printed by the CLI for that violation.
    for (const d of h.diagnostics) {
        const v = g.violations.find((x) => keyOfCli(x) === keyOfHarness(d));
        const last = d.message.trim().split("\n").pop()!.trim();
        assert.ok(v && v.text.includes(last), `CLI text for ${keyOfHarness(d)} lacks ${JSON.stringify(last)}\n--- CLI output ---\n${g.cli.all}`);
    }
}

describe("e2e gate: pulumi preview --policy-pack (real engine) vs the in-repo harness", function () {
    this.timeout(600_000);
    const projects: Project[] = [];
    before(function () {
        requireToolchain(this);
    });
    after(() => {
        if (!process.env.STRIDE_GUARD_E2E_KEEP) for (const p of projects) p.remove();
    });

    it("a compliant program (the stack's hardened namespace and deployment) passes: exit 0, no violation", async () => {
        const g = await gate("compliant");
        projects.push(g.project);
        assert.strictEqual(g.cli.code, 0, g.cli.all);
        assert.deepStrictEqual(g.violations, [], g.cli.all);
        assert.ok(/stride-guard@v0\.1\.0/.test(g.cli.all), `the CLI ran the pack\n${g.cli.all}`);
        agree(g);
        assert.strictEqual(harnessOf(g).failed, false);
    });

    it("an insecure program fails with the engine's exit code, each violation printed as expected", async () => {
        const g = await gate("insecure");
        projects.push(g.project);
        assert.notStrictEqual(g.cli.code, 0, g.cli.all);
        assert.strictEqual(g.cli.code, 255, `the CLI's exit code for a preview failed by a mandatory policy\n${g.cli.all}`);
        const keys = g.violations.map(keyOfCli);
        for (const want of [
            "mandatory kubernetes-no-privileged-containers (kubernetes:core/v1:Pod: debug)",
            "mandatory kubernetes-no-host-namespaces (kubernetes:core/v1:Pod: debug)",
            "mandatory kubernetes-no-hostpath-volumes (kubernetes:core/v1:Pod: debug)",
            "mandatory kubernetes-namespace-pod-security (kubernetes:core/v1:Namespace: legacy)",
        ]) {
            assert.ok(keys.includes(want), `missing ${want}; got:\n${keys.join("\n")}\n--- CLI output ---\n${g.cli.all}`);
        }
        assert.ok(!g.cli.all.includes("hunter2-plaintext"), "a secret-looking env value is never echoed");
        agree(g);
        assert.strictEqual(harnessOf(g).failed, true);
    });

    it("--policy-pack-config sets levels and settings as the engine applies them", async () => {
        const config = {
            "kubernetes-no-privileged-containers": "advisory",
            "kubernetes-no-host-namespaces": { excludeNamespaces: ["legacy"] },
        };
        const g = await gate("insecure", config);
        projects.push(g.project);
        const keys = g.violations.map(keyOfCli);
        assert.ok(keys.includes("advisory kubernetes-no-privileged-containers (kubernetes:core/v1:Pod: debug)"), g.cli.all);
        assert.ok(!keys.some((k) => k.includes("kubernetes-no-host-namespaces")), `excludeNamespaces is applied\n${g.cli.all}`);
        agree(g);
    });

    it("a config value of the wrong type: the engine refuses it before running anything, as the harness does", async () => {
        const g = await gate("insecure", { "kubernetes-no-privileged-containers": { excludeNamespaces: "legacy" } });
        projects.push(g.project);
        assert.strictEqual(g.cli.code, 1, g.cli.all);
        const line =
            "validating policy config: stride-guard 0.1.0  kubernetes-no-privileged-containers: excludeNamespaces: Invalid type. Expected: array, given: string";
        assert.ok(g.cli.all.includes(line), g.cli.all);
        assert.ok(g.harness instanceof Error, "the harness refuses it too");
        assert.ok(g.harness.message.includes(line), g.harness.message);
    });

    it("a misspelt setting: the engine passes it on, and the pack reports it as a violation naming the key", async () => {
        const g = await gate("insecure", { "kubernetes-no-privileged-containers": { excludeNamespace: ["legacy"] } });
        projects.push(g.project);
        const priv = g.violations.filter((v) => v.policy === "kubernetes-no-privileged-containers");
        assert.ok(
            priv.some((v) => /excludeNamespace\b/.test(v.text)),
            `the misspelt key is named\n${g.cli.all}`,
        );
        agree(g);
    });

    it("a misspelt policy name: the engine ignores it silently; the harness (like stride-guard check) refuses it — a deliberate difference", async () => {
        const g = await gate("compliant", { "kubernetes-no-privileged-contaners": "advisory" });
        projects.push(g.project);
        assert.strictEqual(g.cli.code, 0, g.cli.all);
        assert.ok(g.harness instanceof Error, "the harness is stricter than the engine here");
        assert.match(g.harness.message, /kubernetes-no-privileged-contaners/);
    });

    it("remediate: the engine previews the inputs the pack rewrote", async () => {
        const config = { "kubernetes-no-privilege-escalation": "remediate", "kubernetes-no-privileged-containers": "remediate" };
        const g = await gate("insecure", config, ["--json"]);
        projects.push(g.project);
        const out = JSON.parse(g.cli.stdout) as { steps?: { urn: string; newState?: { inputs?: Record<string, unknown> } }[] };
        const pod = out.steps?.find((s) => s.urn.endsWith("::debug") && s.urn.includes("Pod"));
        assert.ok(pod, g.cli.all.slice(0, 4000));
        const sc = (pod.newState?.inputs?.spec as { containers: { securityContext: Record<string, unknown> }[] }).containers[0].securityContext;
        assert.strictEqual(sc.allowPrivilegeEscalation, false, JSON.stringify(sc));
        assert.strictEqual(sc.privileged, false, JSON.stringify(sc));
        // The harness remediates the same fields to the same values.
        const hp = harnessOf(g).resources.find((r) => r.name === "debug" && r.type === "kubernetes:core/v1:Pod")!;
        const hsc = (hp.props.spec as { containers: { securityContext: Record<string, unknown> }[] }).containers[0].securityContext;
        assert.strictEqual(hsc.allowPrivilegeEscalation, false);
        assert.strictEqual(hsc.privileged, false);
    });

    it("the plaintext-Secret control sees the Secret as the engine sends it (secrets unwrapped): no claim either way, no value printed", async () => {
        const g = await gate("secret", { all: "advisory" });
        projects.push(g.project);
        assert.strictEqual(g.cli.code, 0, g.cli.all);
        assert.ok(!g.violations.some((v) => v.policy === "kubernetes-secret-data-pulumi-secret"), g.cli.all);
        assert.ok(!g.cli.all.includes("plaintext-in-the-program"), "the Secret's value is never printed");
        agree(g);
    });

    it("an unknown value at preview: advisory by default (exit 0); unknownValues: fail makes it a mandatory violation (exit 255)", async () => {
        const base = { all: "advisory", "kubernetes-no-privileged-containers": "mandatory" };
        const soft = await gate("unknown", base);
        projects.push(soft.project);
        assert.strictEqual(soft.cli.code, 0, soft.cli.all);
        const note = soft.violations.find((v) => v.policy === "kubernetes-no-privileged-containers");
        assert.ok(note && note.level === "advisory", `an advisory note for the unknown field\n${soft.cli.all}`);
        agree(soft);

        const hard = await gate("unknown", { ...base, "kubernetes-no-privileged-containers": { enforcementLevel: "mandatory", unknownValues: "fail" } });
        projects.push(hard.project);
        assert.strictEqual(hard.cli.code, 255, hard.cli.all);
        const v = hard.violations.find((x) => x.policy === "kubernetes-no-privileged-containers");
        assert.ok(v && v.level === "mandatory", hard.cli.all);
        assert.match(v.text, /privileged/);
        agree(hard);
    });
});
