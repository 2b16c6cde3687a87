import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-apiserver-authentication";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";
import {
    args,
    controlPlaneDockerContainer,
    controlPlaneNode,
    controlPlanePod,
    HARDENED,
    hostFile,
    staticPodYaml,
    outcome,
} from "../../support/control-plane-fixtures";

const API = "kube-apiserver";
const MANIFEST = "/etc/kubernetes/manifests/kube-apiserver.yaml";

describe("kubernetes-apiserver-authentication", () => {
    it("passes a hardened control plane", () => {
        assert.deepEqual(outcome(run(control, controlPlaneNode())), { violations: [], unknownPaths: [] });
    });

    it("finds nothing when the stack declares no API server", () => {
        assert.deepEqual(messages(control, [hostFile("/etc/docker/daemon.json", "{}")]), []);
    });

    const cases: [string, Record<string, string | null>, RegExp][] = [
        ["anonymous-auth unset", { "anonymous-auth": null }, /--anonymous-auth is unset \(the default is true\).*set --anonymous-auth=false \(1\.2\.1\)/],
        ["anonymous-auth true", { "anonymous-auth": "true" }, /--anonymous-auth is "true"/],
        ["a token file", { "token-auth-file": "/etc/kubernetes/tokens.csv" }, /--token-auth-file is set.*\(1\.2\.2\)/],
        ["a basic auth file", { "basic-auth-file": "/etc/kubernetes/passwords.csv" }, /--basic-auth-file is set/],
        ["no kubelet client certificate", { "kubelet-client-certificate": null }, /--kubelet-client-certificate is unset.*\(1\.2\.4\)/],
        ["no kubelet client key", { "kubelet-client-key": null }, /--kubelet-client-key is unset/],
        ["no kubelet CA", { "kubelet-certificate-authority": null }, /--kubelet-certificate-authority is unset.*\(1\.2\.5\)/],
        ["AlwaysAllow", { "authorization-mode": "AlwaysAllow,Node,RBAC" }, /--authorization-mode includes AlwaysAllow.*\(1\.2\.6\)/],
        ["no Node authorizer", { "authorization-mode": "RBAC" }, /--authorization-mode does not include Node.*\(1\.2\.7\)/],
        ["no RBAC", { "authorization-mode": "Node" }, /--authorization-mode does not include RBAC.*\(1\.2\.8\)/],
        ["no client CA", { "client-ca-file": null }, /--client-ca-file is unset.*\(1\.2\.25\)/],
    ];
    for (const [name, over, re] of cases) {
        it(`fails on ${name}, naming the manifest, host and field`, () => {
            const msgs = messages(control, controlPlaneNode({ flags: { [API]: over } }));
            assert.equal(msgs.length, 1, msgs.join("\n"));
            assert.match(msgs[0], re);
            assert.match(
                msgs[0],
                /^kube-apiserver \(static Pod \/etc\/kubernetes\/manifests\/kube-apiserver\.yaml on 10\.0\.0\.5\): spec\.containers\[0\]\.command/,
            );
            assert.match(msgs[0], /CIS Kubernetes 1\.2\.1/);
        });
    }

    it("reads bare boolean flags, space-separated values, repeated list flags and an unset authorization mode", () => {
        const argv = [
            "--anonymous-auth",
            "--client-ca-file",
            "/etc/kubernetes/pki/ca.crt",
            ...args(HARDENED[API], { "anonymous-auth": null, "client-ca-file": null, "authorization-mode": null }),
        ];
        const msgs = messages(control, [controlPlanePod(API, argv)]);
        assert.equal(msgs.length, 3, msgs.join("\n"));
        assert.match(
            msgs[0],
            /^kube-apiserver \(Pod "kube-system\/kube-apiserver" container "kube-apiserver"\): spec\.containers\[0\]\.command\[1\]: --anonymous-auth is "true"/,
        );
        assert.match(msgs[1], /: spec\.containers\[0\]\.command: --authorization-mode is unset \(the default is AlwaysAllow\).*\(1\.2\.7\)/);
        assert.match(msgs[2], /--authorization-mode is unset.*\(1\.2\.8\)/);
        const repeated = args(HARDENED[API], { "authorization-mode": "Node" }).concat("--authorization-mode=RBAC");
        assert.deepEqual(messages(control, [controlPlanePod(API, repeated)]), []);
    });

    it("checks Docker containers running the API server", () => {
        const msgs = messages(control, [controlPlaneDockerContainer(API, args(HARDENED[API], { "anonymous-auth": "true" }))]);
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /^kube-apiserver \(Docker container "kube-apiserver"\): command\[\d+\]: --anonymous-auth is "true"/);
    });

    it("counts kubeadm defaults and reads extraArgs in both forms", () => {
        const v1beta3 =
            'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    anonymous-auth: "false"\n    kubelet-certificate-authority: /etc/kubernetes/pki/ca.crt\n';
        assert.deepEqual(messages(control, [hostFile("/etc/kubernetes/kubeadm.yaml", v1beta3)]), []);
        const v1beta4 =
            'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n  - name: anonymous-auth\n    value: "false"\n  - name: authorization-mode\n    value: AlwaysAllow\n';
        const msgs = messages(control, [hostFile("/etc/kubernetes/kubeadm.yaml", v1beta4)]);
        assert.equal(msgs.length, 4, msgs.join("\n"));
        assert.match(
            msgs.join("\n"),
            /kube-apiserver \(kubeadm ClusterConfiguration \/etc\/kubernetes\/kubeadm\.yaml on 10\.0\.0\.5\): apiServer\.extraArgs\[1\]: --authorization-mode includes AlwaysAllow/,
        );
        assert.match(msgs.join("\n"), /apiServer\.extraArgs: --kubelet-certificate-authority is unset/);
    });

    it("reports an unknown flag value, and fails on it under unknownValues: fail", () => {
        const node = controlPlaneNode({
            files: { [MANIFEST]: controlPlanePod(API, [...args(HARDENED[API], { "authorization-mode": null }), "--authorization-mode", UNKNOWN_STRING]) },
        });
        const out = run(control, node);
        assert.deepEqual(out.violations, []);
        assert.equal(out.unknownPaths.length, 3);
        assert.match(out.unknownPaths[0], /spec\.containers\[0\]\.command\[\d+\]/);
        const failing = run(control, node, { unknownValues: "fail" });
        assert.equal(failing.violations.length, 3);
        assert.match(failing.violations[0].message, /--authorization-mode is unknown at preview/);
    });

    it("treats absent flags as unknown when an argument or the whole manifest is unknown", () => {
        const open = run(control, [controlPlanePod(API, [...args(HARDENED[API], { "client-ca-file": null }), UNKNOWN_STRING])]);
        assert.deepEqual(open.violations, []);
        // the missing client CA, and the token and password files that the unknown argument might set
        assert.deepEqual(open.unknownPaths, ["spec.containers[0].command", "spec.containers[0].command", "spec.containers[0].command"]);
        const unknownFile = run(control, controlPlaneNode({ files: { [MANIFEST]: hostFile(MANIFEST, UNKNOWN_STRING) } }));
        assert.deepEqual(unknownFile.violations, []);
        assert.ok(unknownFile.unknownPaths.length >= 5);
    });

    it("never shows a secret manifest", () => {
        const token = "/etc/kubernetes/s3cr3t-tokens.csv";
        const node = controlPlaneNode({
            files: { [MANIFEST]: hostFile(MANIFEST, secret(staticPodYaml(API, args(HARDENED[API], { "token-auth-file": token })))) },
        });
        const msgs = messages(control, node);
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /--token-auth-file is set/);
        assert.ok(!msgs.some((m) => m.includes("s3cr3t")));
    });

    it("reports malformed input clearly without throwing", () => {
        const bad = [
            hostFile(MANIFEST, "spec: [unclosed"),
            controlPlanePod(API, [null, 42, ...args(HARDENED[API])], "bad-args"),
            { type: "kubernetes:core/v1:Pod", name: "nospec", props: { metadata: { name: "x" } } },
            { type: "kubernetes:core/v1:Pod", name: "null", props: null },
            hostFile("/etc/kubernetes/kubeadm.yaml", "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs: 7\n"),
        ];
        const msgs = messages(control, bad);
        assert.match(msgs.join("\n"), /\/etc\/kubernetes\/manifests\/kube-apiserver\.yaml on 10\.0\.0\.5: stdin: cannot be checked: expected valid YAML/);
        assert.match(
            msgs.join("\n"),
            /container "kube-apiserver"\): spec\.containers\[0\]\.command\[1\]: cannot be checked: expected a string argument, got null/,
        );
        assert.match(msgs.join("\n"), /apiServer\.extraArgs: cannot be checked: expected a map of flag names/);
    });
});
