/**
 * Children of Helm charts and YAML ConfigFile/ConfigGroup components are checked like any other resource:
 * what the mock runtime (`pulumi.runtime.setMocks`, through the in-process runner) can expand, and that the
 * expanded children carry the inputs the controls read.
 *
 *  - `k8s.yaml.ConfigGroup` / `ConfigFile` (v1) and `k8s.helm.v3.Chart` expand in the program (Node SDK): they
 *    call the provider functions `kubernetes:yaml:decode` / `kubernetes:helm:template` and register one child per
 *    object. Under mocks those calls must be answered by the mock's `call`; then every child appears, parented to
 *    the component, with its full manifest as inputs.
 *  - `k8s.yaml.v2.ConfigGroup` / `ConfigFile` and `k8s.helm.v4.Chart` are provider-side (remote) components: the
 *    provider expands them during a real preview. Under mocks only the component itself is registered; no child
 *    appears, so nothing in them can be checked in-process (the pack still sees them in `pulumi preview`).
 *
 * The client-side components register namespaced children inside apply callbacks; the runner waits for them
 * (the programs below return nothing to wait on).
 */
import assert from "assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import { parseAllDocuments } from "yaml";
import clusterAdmin from "stride-guard/lib/controls/kubernetes/kubernetes-rbac-cluster-admin-binding";
import defaultDeny from "stride-guard/lib/controls/kubernetes/kubernetes-network-default-deny";
import secretData from "stride-guard/lib/controls/kubernetes/kubernetes-secret-data-pulumi-secret";
import serviceExposure from "stride-guard/lib/controls/kubernetes/kubernetes-service-exposure";
import { runProgram, RunOptions } from "stride-guard/lib/runner/run";
import { CapturedResource } from "stride-guard/lib/runner/types";
import { messages, Res } from "../../support/run-control";

const MANIFESTS = `
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: restricted
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ci-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: ServiceAccount
    name: deployer
    namespace: ci
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers: [{ name: app, image: "registry.example.com/app:1.0" }]
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  type: LoadBalancer
  selector: { app: api }
  ports: [{ port: 80 }]
---
apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
stringData:
  password: from-a-plain-yaml-file
`;

const decode = (text: string) =>
    parseAllDocuments(text)
        .map((d) => d.toJSON())
        .filter((o) => o !== null);

/** A mock runtime that answers the provider functions client-side components call. */
const options: RunOptions = {
    project: "children",
    stack: "dev",
    mocks: {
        call: (args) => {
            if (args.token === "kubernetes:yaml:decode") return { result: decode(args.inputs.text) };
            if (args.token === "kubernetes:helm:template") return { result: decode(MANIFESTS) };
            return {};
        },
    },
};

const asRes = (rs: CapturedResource[]): Res[] =>
    rs.map((r) => ({ type: r.type, name: r.name, props: r.props, parent: r.parent, dependencies: r.dependencies }));
const childrenOf = (rs: CapturedResource[], type: string) => {
    const parent = rs.find((r) => r.type === type);
    assert.ok(parent, `${type} was not registered`);
    return rs.filter((r) => r.parent === parent.urn);
};

/** Every control here must find the same things in the children, whichever component produced them. */
function assertChecked(resources: CapturedResource[]): void {
    const res = asRes(resources);
    assert.match(
        messages(clusterAdmin, res).join("\n"),
        /ClusterRoleBinding "ci-admin": subjects\[0\]: ServiceAccount "ci\/deployer" is bound to cluster-admin/,
    );
    assert.match(messages(serviceExposure, res).join("\n"), /Service "shop\/api": spec\.type: is "LoadBalancer"/);
    assert.match(messages(defaultDeny, res).join("\n"), /namespace "shop": runs Deployment "shop\/api" but has no default-deny NetworkPolicy/);
    // The SDK's Secret class wraps data/stringData in secrets, for children too.
    assert.deepEqual(messages(secretData, res), []);
}

describe("children of YAML and Helm components", () => {
    it("k8s.yaml.ConfigGroup with inline yaml expands into children that the controls check", async () => {
        const r = await runProgram(() => {
            new k8s.yaml.ConfigGroup("app", { yaml: [MANIFESTS] });
        }, options);
        const kids = childrenOf(r.resources, "kubernetes:yaml:ConfigGroup");
        assert.deepEqual(kids.map((k) => k.type).sort(), [
            "kubernetes:apps/v1:Deployment",
            "kubernetes:core/v1:Namespace",
            "kubernetes:core/v1:Secret",
            "kubernetes:core/v1:Service",
            "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
        ]);
        const crb = kids.find((k) => k.type.endsWith(":ClusterRoleBinding"));
        assert.deepEqual(crb?.props.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" });
        assert.deepEqual(kids.find((k) => k.type.endsWith(":Secret"))?.options.additionalSecretOutputs, ["data", "stringData"]);
        assertChecked(r.resources);
    });

    it("k8s.yaml.ConfigFile reads the file and expands the same way", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stride-guard-children-"));
        const file = path.join(dir, "app.yaml");
        fs.writeFileSync(file, MANIFESTS);
        try {
            const r = await runProgram(() => {
                new k8s.yaml.ConfigFile("app", { file });
            }, options);
            assert.equal(childrenOf(r.resources, "kubernetes:yaml:ConfigFile").length, 5);
            assertChecked(r.resources);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("k8s.helm.v3.Chart expands when the mock renders the chart (kubernetes:helm:template)", async () => {
        const r = await runProgram(() => {
            new k8s.helm.v3.Chart("shop", { chart: "shop", fetchOpts: { repo: "https://charts.example.com" } });
        }, options);
        assert.equal(childrenOf(r.resources, "kubernetes:helm.sh/v3:Chart").length, 5);
        assertChecked(r.resources);
    });

    it("k8s.yaml.v2.ConfigGroup and k8s.helm.v4.Chart are expanded by the provider: under mocks no child appears", async () => {
        const r = await runProgram(() => {
            new k8s.yaml.v2.ConfigGroup("app", { yaml: MANIFESTS });
            new k8s.helm.v4.Chart("shop", { chart: "shop", repositoryOpts: { repo: "https://charts.example.com" } });
        }, options);
        const v2 = r.resources.find((x) => x.type === "kubernetes:yaml/v2:ConfigGroup");
        const v4 = r.resources.find((x) => x.type === "kubernetes:helm.sh/v4:Chart");
        assert.ok(v2 && v4, r.resources.map((x) => x.type).join(", "));
        assert.equal(v2.props.yaml, MANIFESTS, "the component carries the manifests as an input, unexpanded");
        assert.deepEqual(
            r.resources.filter((x) => x.parent === v2.urn || x.parent === v4.urn),
            [],
        );
        assert.deepEqual(
            r.resources.filter((x) => /:(Deployment|Service|ClusterRoleBinding)$/.test(x.type)),
            [],
        );
    });
});
