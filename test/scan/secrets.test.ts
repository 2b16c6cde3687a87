// Planted secrets (env values, Secret payloads, values on broken lines) never reach any output of `scan`.
import assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { scanCompose } from "stride-guard/lib/scan/index";
import { redactAll, worthRedacting } from "stride-guard/lib/scan/secrets";
import { cli, fixture, tempDir } from "./helpers";

const K8S_SECRETS = [
    "planted-k8s-env-Zq81xR",
    "planted-k8s-stringdata-Wd02",
    "planted-k8s-data-decoded-Pn77",
    "planted-broken-line-Hy55",
    "planted-init-env-Ts40",
];
const COMPOSE_SECRETS = ["s3cr3t-planted-compose-list", "s3cr3t-planted-compose-map", "ghp_PlantedTokenValue0123456789abcdefABCD"];
const INSPECT_SECRETS = ["planted-inspect-env-Kc31", "AKIAPLANTED0123456789"];

function k8sFile(dir: string): string {
    const f = path.join(dir, "secrets.yaml");
    fs.writeFileSync(
        f,
        [
            "apiVersion: apps/v1",
            "kind: Deployment",
            "metadata: { name: leaky, namespace: shop }",
            "spec:",
            "  template:",
            "    spec:",
            "      initContainers:",
            `        - { name: init, image: i, env: [{ name: INIT_TOKEN, value: "${K8S_SECRETS[4]}" }] }`,
            "      containers:",
            "        - name: app",
            "          image: app:latest",
            "          securityContext: { privileged: true }",
            "          env:",
            `            - { name: DB_PASSWORD, value: "${K8S_SECRETS[0]}" }`,
            "---",
            "apiVersion: v1",
            "kind: Secret",
            "metadata: { name: creds, namespace: shop }",
            `stringData: { password: "${K8S_SECRETS[1]}" }`,
            `data: { token: "${Buffer.from(K8S_SECRETS[2]).toString("base64")}" }`,
            "---",
            "apiVersion: v1",
            "kind: Pod",
            `metadata: { name: broken, annotations: { pw: "${K8S_SECRETS[3]}" }`,
            "spec: [",
            "",
        ].join("\n"),
    );
    return f;
}

function inspectFile(dir: string): string {
    const c = JSON.parse(fs.readFileSync(fixture("inspect", "insecure.inspect.json"), "utf8"))[0];
    c.Config.Env = ["PATH=/usr/bin", `DB_PASSWORD=${INSPECT_SECRETS[0]}`, `AWS_ACCESS_KEY_ID=${INSPECT_SECRETS[1]}`];
    const f = path.join(dir, "leaky.inspect.json");
    fs.writeFileSync(f, JSON.stringify([c], null, 2));
    return f;
}

describe("scan: secrets never appear in output", function () {
    this.timeout(60_000);
    const dir = tempDir("sg-secrets-");

    for (const format of ["text", "json", "sarif"]) {
        it(`in ${format} output of k8s, compose and docker inspect scans, findings and errors alike`, async () => {
            const runs = [
                // The manifest holds a broken document too (its error must not leak either): exit 2, the rest still reported.
                { args: ["scan", "k8s", k8sFile(dir), "--format", format], secrets: K8S_SECRETS, finds: /leaky/, code: 2 },
                {
                    args: ["scan", "compose", fixture("compose", "insecure-v2.yml"), "--format", format],
                    secrets: COMPOSE_SECRETS,
                    finds: /REDIS_PASSWORD/,
                    code: 1,
                },
                {
                    args: ["scan", "docker", "--inspect", inspectFile(dir), "--format", format],
                    secrets: INSPECT_SECRETS,
                    finds: /AWS_ACCESS_KEY_ID|DB_PASSWORD/,
                    code: 1,
                },
            ];
            for (const run of runs) {
                const r = await cli(run.args);
                assert.equal(r.code, run.code, r.err);
                assert.match(r.out, run.finds, "the leaky resources are reported");
                for (const s of run.secrets) {
                    assert.ok(!r.out.includes(s), `${s} in ${format} output of ${run.args[1]}`);
                    assert.ok(!r.err.includes(s), `${s} in stderr of ${run.args[1]}`);
                }
            }
        });
    }

    it("redacts a value that a control shows when it is also an env value of the same resource", async () => {
        const text = "services:\n  svc:\n    image: i\n    cap_add: [PLANTEDCAPSECRET]\n    environment: [X=PLANTEDCAPSECRET]\n";
        const r = await scanCompose(["-"], { controls: CONTROLS, stdin: async () => text });
        const caps = r.findings.filter((f) => f.control === "docker-container-capabilities").map((f) => f.message);
        assert.ok(
            caps.some((m) => m.includes('adds "[redacted]"')),
            caps.join("\n"),
        );
        assert.ok(r.findings.every((f) => !f.message.includes("PLANTEDCAPSECRET")));
    });

    it("leaves everyday values alone, and redacts longest first", () => {
        assert.ok(!worthRedacting("true") && !worthRedacting("8080") && !worthRedacting("no") && worthRedacting("hunter2"));
        assert.equal(redactAll("pw abcdef and abc", ["abc", "abcdef"]), "pw [redacted] and [redacted]");
    });
});
