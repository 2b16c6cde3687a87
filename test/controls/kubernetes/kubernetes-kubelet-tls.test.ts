import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-kubelet-tls";
import { messages, run, UNKNOWN_STRING } from "../../support/run-control";
import {
    assertMalformedReported,
    controlPlaneDockerContainer,
    controlPlaneNode,
    onlyMessage,
    outcome,
    assertSecretKubeletConfigHidden,
} from "../../support/control-plane-fixtures";

const STRONG = ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"];

describe("kubernetes-kubelet-tls", () => {
    it("passes server certificate bootstrap, or a configured certificate and key, with strong ciphers", () => {
        assert.deepEqual(outcome(run(control, controlPlaneNode())), { violations: [], unknownPaths: [] });
        const files = {
            serverTLSBootstrap: false,
            tlsCertFile: "/var/lib/kubelet/pki/kubelet.crt",
            tlsPrivateKeyFile: "/var/lib/kubelet/pki/kubelet.key",
            tlsCipherSuites: STRONG,
        };
        assert.deepEqual(messages(control, controlPlaneNode({ kubelet: files })), []);
    });

    const cases: [string, Record<string, unknown>, RegExp][] = [
        [
            "neither bootstrap nor certificate",
            { serverTLSBootstrap: undefined },
            /: KubeletConfiguration: tlsCertFile and tlsPrivateKeyFile are unset and serverTLSBootstrap is not true.*\(4\.2\.9\)/,
        ],
        [
            "a certificate without its key",
            { serverTLSBootstrap: false, tlsCertFile: "/k.crt" },
            /tlsPrivateKeyFile is unset and serverTLSBootstrap is not true/,
        ],
        [
            "a weak cipher",
            { tlsCipherSuites: [...STRONG, "TLS_RSA_WITH_AES_256_CBC_SHA"] },
            /: tlsCipherSuites: tlsCipherSuites includes weak suites \(TLS_RSA_WITH_AES_256_CBC_SHA\).*\(4\.2\.12\)/,
        ],
    ];
    for (const [name, over, re] of cases) {
        it(`fails on ${name}, naming the file and field`, () => {
            const m = onlyMessage(control, controlPlaneNode({ kubelet: over }), re);
            assert.match(m, /^kubelet \(KubeletConfiguration \/var\/lib\/kubelet\/config\.yaml on 10\.0\.0\.5\)/);
        });
    }

    it("requires explicit cipher suites when configured to", () => {
        onlyMessage(control, controlPlaneNode(), /tlsCipherSuites is unset \(Go's defaults include CBC suites\)/, { requireCipherSuites: true });
    });

    it("reads kubelet flags", () => {
        assert.deepEqual(
            messages(control, [
                controlPlaneDockerContainer("kubelet", ["--tls-cert-file=/a.crt", "--tls-private-key-file=/a.key", `--tls-cipher-suites=${STRONG.join(",")}`]),
            ]),
            [],
        );
        onlyMessage(
            control,
            [controlPlaneDockerContainer("kubelet", ["--v=2"])],
            /^kubelet \(Docker container "kubelet"\): command: --tls-cert-file and --tls-private-key-file are unset/,
        );
    });

    it("reports unknown values", () => {
        const k = controlPlaneDockerContainer("kubelet", ["--tls-cert-file", UNKNOWN_STRING, "--tls-private-key-file=/a.key"]);
        assert.deepEqual(outcome(run(control, [k])), { violations: [], unknownPaths: ["command[0]"] });
        assert.equal(run(control, [k], { unknownValues: "fail" }).violations.length, 1);
    });

    it("never shows a secret configuration", () => {
        assertSecretKubeletConfigHidden(control, { serverTLSBootstrap: false, tlsCertFile: "/etc/s3cr3t.crt" });
    });

    it("reports malformed input clearly without throwing", () => {
        assertMalformedReported(control, "kubelet");
        onlyMessage(control, controlPlaneNode({ kubelet: { tlsCipherSuites: [1, 2] } }), /tlsCipherSuites is malformed: expected a list of strings/);
    });
});
