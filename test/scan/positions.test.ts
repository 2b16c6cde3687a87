import assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { Report, ReportFinding } from "stride-guard/lib/check/report";
import { scanCompose, scanDocker, scanKubernetes } from "stride-guard/lib/scan/index";
import { DocumentPositions, pathKeys } from "stride-guard/lib/scan/positions";
import { parseYamlFile } from "stride-guard/lib/scan/yaml";
import { validate } from "./json-schema";
import { cli, fixture, tempDir } from "./helpers";

const SCHEMA = JSON.parse(fs.readFileSync(fixture("sarif-schema-2.1.0.json"), "utf8"));

/** Writes files (path → lines) under a fresh directory; returns it. */
function project(files: Record<string, readonly string[]>): string {
    const dir = tempDir("sg-positions-");
    for (const [p, lines] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
        fs.writeFileSync(path.join(dir, p), lines.join("\n") + "\n");
    }
    return dir;
}

// Line numbers are the array index + 1; the comments say where the fields under test are.
const MULTI = [
    "apiVersion: v1", // 1
    "kind: Pod",
    "metadata:",
    "  name: first",
    "spec:", // 5
    "  containers:",
    "    - name: one", // 7: the container's mapping starts at column 7
    "      image: registry.example.com/one:1.0",
    "---",
    "# the second document", // 10
    "apiVersion: apps/v1", // 11
    "kind: Deployment",
    "metadata:",
    "  name: second",
    "spec:", // 15
    "  template:",
    "    spec:",
    "      initContainers:",
    "        - name: setup",
    "          image: registry.example.com/setup:1.0", // 20
    "          securityContext:",
    "            privileged: true", // 22: column 13
    "      containers:",
    "        - name: app", // 24: column 11
    "          image: registry.example.com/app:1.0", // 25
    "          ports:",
    "            - containerPort: 80",
    "              hostPort: 8080", // 28: column 15
];

const LIST = [
    "apiVersion: v1",
    "kind: List",
    "items:",
    "  - apiVersion: v1", // 4
    "    kind: Pod", // 5
    "    metadata:",
    "      name: listed",
    "    spec:",
    "      hostNetwork: true", // 9: column 7
    "      containers:", // 10
    "        - name: c",
    "          image: registry.example.com/c:1.0",
];

const COMPOSE = [
    "include:",
    "  - extra/more.yaml",
    "services:",
    "  web:", // 4: column 3
    "    image: registry.example.com/web:1.0", // 5
    "    privileged: true", // 6: column 5
];

const INCLUDED = [
    "services:",
    "  sidecar:", // 2: column 3
    "    image: registry.example.com/side:1.0",
    "    network_mode: host", // 4: column 5
];

const one = (r: Report, control: string, pred: (f: ReportFinding) => boolean = () => true): ReportFinding => {
    const found = r.findings.filter((f) => f.control === control && pred(f));
    assert.equal(found.length, 1, `${control}: ${found.map((f) => f.message).join("\n") || "no finding"}`);
    return found[0];
};
const at = (f: ReportFinding) => `${path.basename(f.resource.file ?? "")}:${f.line}:${f.column}`;

describe("scan: findings point at the field, not at the document", () => {
    let dir: string;
    let k8s: Report;
    let compose: Report;
    before(async () => {
        dir = project({ "k8s/multi.yaml": MULTI, "k8s/list.yaml": LIST, "compose.yaml": COMPOSE, "extra/more.yaml": INCLUDED });
        k8s = await scanKubernetes([path.join(dir, "k8s")], { controls: CONTROLS });
        compose = await scanCompose([path.join(dir, "compose.yaml")], { controls: CONTROLS });
        assert.deepEqual([k8s.errors, compose.errors], [[], []]);
    });

    describe("Kubernetes manifests", () => {
        it("a field in the second document of a file: its key's line and column; the resource keeps its own line", () => {
            const f = one(k8s, "kubernetes-no-host-ports");
            assert.equal(at(f), "multi.yaml:28:15");
            assert.equal(f.resource.line, 11);
        });

        it("a field of an init container", () => {
            const f = one(k8s, "kubernetes-no-privileged-containers");
            assert.match(f.message, /initContainers\[0\]\.securityContext\.privileged/);
            assert.equal(at(f), "multi.yaml:22:13");
        });

        it("an absent field: its nearest written ancestor (the container's mapping), in the first and the second document", () => {
            const ro = (name: string) => one(k8s, "kubernetes-read-only-root-filesystem", (f) => f.message.includes(`ontainer "${name}"`));
            assert.match(ro("one").message, /containers\[0\]\.securityContext\.readOnlyRootFilesystem: is unset/);
            assert.equal(at(ro("one")), "multi.yaml:7:7");
            assert.equal(at(ro("app")), "multi.yaml:24:11");
            // securityContext is written for the init container: the absent field is placed at it
            assert.equal(at(ro("setup")), "multi.yaml:21:11");
        });

        it("a field inside a List item", () => {
            const f = one(k8s, "kubernetes-no-host-namespaces", (x) => x.resource.name === "listed");
            assert.equal(at(f), "list.yaml:9:7");
            assert.equal(f.resource.line, 4);
        });

        it("every finding on a parsed file has a line and a column", () => {
            assert.ok(k8s.findings.length > 10);
            for (const f of k8s.findings) assert.ok(f.line !== undefined && f.column !== undefined && f.line >= 1 && f.column >= 1, f.message);
        });
    });

    describe("Compose files", () => {
        it("a service's field, and a field of a service from an included file, in that file", () => {
            const priv = one(compose, "docker-container-not-privileged");
            assert.equal(priv.resource.name, "web");
            assert.equal(at(priv), "compose.yaml:6:5");
            const host = one(compose, "docker-container-host-namespaces", (f) => f.resource.name === "sidecar");
            assert.ok(host.resource.file?.endsWith(path.join("extra", "more.yaml")));
            assert.equal(at(host), "more.yaml:4:5");
        });

        it("an absent setting: the service's key", () => {
            const mem = (name: string) => one(compose, "docker-container-memory-limit", (f) => f.resource.name === name);
            assert.equal(at(mem("web")), "compose.yaml:4:3");
            assert.equal(at(mem("sidecar")), "more.yaml:2:3");
        });
    });

    describe("saved docker inspect output", () => {
        it("a container's field in the JSON array, by its key", async () => {
            const file = fixture("inspect", "privileged.inspect.json");
            const r = await scanDocker({ inspectFiles: [file] }, { controls: CONTROLS });
            const text = fs.readFileSync(file, "utf8").split("\n");
            const lineOf = (key: string) => text.findIndex((l) => l.trimStart().startsWith(`"${key}":`)) + 1;
            const priv = one(r, "docker-container-not-privileged");
            assert.deepEqual([priv.line, priv.column], [lineOf("Privileged"), text[lineOf("Privileged") - 1].indexOf('"') + 1]);
            assert.equal(one(r, "docker-container-memory-limit").line, lineOf("Memory"));
        });
    });

    describe("in every output format", () => {
        const file = () => path.join(dir, "k8s", "multi.yaml");

        it("text: file:line:column", async () => {
            const r = await cli(["scan", "k8s", file()]);
            assert.equal(r.code, 1, r.err);
            const lines = r.out.split("\n");
            const i = lines.findIndex((l) => l.includes("kubernetes-no-host-ports"));
            assert.equal(lines[i + 1].trim(), `${file()}:28:15`);
        });

        it("JSON: line and column beside the resource, which keeps the line it starts at", async () => {
            const r = await cli(["scan", "k8s", file(), "--format", "json"]);
            const f = JSON.parse(r.out).reports[0].findings.find((x: ReportFinding) => x.control === "kubernetes-no-host-ports");
            assert.deepEqual([f.line, f.column, f.resource.line, f.resource.file], [28, 15, 11, file()]);
            assert.deepEqual(Object.keys(f), [
                "control",
                "title",
                "stride",
                "severity",
                "level",
                "benchmarks",
                "resource",
                "line",
                "column",
                "message",
                "remediation",
                "path",
            ]);
        });

        it("SARIF: region.startLine and startColumn, valid against the SARIF 2.1.0 schema", async () => {
            const r = await cli(["scan", "k8s", file(), "--format", "sarif"]);
            const log = JSON.parse(r.out);
            assert.deepEqual(validate(SCHEMA, log), []);
            const result = log.runs[0].results.find((x: { ruleId: string }) => x.ruleId === "kubernetes-no-host-ports");
            assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 28, startColumn: 15 });
            const compose = await cli(["scan", "compose", path.join(dir, "compose.yaml"), "--format", "sarif"]);
            const clog = JSON.parse(compose.out);
            assert.deepEqual(validate(SCHEMA, clog), []);
            const side = clog.runs[0].results.find(
                (x: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
                    x.ruleId === "docker-container-host-namespaces" && x.locations[0].physicalLocation.artifactLocation.uri.endsWith("extra/more.yaml"),
            );
            assert.deepEqual(side.locations[0].physicalLocation.region, { startLine: 4, startColumn: 5 });
        });
    });
});

describe("scan/positions", () => {
    it("reads the leading segments of a source path and stops where the path ends", () => {
        assert.deepEqual(pathKeys("spec.template.spec.containers[1].resources.limits.memory"), [
            "spec",
            "template",
            "spec",
            "containers",
            1,
            "resources",
            "limits",
            "memory",
        ]);
        assert.deepEqual(pathKeys('metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]'), [
            "metadata",
            "annotations",
            "container.apparmor.security.beta.kubernetes.io/app",
        ]);
        assert.deepEqual(pathKeys("deploy.resources.limits.memory (or mem_limit)"), ["deploy", "resources", "limits", "memory"]);
        assert.deepEqual(pathKeys("/etc/docker/daemon.json:3"), ["/etc/docker/daemon", "json"]);
        assert.deepEqual(pathKeys("[0].x"), [0, "x"]);
        assert.deepEqual(pathKeys("a[b]"), ["a"]);
        assert.deepEqual(pathKeys(""), []);
    });

    const positions = (lines: readonly string[]) => {
        const parsed = parseYamlFile("t.yaml", lines.join("\n") + "\n", { version: "1.2" });
        assert.deepEqual(parsed.errors, []);
        const doc = parsed.documents[0];
        return { p: new DocumentPositions(doc.node, parsed.lines), node: doc.node };
    };

    it("follows aliases and merge keys to where the value is written; a service's own key wins over a merged one", () => {
        const { p, node } = positions([
            "x-defaults: &defaults", // 1
            "  restart: always", // 2
            "  logging:",
            "    driver: none", // 4
            "services:", // 5
            "  a:",
            "    <<: *defaults",
            "    restart: 'no'", // 8
            "  b:",
            "    logging: *defaults", // 10
        ]);
        const start = { line: 99, column: 1 };
        const s = (path: string) => {
            const at = p.find(node, path, start);
            return `${at.line}:${at.column}`;
        };
        assert.equal(s("services.a.logging.driver"), "4:5");
        assert.equal(s("services.a.restart"), "8:5");
        assert.equal(s("services.b.logging.restart"), "2:3");
        assert.equal(s("services.a.missing.deeper"), "6:3");
        assert.equal(s("nothing"), "99:1");
        assert.equal(s("services.a[0]"), "6:3", "an index into a mapping stops at the mapping");
    });

    it("places JSON fields too", () => {
        const { p, node } = positions(["{", '  "spec": {', '    "containers": [ { "name": "x" } ]', "  }", "}"]);
        assert.deepEqual(p.find(node, "spec.containers[0].name", { line: 1, column: 1 }), { line: 3, column: 23 });
    });
});
