import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-no-host-ports";
import { assertMalformedReported, assertOne, assertPasses, assertSecretHidden, assertUnknown, deploy } from "../../support/kubernetes-fixtures";
import { messages, UNKNOWN_NUMBER } from "../../support/run-control";

const ports = (...p: object[]) => deploy({ container: { ports: p } });

describe("kubernetes-no-host-ports", () => {
    it("passes containers without host ports (unset or 0)", () => {
        assertPasses(control, deploy());
        assertPasses(control, ports({ containerPort: 8080 }, { containerPort: 53, hostPort: 0 }));
    });

    it("flags each host port at its own path", () => {
        assertOne(control, ports({ containerPort: 8080, hostPort: 80 }), [
            'container "app"',
            "spec.template.spec.containers[0].ports[0].hostPort",
            "host port 80",
            "CIS Kubernetes 5.2.12",
        ]);
        assert.equal(messages(control, ports({ containerPort: 1, hostPort: 81 }, { containerPort: 2, hostPort: 82 })).length, 2);
        assertOne(
            control,
            deploy({ pod: { initContainers: [{ name: "init", image: "x@sha256:" + "c".repeat(64), ports: [{ containerPort: 9, hostPort: 9 }] }] } }),
            ['initContainer "init"', "initContainers[0].ports[0].hostPort"],
        );
    });

    it("allows the configured host ports", () => {
        assertPasses(control, ports({ containerPort: 9100, hostPort: 9100 }), { allowedHostPorts: [9100] });
    });

    it("handles unknown, secret and malformed values", () => {
        assertUnknown(control, ports({ containerPort: 80, hostPort: UNKNOWN_NUMBER }), "spec.template.spec.containers[0].ports");
        assertSecretHidden(control, ports({ containerPort: 80, hostPort: 80 }));
        assertMalformedReported(control);
        assertOne(control, ports({ containerPort: 80, hostPort: "80" }), [
            "spec.template.spec.containers[0].ports",
            "malformed: expected a number, got a string",
        ]);
        assertOne(control, deploy({ container: { ports: [null] } }), [
            "ports",
            "malformed: expected an object at spec.template.spec.containers[0].ports[0], got null",
        ]);
    });

    it("does not apply where the namespace's PSS level is privileged", () => {
        assertPasses(control, ports({ containerPort: 80, hostPort: 80 }), { namespaceLevels: { shop: "privileged" } });
    });
});
