import assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { DOCKER_CONTAINER_CONTROLS } from "stride-guard/lib/controls/docker/containers";
import { Report } from "stride-guard/lib/check/report";
import { scanCompose } from "stride-guard/lib/scan/index";
import { parseEnvFile } from "stride-guard/lib/scan/compose";
import { tempDir } from "./helpers";

/** Writes files (path → text) under a fresh directory; returns it. */
function project(files: Record<string, string>): string {
    const dir = tempDir("sg-compose-");
    for (const [p, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
        fs.writeFileSync(path.join(dir, p), text);
    }
    return dir;
}

const scan = (file: string): Promise<Report> => scanCompose([file], { controls: CONTROLS });
const on = (r: Report, service: string, control: string) =>
    r.findings.filter((f) => f.resource.name === service && f.control === control).map((f) => f.message);
const DIGEST = "@sha256:" + "a".repeat(64);

describe("scan compose: what a Compose file refers to", () => {
    describe("services built from a Dockerfile", () => {
        it("judges the built image: USER nonroot passes, the Dockerfile's FROM lines are pinned or not, and a build-only service names no missing image", async () => {
            const dir = project({
                "compose.yaml": "services:\n  api:\n    build:\n      context: ./api\n  web:\n    build: web\n    image: registry.example.com/web:1.0\n",
                "api/Dockerfile": `FROM golang:1.22${DIGEST} AS build\nRUN go build\nFROM gcr.io/distroless/static\nCOPY --from=build /app /app\nUSER nonroot\n`,
                "web/Dockerfile": `FROM nginx:1.27${DIGEST}\nUSER 101\n`,
            });
            const r = await scan(path.join(dir, "compose.yaml"));
            assert.deepEqual(r.errors, []);
            assert.deepEqual(on(r, "api", "docker-container-non-root-user"), []);
            assert.deepEqual(on(r, "web", "docker-container-non-root-user"), []);
            const pinned = r.findings.filter((f) => f.control === "docker-image-pinned").map((f) => f.message);
            assert.equal(pinned.length, 2, pinned.join("\n"));
            assert.match(pinned[0], /^Compose service "api" Dockerfile stage 1: .*api\/Dockerfile:3 FROM: base image "gcr\.io\/distroless\/static" has no tag/);
            assert.match(pinned[1], /^Compose service "web": image: image "registry\.example\.com\/web:1\.0" is referenced by tag/);
            assert.ok(r.findings.every((f) => !/names no image/.test(f.message)));
        });

        it("fails a root or inherited user at the Dockerfile's line, and an unreadable Dockerfile without quoting anything", async () => {
            const dir = project({
                "compose.yaml": [
                    "services:",
                    "  root:",
                    "    build: { context: a }",
                    "  inherited:",
                    "    build: { context: b, dockerfile: Dockerfile.dev, target: run }",
                    "  missing:",
                    "    build: nowhere",
                    "  remote:",
                    "    build: https://github.com/example/app.git#main",
                    "  inline:",
                    "    build:",
                    "      dockerfile_inline: |",
                    `        FROM alpine:3.20${DIGEST}`,
                    "        USER app",
                    "",
                ].join("\n"),
                "a/Dockerfile": `# hunter2hunter2 is a comment\nFROM alpine:3.20${DIGEST}\nUSER root\n`,
                "b/Dockerfile.dev": `FROM alpine:3.20${DIGEST} AS run\nRUN true\n`,
            });
            const r = await scan(path.join(dir, "compose.yaml"));
            assert.match(on(r, "root", "docker-container-non-root-user")[0], /is not set, and USER at .*a\/Dockerfile:3 is "root"/);
            assert.match(on(r, "inherited", "docker-container-non-root-user")[0], /Dockerfile\.dev sets no USER, so the base image .*'s user applies/);
            assert.match(on(r, "missing", "docker-container-non-root-user")[0], /cannot be read \(no such file\)/);
            assert.match(on(r, "remote", "docker-container-non-root-user")[0], /cannot be read \(the build context is remote\)/);
            assert.deepEqual(on(r, "inline", "docker-container-non-root-user"), []);
            // The build of a missing Dockerfile names no base image to pin, and no image either.
            assert.deepEqual(on(r, "missing", "docker-image-pinned"), []);
            assert.ok(!JSON.stringify(r).includes("hunter2hunter2"));
        });

        it("reads no Dockerfile outside the Compose file's directory or outside its context", async () => {
            const root = project({
                "outside/Dockerfile": "FROM scratch\nUSER app\n",
                "proj/compose.yaml":
                    "services:\n  up:\n    build: ../outside\n  abs:\n    build: { context: ., dockerfile: ../outside/Dockerfile }\n  root:\n    build: /etc\n",
                "proj/Dockerfile": "FROM scratch\nUSER app\n",
            });
            const r = await scan(path.join(root, "proj", "compose.yaml"));
            assert.match(on(r, "up", "docker-container-non-root-user")[0], /build context is outside the Compose file's directory/);
            assert.match(on(r, "abs", "docker-container-non-root-user")[0], /Dockerfile is outside the build context/);
            assert.match(on(r, "root", "docker-container-non-root-user")[0], /build context is outside the Compose file's directory/);
        });

        it("reads no Dockerfile for a Compose file read from stdin with a relative context", async () => {
            const r = await scanCompose(["-"], { controls: CONTROLS, stdin: async () => "services:\n  a:\n    build: ./app\n" });
            assert.match(on(r, "a", "docker-container-non-root-user")[0], /the file was read from stdin, so the scan does not read it/);
        });
    });

    describe("extends, include and env_file", () => {
        it("reports a privileged, host-network, docker.sock service reached through extends.file and include", async () => {
            const dir = project({
                "compose.yaml":
                    "include:\n  - path: extra/more.yaml\nservices:\n  app:\n    extends:\n      file: base/common.yaml\n      service: agent\n    image: agent:1\n",
                "base/common.yaml": `services:\n  agent:\n    image: agent:0${DIGEST}\n    privileged: true\n    network_mode: host\n    volumes: [/var/run/docker.sock:/var/run/docker.sock]\n`,
                "extra/more.yaml": `services:\n  sidecar:\n    image: side${DIGEST}\n    privileged: true\n`,
            });
            const r = await scan(path.join(dir, "compose.yaml"));
            assert.deepEqual(r.errors, []);
            assert.equal(on(r, "app", "docker-container-not-privileged").length, 1);
            assert.match(on(r, "app", "docker-container-host-namespaces")[0], /network_mode: shares the host's network namespace/);
            assert.match(on(r, "app", "docker-container-docker-socket")[0], /docker\.sock/);
            // The extending service's own keys win; what it does not say comes from the base.
            assert.match(on(r, "app", "docker-image-pinned")[0], /"agent:1"/);
            const sidecar = r.findings.filter((f) => f.resource.name === "sidecar");
            assert.ok(sidecar.some((f) => f.control === "docker-container-not-privileged"));
            assert.ok(sidecar.every((f) => f.resource.file?.endsWith(path.join("extra", "more.yaml")) && f.resource.line === 2));
        });

        it("detects cycles, bounds the depth, and names unreadable references by file and line without quoting them", async () => {
            const dir = project({
                "compose.yaml":
                    "include: [loop.yaml, secret-name-x1.yaml]\nservices:\n  a:\n    extends: b\n    image: a\n  b:\n    extends: a\n    image: b\n  c:\n    extends: { file: gone-x2.yaml, service: z }\n    image: c\n",
                "loop.yaml": "include: [compose.yaml]\nservices:\n  l:\n    image: l\n",
            });
            const r = await scan(path.join(dir, "compose.yaml"));
            const errors = r.errors.join("\n");
            assert.match(errors, /compose\.yaml:3: service "a" extends a service that extends it back \(a cycle\)/);
            assert.match(errors, /loop\.yaml:1: include\[0\] includes a file that includes it \(a cycle\)/);
            assert.match(errors, /compose\.yaml:1: include\[1\] cannot be read: no such file or directory/);
            assert.match(errors, /compose\.yaml:9: service "c" extends a file that cannot be read: no such file or directory/);
            assert.doesNotMatch(errors, /secret-name-x1|gone-x2/);
            assert.deepEqual(
                r.findings
                    .map((f) => f.resource.name)
                    .filter((n, i, a) => a.indexOf(n) === i)
                    .sort(),
                ["a", "b", "c", "l"],
            );

            // A file both named and included is read once.
            const twice = await scanCompose([path.join(dir, "compose.yaml"), path.relative(process.cwd(), path.join(dir, "loop.yaml"))], {
                controls: CONTROLS,
            });
            assert.equal(twice.resources, 4);

            const files: Record<string, string> = {};
            for (let i = 0; i < 12; i++) files[`f${i}.yaml`] = `include: [f${i + 1}.yaml]\nservices:\n  s${i}:\n    image: s\n`;
            const deep = await scan(path.join(project(files), "f0.yaml"));
            assert.match(deep.errors.join("\n"), /f8\.yaml:1: include\[0\] is more than 8 includes deep; it is not read/);
            assert.equal(deep.resources, 9);
        });

        it("inspects env_file contents with the env-secrets control, never printing a value", async () => {
            const dir = project({
                "compose.yaml":
                    "services:\n  db:\n    image: db\n    env_file:\n      - db.env\n      - path: optional.env\n        required: false\n  broken:\n    image: b\n    env_file: missing.env\n",
                "db.env": "# settings\nexport MYSQL_PASSWORD='s3cr3t-Value-42'\nMYSQL_USER=app\nAPI_KEY=AKIAABCDEFGHIJKLMNOP\n",
            });
            const r = await scan(path.join(dir, "compose.yaml"));
            assert.deepEqual(
                on(r, "db", "docker-container-env-secrets").map((m) => m.split(": ")[1]),
                ["env_file[0].MYSQL_PASSWORD", "env_file[0].API_KEY"],
            );
            assert.deepEqual(
                r.errors.map((e) => e.replace(dir, "DIR")),
                [`DIR${path.sep}compose.yaml:8: service "broken": env_file[0] cannot be read: no such file or directory`],
            );
            const all = JSON.stringify(r);
            assert.ok(!all.includes("s3cr3t-Value-42") && !all.includes("AKIAABCDEFGHIJKLMNOP"));
        });

        it("parses env files as Compose does", () => {
            assert.deepEqual(parseEnvFile('# c\n\nA=1\nexport B = two \nC="x # y"\nD=v # comment\nE\n'), [
                ["A", "1"],
                ["B", "two"],
                ["C", "x # y"],
                ["D", "v"],
                ["E", undefined],
            ]);
        });
    });

    describe("isolation switches and remediation syntax", () => {
        it("flags systempaths=unconfined, device_cgroup_rules and cgroup: host, each by its control", async () => {
            const dir = project({
                "compose.yaml":
                    'services:\n  s:\n    image: s\n    security_opt: ["systempaths=unconfined"]\n    device_cgroup_rules: ["c 1:3 mr", "a *:* rwm"]\n    cgroup: host\n',
            });
            const r = await scan(path.join(dir, "compose.yaml"));
            assert.match(on(r, "s", "docker-container-security-profiles")[0], /security_opt: switches the masked system paths protection off/);
            assert.match(on(r, "s", "docker-container-host-devices")[0], /device_cgroup_rules: grants access to host devices through 2 device cgroup rules/);
            assert.match(on(r, "s", "docker-container-host-namespaces")[0], /cgroup: shares the host's cgroup namespace/);
        });

        it("gives the fix of every container control in Compose syntax first", async () => {
            const r = await scanCompose([path.resolve(__dirname, "../../../test/fixtures/scan/compose/insecure-v2.yml")], { controls: CONTROLS });
            const ids = new Set(DOCKER_CONTAINER_CONTROLS.map((c) => c.id));
            const seen = new Set<string>();
            for (const f of r.findings) {
                if (!ids.has(f.control) && f.control !== "docker-image-pinned" && f.control !== "docker-logging-configured") continue;
                seen.add(f.control);
                assert.match(f.remediation[0], /^Compose: /, f.control);
            }
            assert.ok(seen.size >= ids.size, [...seen].join(", "));
        });
    });
});
