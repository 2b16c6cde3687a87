import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-kubelet-authentication";
import { messages, run, UNKNOWN_STRING } from "../../support/run-control";
import {
    assertMalformedReported,
    controlPlaneDockerContainer,
    controlPlaneNode,
    hostFile,
    onlyMessage,
    outcome,
    assertSecretKubeletConfigHidden,
} from "../../support/control-plane-fixtures";

const CONFIG = "/var/lib/kubelet/config.yaml";

describe("kubernetes-kubelet-authentication", () => {
    it("passes a hardened KubeletConfiguration", () => {
        assert.deepEqual(outcome(run(control, controlPlaneNode())), { violations: [], unknownPaths: [] });
    });

    it("counts the KubeletConfiguration defaults (anonymous off, Webhook) and kubeadm's client CA", () => {
        const minimal = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n";
        onlyMessage(
            control,
            [hostFile(CONFIG, minimal)],
            /kubelet \(KubeletConfiguration \/var\/lib\/kubelet\/config\.yaml on 10\.0\.0\.5\): KubeletConfiguration: authentication\.x509\.clientCAFile is unset.*\(4\.2\.3\)/,
        );
        const kubeadm = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n---\n" + minimal;
        assert.deepEqual(messages(control, [hostFile("/etc/kubernetes/kubeadm.yaml", kubeadm)]), []);
    });

    const cases: [string, Record<string, unknown>, RegExp][] = [
        [
            "anonymous authentication on",
            { authentication: { anonymous: { enabled: true }, x509: { clientCAFile: "/etc/kubernetes/pki/ca.crt" } } },
            /: authentication\.anonymous\.enabled: authentication\.anonymous\.enabled is "true".*\(4\.2\.1\)/,
        ],
        ["AlwaysAllow", { authorization: { mode: "AlwaysAllow" } }, /: authorization\.mode: authorization\.mode is AlwaysAllow.*\(4\.2\.2\)/],
        ["no client CA", { authentication: { anonymous: { enabled: false } } }, /authentication\.x509\.clientCAFile is unset.*\(4\.2\.3\)/],
    ];
    for (const [name, over, re] of cases) {
        it(`fails on ${name}, naming the file and field`, () => {
            const m = onlyMessage(control, controlPlaneNode({ kubelet: over }), re);
            assert.match(m, /^kubelet \(KubeletConfiguration \/var\/lib\/kubelet\/config\.yaml on 10\.0\.0\.5\)/);
        });
    }

    it("applies the kubelet's insecure flag defaults to a kubelet run with flags only", () => {
        const msgs = messages(control, [controlPlaneDockerContainer("kubelet", ["--kubeconfig=/etc/kubernetes/kubelet.conf"])]);
        assert.equal(msgs.length, 3, msgs.join("\n"));
        assert.match(msgs[0], /^kubelet \(Docker container "kubelet"\): command: --anonymous-auth is unset \(the kubelet flag default is true\)/);
        assert.match(msgs[1], /--authorization-mode is unset \(the kubelet flag default is AlwaysAllow\)/);
    });

    it("reads the --config file under the flags, flags winning", () => {
        const kubelet = controlPlaneDockerContainer("kubelet", [`--config=${CONFIG}`, "--anonymous-auth=true"]);
        onlyMessage(control, [...controlPlaneNode(), kubelet], /^kubelet \(Docker container "kubelet"\): command\[1\]: --anonymous-auth is "true"/);
    });

    it("reports unknowns: a flag value, a --config file outside the stack, unknown file content", () => {
        const unknownValue = run(control, [
            ...controlPlaneNode(),
            controlPlaneDockerContainer("kubelet", [`--config=${CONFIG}`, "--authorization-mode", UNKNOWN_STRING]),
        ]);
        assert.deepEqual(unknownValue.violations, []);
        assert.deepEqual(unknownValue.unknownPaths, ["command[1]"]);
        const missingConfig = run(control, [controlPlaneDockerContainer("kubelet", ["--config=/elsewhere.yaml", "--anonymous-auth=false"])]);
        assert.deepEqual(missingConfig.violations, []);
        assert.equal(missingConfig.unknownPaths.length, 2);
        const failing = run(control, [controlPlaneDockerContainer("kubelet", ["--config=/elsewhere.yaml"])], { unknownValues: "fail" });
        assert.equal(failing.violations.length, 3);
        assert.ok(failing.violations.every((v) => v.unknown && /unknown at preview/.test(v.message)));
    });

    it("never shows a secret configuration", () => {
        assertSecretKubeletConfigHidden(control, { authorization: { mode: "AlwaysAllow" } });
    });

    it("reports malformed input clearly without throwing", () => {
        assertMalformedReported(control, "kubelet");
        const msgs = messages(control, [
            hostFile(
                CONFIG,
                "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthorization: {mode: {x: 1}}\nauthentication: {x509: {clientCAFile: /ca.crt}}\n",
            ),
        ]);
        assert.deepEqual(msgs.length, 1);
        assert.match(msgs[0], /authorization\.mode: authorization\.mode is malformed: expected a string, got an object/);
    });
});
