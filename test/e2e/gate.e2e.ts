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
    harness: PreviewResult;
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

async function gate(fixture: string, policyConfig?: unknown, extraFiles: Record<string, string> = {}): Promise<Gate> {
    const files: Record<string, string> = { ...extraFiles };
    for (const f of fs.readdirSync(path.join(FIXTURES, fixture))) files[f] = fs.readFileSync(path.join(FIXTURES, fixture, f), "utf8");
    const project = await newProject(`e2e-${fixture}`, files, { STRIDE_GUARD_REPO: REPO });
    const kubeconfig = unreachableKubeconfig(project.dir);
    const args = ["preview", "--policy-pack", PACK_DIR];
    if (policyConfig !== undefined) args.push("--policy-pack-config", project.write("policy.json", JSON.stringify(policyConfig)));
    const cli = await project.pulumi(args, { env: { KUBECONFIG: kubeconfig } });
    const saved = process.env.STRIDE_GUARD_REPO;
    process.env.STRIDE_GUARD_REPO = REPO;
    let harness: PreviewResult;
    try {
        harness = await previewWithPack({ packDir: PACK_DIR, program: project.dir, project: `e2e-${fixture}`, stack: "dev", policyConfig });
    } finally {
        if (saved === undefined) delete process.env.STRIDE_GUARD_REPO;
        else process.env.STRIDE_GUARD_REPO = saved;
    }
    return { project, cli, violations: parseViolations(cli.all), harness };
}

function agree(g: Gate): void {
    const cli = g.violations.map(keyOfCli).sort();
    const harness = g.harness.diagnostics.map(keyOfHarness).sort();
    assert.deepStrictEqual(cli, harness, `the engine and the harness report different violations\n--- CLI output ---\n${g.cli.all}`);
    // Each message the harness produced is printed by the CLI for that violation.
    for (const d of g.harness.diagnostics) {
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
        assert.strictEqual(g.harness.failed, false);
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
        assert.strictEqual(g.harness.failed, true);
    });
});
