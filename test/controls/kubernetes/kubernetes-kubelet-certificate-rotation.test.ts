import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-kubelet-certificate-rotation";
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

describe("kubernetes-kubelet-certificate-rotation", () => {
    it("passes a kubelet that rotates its certificates", () => {
        assert.deepEqual(outcome(run(control, controlPlaneNode())), { violations: [], unknownPaths: [] });
        assert.deepEqual(messages(control, [controlPlaneDockerContainer("kubelet", ["--rotate-certificates"])]), []);
    });

    it("counts kubeadm's rotateCertificates default", () => {
        const kubeadm =
            "apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\n---\napiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n";
        assert.deepEqual(messages(control, [hostFile("/etc/kubernetes/kubeadm.yaml", kubeadm)]), []);
    });

    const cases: [string, Record<string, unknown>, RegExp][] = [
        ["rotation unset", { rotateCertificates: undefined }, /KubeletConfiguration: rotateCertificates is unset \(the default is false\).*\(4\.2\.10\)/],
        ["rotation off", { rotateCertificates: false }, /rotateCertificates: rotateCertificates is "false"/],
        [
            "server certificate rotation gated off",
            { featureGates: { RotateKubeletServerCertificate: false } },
            /featureGates: featureGates turns RotateKubeletServerCertificate off.*\(4\.2\.11\)/,
        ],
    ];
    for (const [name, over, re] of cases) {
        it(`fails on ${name}, naming the file and field`, () => {
            const m = onlyMessage(control, controlPlaneNode({ kubelet: over }), re);
            assert.match(m, /^kubelet \(KubeletConfiguration \/var\/lib\/kubelet\/config\.yaml on 10\.0\.0\.5\)/);
        });
    }

    it("reads flags: --rotate-certificates=false and --feature-gates", () => {
        const msgs = messages(control, [
            controlPlaneDockerContainer("kubelet", ["--rotate-certificates=false", "--feature-gates=RotateKubeletServerCertificate=false"]),
        ]);
        assert.equal(msgs.length, 2);
        assert.match(msgs[0], /^kubelet \(Docker container "kubelet"\): command\[0\]: --rotate-certificates is "false"/);
    });

    it("reports unknown flag values", () => {
        const k = controlPlaneDockerContainer("kubelet", ["--rotate-certificates", "--feature-gates", UNKNOWN_STRING]);
        assert.deepEqual(outcome(run(control, [k])), { violations: [], unknownPaths: ["command[1]"] });
        assert.equal(run(control, [k], { unknownValues: "fail" }).violations.length, 1);
    });

    it("never shows a secret configuration", () => {
        assertSecretKubeletConfigHidden(control, { rotateCertificates: false });
    });

    it("reports malformed input clearly without throwing", () => {
        assertMalformedReported(control, "kubelet");
        onlyMessage(
            control,
            controlPlaneNode({ kubelet: { featureGates: { RotateKubeletServerCertificate: [1] } } }),
            /featureGates is malformed: expected a map of names to booleans/,
        );
    });
});
