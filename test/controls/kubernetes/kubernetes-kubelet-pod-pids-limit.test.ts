import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-kubelet-pod-pids-limit";
import { messages, run, UNKNOWN_STRING } from "../../support/run-control";
import {
    assertMalformedReported,
    controlPlaneDockerContainer,
    controlPlaneNode,
    onlyMessage,
    outcome,
    assertSecretKubeletConfigHidden,
} from "../../support/control-plane-fixtures";

describe("kubernetes-kubelet-pod-pids-limit", () => {
    it("passes a kubelet with a bounded podPidsLimit", () => {
        assert.deepEqual(outcome(run(control, controlPlaneNode())), { violations: [], unknownPaths: [] });
        assert.deepEqual(messages(control, [controlPlaneDockerContainer("kubelet", ["--pod-max-pids=1024"])]), []);
    });

    const cases: [string, unknown, RegExp][] = [
        ["no limit", undefined, /KubeletConfiguration: podPidsLimit is unset \(pods may create processes until the node runs out\).*\(4\.2\.13\)/],
        ["-1 (unlimited)", -1, /podPidsLimit: podPidsLimit is -1, which means unlimited/],
        ["a limit above the maximum", 1000000, /podPidsLimit is 1000000, above 32768/],
        ["a fraction", 10.5, /podPidsLimit is "10\.5", not a whole number/],
    ];
    for (const [name, value, re] of cases) {
        it(`fails on ${name}, naming the file and field`, () => {
            const m = onlyMessage(control, controlPlaneNode({ kubelet: { podPidsLimit: value } }), re);
            assert.match(m, /^kubelet \(KubeletConfiguration \/var\/lib\/kubelet\/config\.yaml on 10\.0\.0\.5\)/);
        });
    }

    it("honours a configured maximum", () => {
        assert.deepEqual(messages(control, controlPlaneNode({ kubelet: { podPidsLimit: 100000 } }), { maxPodPids: 100000 }), []);
    });

    it("reads the --pod-max-pids flag and reports its unknown value", () => {
        onlyMessage(
            control,
            [controlPlaneDockerContainer("kubelet", ["--pod-max-pids=-1"])],
            /^kubelet \(Docker container "kubelet"\): command\[0\]: --pod-max-pids is -1/,
        );
        const out = run(control, [controlPlaneDockerContainer("kubelet", ["--pod-max-pids", UNKNOWN_STRING])]);
        assert.deepEqual(outcome(out), { violations: [], unknownPaths: ["command[0]"] });
        assert.equal(
            run(control, [controlPlaneDockerContainer("kubelet", ["--pod-max-pids", UNKNOWN_STRING])], { unknownValues: "fail" }).violations.length,
            1,
        );
    });

    it("never shows a secret configuration", () => {
        assertSecretKubeletConfigHidden(control, { podPidsLimit: -1 });
    });

    it("reports malformed input clearly without throwing", () => {
        assertMalformedReported(control, "kubelet");
        onlyMessage(control, controlPlaneNode({ kubelet: { podPidsLimit: { max: 1 } } }), /podPidsLimit is malformed: expected a string, got an object/);
    });
});
