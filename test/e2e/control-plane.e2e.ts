/**
 * The kubernetes-cluster stack's control plane, for real: etcd and kube-apiserver with exactly the flags,
 * certificates layout, EncryptionConfiguration, audit Policy and AdmissionConfiguration the stack renders
 * (test/e2e/control-plane.ts), then `pulumi up` of the stack's Kubernetes layer through the real provider, with the
 * pack. What the stack claims as text is checked on the running system: Secrets are ciphertext in etcd, anonymous
 * and token-less requests are refused, the audit log records a Secret's creation at the policy's level, Pod
 * Security admission rejects what the pack rejects.
 */
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { HARDENED_CONTROL_PLANE } from "../../stacks/render/kubeadm";
import { HARDENED_AUDIT_POLICY } from "../../stacks/render/audit-policy";
import { ControlPlane, startControlPlane } from "./control-plane";
import { newProject, PACK_DIR, parseViolations, Project, REPO, requireToolchain, underCi } from "./support";

const FIXTURES = path.join(REPO, "test", "fixtures", "e2e");
const files = (fixture: string): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const f of fs.readdirSync(path.join(FIXTURES, fixture))) out[f] = fs.readFileSync(path.join(FIXTURES, fixture, f), "utf8");
    return out;
};

/** Pack control → the Pod Security Standards check that admission names for the same field. */
const PSS_OF: Record<string, RegExp> = {
    "kubernetes-no-privileged-containers": /privileged \(/,
    "kubernetes-no-host-namespaces": /host namespaces \(/,
    "kubernetes-no-hostpath-volumes": /(hostPath volumes|restricted volume types) \(/,
    "kubernetes-no-privilege-escalation": /allowPrivilegeEscalation != false \(/,
    "kubernetes-run-as-non-root": /(runAsNonRoot != true|runAsUser=0) \(/,
    "kubernetes-container-capabilities": /unrestricted capabilities \(/,
    "kubernetes-seccomp-profile": /seccompProfile \(/,
};

describe("e2e control plane: the kubernetes-cluster stack on a real etcd and kube-apiserver", function () {
    this.timeout(1_200_000);
    let cp: ControlPlane;
    let project: Project;
    let up: Awaited<ReturnType<Project["pulumi"]>>;
    const token = `tok-${crypto.randomBytes(12).toString("hex")}`;

    before(async function () {
        requireToolchain(this, ["pulumi", "pulumi-language-nodejs", "pulumi-resource-kubernetes", "kube-apiserver"]);
        if (process.getuid?.() !== 0) {
            if (underCi()) throw new Error("e2e control plane needs root (network namespaces); CI is set, so this fails");
            this.skip();
        }
        cp = await startControlPlane({ security: HARDENED_CONTROL_PLANE });
        const wrap = ["nsenter", `--net=${cp.netns}`, "--"];
        project = await newProject("e2e-cluster", files("cluster-layer"), { STRIDE_GUARD_REPO: REPO, KUBECONFIG: cp.adminKubeconfig }, wrap);
        const set = await project.pulumi(["config", "set", "--secret", "apiToken", token]);
        assert.strictEqual(set.code, 0, set.all);
        up = await project.pulumi(["up", "--yes", "--skip-preview", "--policy-pack", PACK_DIR], { timeoutMs: 600_000 });
    });
    after(async () => {
        if (process.env.STRIDE_GUARD_E2E_KEEP) return;
        project?.remove();
        await cp?.stop();
    });

    it("pulumi up applies the stack's Kubernetes layer through the real provider, the pack passing it", async () => {
        assert.strictEqual(up.code, 0, up.all);
        assert.deepStrictEqual(parseViolations(up.all), [], up.all);
        const ns = await cp.api("GET", "/api/v1/namespaces/shop");
        assert.strictEqual(ns.status, 200, ns.body);
        const labels = (JSON.parse(ns.body) as { metadata: { labels: Record<string, string> } }).metadata.labels;
        assert.strictEqual(labels["pod-security.kubernetes.io/enforce"], "restricted");
        for (const p of [
            "/apis/apps/v1/namespaces/shop/deployments/web",
            "/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies/default-deny",
            "/api/v1/namespaces/shop/resourcequotas/quota",
            "/api/v1/namespaces/shop/limitranges/limits",
        ]) {
            const r = await cp.api("GET", p);
            assert.strictEqual(r.status, 200, `${p}: ${r.body.slice(0, 300)}`);
        }
    });

    it("a Secret's value is ciphertext in etcd (k8s:enc:secretbox:v1:key1:), never the value", async () => {
        const r = await cp.etcdctl(["get", "/registry/secrets/shop/api-token", "--print-value-only"]);
        assert.strictEqual(r.code, 0, r.stderr);
        assert.ok(
            r.stdout.startsWith("k8s:enc:secretbox:v1:key1:"),
            `not encrypted by the rendered EncryptionConfiguration: ${JSON.stringify(r.stdout.slice(0, 40))}`,
        );
        assert.ok(!r.stdout.includes(token), "the value is in etcd in plaintext");
        // The API server still reads it back: the key in the rendered file is the one that encrypted it.
        const s = await cp.api("GET", "/api/v1/namespaces/shop/secrets/api-token");
        assert.strictEqual(s.status, 200);
        assert.strictEqual(Buffer.from((JSON.parse(s.body) as { data: { token: string } }).data.token, "base64").toString(), token);
        // A ConfigMap is not in the encrypted resources: stored as plain protobuf (the prefix proves the check can tell).
        const cm = await cp.etcdctl(["get", "/registry/configmaps/shop/web-config", "--print-value-only"]);
        assert.ok(cm.stdout.startsWith("k8s\0"), "ConfigMaps are stored unencrypted (not in the EncryptionConfiguration)");
    });

    it("anonymous, token-less and bad-token requests are refused (401)", async () => {
        for (const as of ["anonymous", { token: "not-a-token" }] as const) {
            const r = await cp.api("GET", "/api/v1/namespaces/shop/secrets", { as });
            assert.strictEqual(r.status, 401, `${JSON.stringify(as)}: ${r.status} ${r.body.slice(0, 200)}`);
        }
        // Even the endpoints kubeadm leaves open to anonymous users by default need authentication here.
        const v = await cp.api("GET", "/version", { as: "anonymous" });
        assert.strictEqual(v.status, 401);
    });

    it("the audit log records the Secret's creation at the policy's level (Metadata), without its data", async () => {
        const events = fs
            .readFileSync(cp.auditLog, "utf8")
            .split("\n")
            .filter(Boolean)
            .map(
                (l) =>
                    JSON.parse(l) as {
                        level: string;
                        verb: string;
                        stage: string;
                        objectRef?: { resource?: string; namespace?: string; name?: string };
                        requestObject?: unknown;
                    },
            );
        const created = events.filter(
            (e) => e.verb === "create" && e.objectRef?.resource === "secrets" && e.objectRef.namespace === "shop" && e.stage === "ResponseComplete",
        );
        assert.ok(created.length >= 1, "no audit event for the Secret's creation");
        for (const e of created) {
            assert.strictEqual(e.level, HARDENED_AUDIT_POLICY.sensitive);
            assert.strictEqual(e.requestObject, undefined, "Metadata level: no request body");
        }
        assert.ok(!fs.readFileSync(cp.auditLog, "utf8").includes(token), "the Secret's value is in the audit log");
        // Other changes are logged at the policy's `changes` level, with the request body.
        const deploy = events.find((e) => e.verb === "create" && e.objectRef?.resource === "deployments" && e.stage === "ResponseComplete");
        assert.strictEqual(deploy?.level, HARDENED_AUDIT_POLICY.changes);
    });

    it("admission rejects a privileged pod in the restricted namespace", async () => {
        const pod = {
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name: "root-shell" },
            spec: { containers: [{ name: "sh", image: "registry.example/sh@sha256:" + "b".repeat(64), securityContext: { privileged: true } }] },
        };
        const r = await cp.api("POST", "/api/v1/namespaces/shop/pods", { body: pod });
        assert.strictEqual(r.status, 403, r.body);
        assert.match(r.body, /violates PodSecurity \\"restricted:latest\\"/);
        assert.match(r.body, /privileged \(container \\"sh\\" must not set securityContext.privileged=true\)/);
    });

    it("insecure-demo's workloads: the pack's pod findings are exactly what Pod Security admission rejects", async () => {
        const wrap = ["nsenter", `--net=${cp.netns}`, "--"];
        const demo = await newProject("e2e-insecure-workloads", files("insecure-workloads"), { STRIDE_GUARD_REPO: REPO, KUBECONFIG: cp.adminKubeconfig }, wrap);
        try {
            const preview = await demo.pulumi(["preview", "--policy-pack", PACK_DIR]);
            assert.notStrictEqual(preview.code, 0, preview.all);
            const onDeployment = parseViolations(preview.all)
                .filter((v) => v.resource === "kubernetes:apps/v1:Deployment: debug" && v.level === "mandatory")
                .map((v) => v.policy);
            // Without the pack, the API server admits the Deployment (Pod Security only warns on templates)…
            const applied = await demo.pulumi(["up", "--yes", "--skip-preview"], { timeoutMs: 600_000 });
            assert.strictEqual(applied.code, 0, applied.all);
            const dep = await cp.api("GET", "/apis/apps/v1/namespaces/playground/deployments/debug");
            assert.strictEqual(dep.status, 200);
            // …and rejects its Pods, which is where a ReplicaSet's pods would fail: post the template as a Pod.
            const template = (JSON.parse(dep.body) as { spec: { template: { metadata: unknown; spec: unknown } } }).spec.template;
            const r = await cp.api("POST", "/api/v1/namespaces/playground/pods", {
                body: { apiVersion: "v1", kind: "Pod", metadata: { name: "debug" }, spec: template.spec },
            });
            assert.strictEqual(r.status, 403, r.body);
            const admission = (JSON.parse(r.body) as { message: string }).message;
            const mapped = onDeployment.filter((p) => PSS_OF[p]);
            assert.ok(mapped.length >= 5, `the pack flagged ${onDeployment.join(", ")}`);
            for (const p of mapped) assert.match(admission, PSS_OF[p], `the pack says ${p}; admission said: ${admission}`);
            for (const [p, re] of Object.entries(PSS_OF))
                if (re.test(admission)) assert.ok(onDeployment.includes(p), `admission rejects for ${re}, the pack did not flag ${p}`);
        } finally {
            if (!process.env.STRIDE_GUARD_E2E_KEEP) demo.remove();
        }
    });
});
