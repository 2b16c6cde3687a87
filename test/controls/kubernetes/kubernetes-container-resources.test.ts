import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-container-resources";
import {
    assertMalformedReported,
    assertOne,
    assertPasses,
    assertRemediates,
    assertSecretHidden,
    assertUnknown,
    container,
    deploy,
} from "../../support/kubernetes-fixtures";
import { messages, remediate, UNKNOWN_STRING } from "../../support/run-control";

const c0 = "spec.template.spec.containers[0]";
const res = (r: unknown) => deploy({ container: { resources: r } });

describe("kubernetes-container-resources", () => {
    it("passes requests and a memory limit; a limit also counts as the request (the API default)", () => {
        assertPasses(control, deploy());
        assertPasses(control, res({ limits: { cpu: "1", memory: "512Mi" } }));
    });

    it("flags each missing value on its own", () => {
        assertOne(control, res({ requests: { memory: "128Mi" }, limits: { memory: "256Mi" } }), [
            'container "app"',
            `${c0}.resources.requests.cpu`,
            "has no CPU request",
        ]);
        const noMemory = messages(control, res({ requests: { cpu: "100m" } }));
        assert.deepEqual(
            noMemory.map((m) => /resources\.(\w+)\.memory: has no (memory \w+)/.exec(m)?.slice(1)),
            [
                ["requests", "memory request"],
                ["limits", "memory limit"],
            ],
        );
        assertOne(control, res({ requests: { cpu: "100m", memory: "128Mi" } }), [`${c0}.resources.limits.memory`, "memory limit"]);
        assert.equal(messages(control, res(undefined)).length, 3);
        assert.equal(messages(control, deploy({ pod: { initContainers: [container({ container: { name: "init", resources: {} } })] } })).length, 3);
    });

    it("skips ephemeral containers, which cannot have resources", () => {
        assertPasses(control, deploy({ kind: "Pod", pod: { ephemeralContainers: [container({ container: { name: "debug", resources: undefined } })] } }));
    });

    it("handles unknown, secret and malformed values", () => {
        assertUnknown(control, res({ requests: { cpu: UNKNOWN_STRING, memory: "1Gi" }, limits: { memory: "1Gi" } }), `${c0}.resources.requests.cpu`);
        assertSecretHidden(control, res(undefined));
        assertMalformedReported(control);
        assertOne(control, res({ requests: { cpu: "lots", memory: "1Gi" }, limits: { memory: "1Gi" } }), [`${c0}.resources.requests.cpu`, "malformed"]);
    });

    it("remediates missing values with the configured defaults, never a limit below the request", () => {
        assertRemediates(control, res(undefined), {
            [`${c0}.resources.requests.cpu`]: "100m",
            [`${c0}.resources.requests.memory`]: "128Mi",
            [`${c0}.resources.limits.memory`]: "256Mi",
        });
        assertRemediates(control, res({ requests: { cpu: "1", memory: "1Gi" } }), {
            [`${c0}.resources.limits.memory`]: "1024Mi",
            [`${c0}.resources.requests.memory`]: "1Gi",
        });
        assertRemediates(
            control,
            res({ requests: { memory: "64Mi" }, limits: { memory: "100Mi" } }),
            { [`${c0}.resources.requests.cpu`]: "250m" },
            { defaultCpuRequest: "250m" },
        );
        assert.equal(remediate(control, res({ requests: { memory: "64Mi" }, limits: { memory: "100Mi" } }), { defaultCpuRequest: "a bit" }), undefined);
    });
});
