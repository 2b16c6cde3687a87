import assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { scanKubernetes } from "stride-guard/lib/scan/index";
import { isBuiltinGroup, readKubernetes, typeToken } from "stride-guard/lib/scan/kubernetes";
import { Report } from "stride-guard/lib/check/report";
import { byName, controlsOn, fixture, tempDir } from "./helpers";

const K8S = fixture("k8s");
const rel = (p: string) => path.relative(process.cwd(), p);

describe("scan k8s", function () {
    let report: Report;
    before(async () => {
        report = await scanKubernetes([K8S], { controls: CONTROLS });
    });

    it("says a Compose file is not manifests (an error, so exit 2) instead of passing it as nothing to check", () => {
        const read = readKubernetes([
            { name: "docker-compose.yml", text: "services:\n  web:\n    image: nginx\n    privileged: true\n" },
            { name: "other.yaml", text: "name: x\nservices: [a, b]\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n" },
        ]);
        assert.deepEqual(read.errors, ["docker-compose.yml:1: a Docker Compose file, not Kubernetes manifests: scan it with `stride-guard scan compose`"]);
        assert.equal(read.resources.length, 1, "the other file's object is still read");
        assert.equal(read.ignored.total, 1, "a document with a list of services is just not an object");
    });

    it("maps apiVersion and kind to the Pulumi type token", () => {
        assert.deepEqual(typeToken("apps/v1", "Deployment"), { type: "kubernetes:apps/v1:Deployment", group: "apps" });
        assert.deepEqual(typeToken("v1", "Pod"), { type: "kubernetes:core/v1:Pod", group: "core" });
        assert.deepEqual(typeToken("rbac.authorization.k8s.io/v1", "Role"), {
            type: "kubernetes:rbac.authorization.k8s.io/v1:Role",
            group: "rbac.authorization.k8s.io",
        });
        assert.equal(typeToken("not a version", "Pod"), undefined);
        assert.equal(typeToken("v1", "Po d"), undefined);
        assert.ok(
            isBuiltinGroup("networking.k8s.io") && isBuiltinGroup("core") && !isBuiltinGroup("apiextensions.k8s.io") && !isBuiltinGroup("cert-manager.io"),
        );
    });

    it("reads every object of a directory tree (YAML and JSON) with its file and the line it starts on", () => {
        const located = report.findings.map((f) => `${path.basename(f.resource.file ?? "")}:${f.resource.line} ${f.resource.type} ${f.resource.name}`);
        const expect = [
            "workloads.yaml:42 kubernetes:core/v1:Pod debug",
            "helm-rendered.yaml:11 kubernetes:apps/v1:Deployment release-shop-web",
            "helm-rendered.yaml:35 kubernetes:core/v1:Pod release-shop-test-connection",
            "list.json:11 kubernetes:apps/v1:DaemonSet node-agent",
            "kube-apiserver.yaml:2 kubernetes:core/v1:Pod kube-apiserver",
            "broken.yaml:17 kubernetes:core/v1:Pod after-the-break",
        ];
        for (const e of expect) assert.ok(located.includes(e), `${e} not among\n${[...new Set(located)].join("\n")}`);
        // api (workloads.yaml:5), migrate, release-shop (ServiceAccount), settings (ConfigMap) and before-the-break are read too
        assert.equal(report.resources, 11);
        assert.match(report.target, /^kubernetes manifests \(6 files, 11 objects; ignored 2: CustomResourceDefinition 1, cert-manager\.io Certificate 1\)$/);
        assert.ok(report.findings.every((f) => f.resource.file?.startsWith(rel(K8S)) || f.resource.file?.startsWith(K8S)));
    });

    it("resolves anchors, aliases and merge keys within a document: the hardened workloads have no findings", () => {
        assert.deepEqual(controlsOn(report, byName("api")), []);
        assert.deepEqual(controlsOn(report, byName("migrate")), []);
    });

    it("checks the insecure objects with the controls that apply to them", () => {
        const debug = controlsOn(report, byName("debug"));
        for (const id of [
            "kubernetes-no-privileged-containers",
            "kubernetes-no-host-namespaces",
            "kubernetes-run-as-non-root",
            "kubernetes-container-resources",
        ])
            assert.ok(debug.includes(id), `${id} missing: ${debug}`);
        const agent = controlsOn(report, byName("node-agent"));
        for (const id of ["kubernetes-no-hostpath-volumes", "kubernetes-no-host-namespaces"]) assert.ok(agent.includes(id), `${id} missing: ${agent}`);
        assert.ok(controlsOn(report, byName("release-shop-web")).includes("kubernetes-no-host-ports"));
        assert.ok(controlsOn(report, byName("release-shop-web")).includes("kubernetes-image-pinned"));
    });

    it("checks a control-plane static Pod as a Pod, including the control-plane controls", () => {
        const apiserver = controlsOn(report, byName("kube-apiserver"));
        assert.ok(apiserver.includes("kubernetes-apiserver-authentication"), apiserver.join(" "));
        assert.ok(apiserver.includes("kubernetes-no-hostpath-volumes"));
        const auth = report.findings
            .filter((f) => f.control === "kubernetes-apiserver-authentication")
            .map((f) => f.message)
            .join("\n");
        assert.match(auth, /anonymous-auth/);
        assert.match(auth, /AlwaysAllow/);
    });

    it("ignores CRDs and custom resources, even one holding a privileged pod-like spec", () => {
        assert.ok(!report.findings.some((f) => f.resource.file?.endsWith("crds.yaml")));
        assert.ok(!report.findings.some((f) => f.resource.name === "web-tls" || f.resource.name === "certificates.cert-manager.io"));
    });

    it("reports broken documents by file, line and column, and still checks the documents around them", () => {
        assert.equal(report.errors.length, 2, report.errors.join("\n"));
        assert.match(report.errors[0], /broken\.yaml:8:\d+: invalid YAML: .+ \(the document starting at line 6 is skipped\)$/);
        assert.match(report.errors[1], /broken\.yaml:12: cannot read the document: an alias names no anchor defined before it/);
        assert.ok(controlsOn(report, byName("after-the-break")).includes("kubernetes-no-privileged-containers"));
        assert.ok(!report.errors.join("\n").includes("hunter2"), "an error quotes the input");
    });

    it("reads Helm output: `# Source:` comments, documents starting with ---, the lines of each object", () => {
        const read = readKubernetes([{ name: "helm.yaml", text: fs.readFileSync(fixture("k8s", "helm-rendered.yaml"), "utf8") }]);
        assert.deepEqual(
            read.resources.map((r) => [r.line, r.type, r.name]),
            [
                [3, "kubernetes:core/v1:ServiceAccount", "release-shop"],
                [11, "kubernetes:apps/v1:Deployment", "release-shop-web"],
                [35, "kubernetes:core/v1:Pod", "release-shop-test-connection"],
            ],
        );
        assert.match(read.resources[1].urn, /::shop\/templates\/deployment\.yaml$/);
    });

    it("gives List items their own lines, and nested Lists too", () => {
        const text = [
            "kind: List",
            "apiVersion: v1",
            "items:",
            "  - kind: List",
            "    apiVersion: v1",
            "    items:",
            "      - { apiVersion: v1, kind: Pod, metadata: { name: a } }",
            "  - apiVersion: v1",
            "    kind: Pod",
            "    metadata: { name: b }",
            "",
        ].join("\n");
        const read = readKubernetes([{ name: "l.yaml", text }]);
        assert.deepEqual(
            read.resources.map((r) => [r.name, r.line]),
            [
                ["a", 7],
                ["b", 8],
            ],
        );
    });

    it("counts documents that are not Kubernetes objects instead of failing on them; empty documents are skipped", () => {
        const read = readKubernetes([{ name: "x.yaml", text: "---\n---\nfoo: bar\n---\n[1, 2]\n---\n# only a comment\n---\nplain scalar\n" }]);
        assert.equal(read.resources.length, 0);
        assert.equal(read.errors.length, 0);
        assert.deepEqual(read.ignored.entries(), [["not a Kubernetes object", 3]]);
    });

    it("ignores component configuration files (kubelet, kubeadm, encryption, audit) instead of claiming to check them", () => {
        const text = [
            "apiVersion: kubelet.config.k8s.io/v1beta1",
            "kind: KubeletConfiguration",
            "---",
            "apiVersion: kubeadm.k8s.io/v1beta3",
            "kind: ClusterConfiguration",
            "---",
            "apiVersion: apiserver.config.k8s.io/v1",
            "kind: EncryptionConfiguration",
            "---",
            "apiVersion: audit.k8s.io/v1",
            "kind: Policy",
            "",
        ].join("\n");
        const read = readKubernetes([{ name: "c.yaml", text }]);
        assert.equal(read.resources.length, 0);
        assert.deepEqual(
            read.ignored.entries().map(([k]) => k),
            [
                "KubeletConfiguration (component configuration)",
                "ClusterConfiguration (component configuration)",
                "EncryptionConfiguration (component configuration)",
                "Policy (component configuration)",
            ],
        );
    });

    it("reads YAML 1.1 booleans as Kubernetes does (privileged: yes)", () => {
        const read = readKubernetes([
            {
                name: "y.yaml",
                text: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: i, securityContext: {privileged: yes}}]\n",
            },
        ]);
        assert.equal((read.resources[0].props as any).spec.containers[0].securityContext.privileged, true);
    });

    it("refuses alias bombs with a clear error", () => {
        const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
        for (let i = 0; i < 8; i++)
            lines.push(
                `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
                    .fill(`*${String.fromCharCode(97 + i)}`)
                    .join(", ")}]`,
            );
        const read = readKubernetes([
            { name: "bomb.yaml", text: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n" + lines.map((l) => "  " + l).join("\n") + "\n" },
        ]);
        assert.equal(read.resources.length, 0);
        assert.match(read.errors[0], /^bomb\.yaml:1: cannot read the document: .*alias/i);
    });

    it("survives hostile input: deep nesting, binary data", () => {
        const deep = readKubernetes([
            { name: "deep.yaml", text: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\ndata: " + "[".repeat(20000) + "]".repeat(20000) + "\n" },
        ]);
        assert.equal(deep.resources.length, 0);
        assert.match(deep.errors[0], /^deep\.yaml:4:\d+: invalid YAML: the document is nested too deeply/);
        const bytes = Buffer.alloc(4096);
        for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 251;
        const binary = readKubernetes([{ name: "bin.yaml", text: bytes.toString("latin1") }]);
        assert.equal(binary.resources.length, 0);
        assert.ok(binary.errors.length + binary.ignored.total > 0);
    });

    it("reads stdin (`-`), and names unreadable paths while scanning the rest", async () => {
        const stdin =
            "apiVersion: v1\nkind: Pod\nmetadata: { name: from-stdin }\nspec: { containers: [{ name: c, image: i, securityContext: { privileged: true } }] }\n";
        const r = await scanKubernetes(["-", "/nonexistent/manifests.yaml", fixture("k8s", "nested", "list.json")], {
            controls: CONTROLS,
            stdin: async () => stdin,
        });
        assert.deepEqual(r.errors, ["/nonexistent/manifests.yaml: cannot read: no such file or directory"]);
        const f = r.findings.find((x) => x.resource.name === "from-stdin" && x.control === "kubernetes-no-privileged-containers");
        assert.ok(f);
        assert.equal(f.resource.file, "(stdin)");
        assert.equal(f.resource.line, 1);
        assert.ok(r.findings.some((x) => x.resource.name === "node-agent"));
    });

    it("says how many dot-directories and node_modules a directory walk skipped", async () => {
        const dir = tempDir();
        for (const d of [".git", ".github/workflows", "node_modules/x", "manifests"]) fs.mkdirSync(path.join(dir, d), { recursive: true });
        const pod = "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: c, image: i }] }\n";
        for (const f of [".github/workflows/ci.yaml", "node_modules/x/pod.yaml", "manifests/pod.yaml"]) fs.writeFileSync(path.join(dir, f), pod);
        const r = await scanKubernetes([dir], { controls: CONTROLS });
        assert.equal(r.target, "kubernetes manifests (1 file, 1 object; skipped 3 directories (dot-directories, node_modules))");
        const plain = await scanKubernetes([path.join(dir, "manifests")], { controls: CONTROLS });
        assert.equal(plain.target, "kubernetes manifests (1 file, 1 object)");
    });

    it("names a directory without manifests, and an unreadable file", async () => {
        const dir = tempDir();
        fs.writeFileSync(path.join(dir, "readme.md"), "# nothing here\n");
        const unreadable = path.join(dir, "secret.yaml");
        fs.writeFileSync(unreadable, "apiVersion: v1\n");
        fs.chmodSync(unreadable, 0o000);
        const r = await scanKubernetes([path.join(dir, "sub-that-is-missing"), dir], { controls: CONTROLS });
        assert.equal(r.errors[0], `${path.join(dir, "sub-that-is-missing")}: cannot read: no such file or directory`);
        if (process.getuid?.() !== 0) assert.equal(r.errors[1], `${unreadable}: cannot read: permission denied`);
        fs.chmodSync(unreadable, 0o600);
        fs.rmSync(unreadable);
        const empty = await scanKubernetes([dir], { controls: CONTROLS });
        assert.deepEqual(empty.errors, [`${dir}: no *.yaml, *.yml, *.json files in this directory`]);
    });
});
