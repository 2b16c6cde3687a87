// Planted secrets (env values, Secret payloads, values on broken lines) never reach any output of `scan`.
import assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { scanCompose } from "stride-guard/lib/scan/index";
import { envEntryValues, looksLikeToken, redactAll, worthRedacting } from "stride-guard/lib/scan/secrets";
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

    it("redacts a value that a control shows when it is also a credential of the same resource; other env values are not secrets", async () => {
        const text = [
            "services:",
            "  svc:",
            "    image: i",
            "    cap_add: [PLANTEDCAPSECRET, NET_ADMIN]",
            "    environment: [API_TOKEN=PLANTEDCAPSECRET, CAPS=NET_ADMIN]",
            "",
        ].join("\n");
        const r = await scanCompose(["-"], { controls: CONTROLS, stdin: async () => text });
        const caps = r.findings.filter((f) => f.control === "docker-container-capabilities").map((f) => f.message);
        assert.ok(
            caps.some((m) => m.includes('adds "[redacted]"') && m.includes('"NET_ADMIN"')),
            caps.join("\n"),
        );
        assert.ok(r.findings.every((f) => !f.message.includes("PLANTEDCAPSECRET")));
    });

    it("never redacts words, names or paths that equal or contain a credential (shaped like awesome-compose and kubernetes/examples)", async () => {
        // Demo passwords equal to the service's name, to a word of the messages, to part of a build path.
        const d = tempDir("sg-words-");
        fs.mkdirSync(path.join(d, "react-rust-postgres", "backend"), { recursive: true });
        fs.writeFileSync(path.join(d, "react-rust-postgres", "backend", "Dockerfile"), "FROM rust:1.80\nRUN true\n");
        const compose = path.join(d, "react-rust-postgres", "compose.yaml");
        fs.writeFileSync(
            compose,
            [
                "services:",
                "  wordpress:",
                "    image: wordpress:latest",
                "    environment: { WORDPRESS_DB_PASSWORD: wordpress, MYSQL_ROOT_PASSWORD: root, DOCKER_TOKEN: docker }",
                "  backend:",
                "    build: backend",
                "    environment: [POSTGRES_PASSWORD=postgres]",
                "",
            ].join("\n"),
        );
        const r = await scanCompose([compose], { controls: CONTROLS });
        const all = r.findings.map((f) => f.message).join("\n");
        assert.ok(!all.includes("[redacted]"), all);
        assert.match(all, /Compose service "wordpress": read_only: is not set, so the root filesystem is writable/);
        assert.match(all, /so dockerd's default json-file driver applies/);
        assert.match(all, /react-rust-postgres\/backend\/Dockerfile sets no USER/);
        assert.match(all, /image "wordpress:latest"/);

        const manifest = path.join(d, "pod.yaml");
        fs.writeFileSync(
            manifest,
            [
                "apiVersion: v1",
                "kind: Pod",
                "metadata: { name: web-pod, namespace: shop }",
                "spec:",
                "  containers:",
                "    - name: web",
                "      image: nginx:1.27",
                "      env: [{ name: DB_PASSWORD, value: web }, { name: MODE, value: privileged }]",
                "      securityContext: { privileged: true }",
                "",
            ].join("\n"),
        );
        const k = await cli(["scan", "k8s", manifest, "--format", "json"]);
        assert.equal(k.code, 1, k.err);
        assert.ok(!k.out.includes("[redacted]"), k.out);
        assert.match(k.out, /Pod \\"shop\/web-pod\\" container \\"web\\"/);
    });

    it("leaves everyday values alone, and only credentials: by name, by format or as high-entropy tokens", () => {
        assert.ok(!worthRedacting("true") && !worthRedacting("8080") && !worthRedacting("no") && worthRedacting("hunter2"));
        assert.equal(redactAll('pw "abcdef" and "abc" (abcdef)', ["abc", "abcdef"]), 'pw "[redacted]" and "[redacted]" (abcdef)');
        assert.deepEqual(
            envEntryValues(["DB_PASSWORD=hunter2", "DATA_DIR=/data", "NODE_ENV=production", "KEY_ID=my-key-id", "AWS_KEY=AKIAIOSFODNN7EXAMPLE1"]),
            ["hunter2", "AKIAIOSFODNN7EXAMPLE1"],
        );
        assert.deepEqual(envEntryValues({ SESSION: "q7Rk2vX9pL4mN8wZ3bT6yH1j", VERSION: "1.2.3-alpine-20240101" }), ["q7Rk2vX9pL4mN8wZ3bT6yH1j"]);
        assert.ok(looksLikeToken("ghp_PlantedTokenValue0123456789abcdefABCD") && looksLikeToken("AKIAPLANTED0123456789"));
        assert.ok(!looksLikeToken("/var/lib/postgresql/data") && !looksLikeToken("production") && !looksLikeToken("registry.example.com/app"));
    });
});
