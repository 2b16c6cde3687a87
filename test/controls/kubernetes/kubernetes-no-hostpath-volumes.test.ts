import control from "stride-guard/lib/controls/kubernetes/kubernetes-no-hostpath-volumes";
import { assertMalformedReported, assertOne, assertPasses, assertSecretHidden, assertUnknown, deploy } from "../../support/kubernetes-fixtures";
import { UNKNOWN_STRING } from "../../support/run-control";

const vols = (...volumes: unknown[]) => deploy({ pod: { volumes } });

describe("kubernetes-no-hostpath-volumes", () => {
    it("passes pods without hostPath volumes", () => {
        assertPasses(control, deploy());
        assertPasses(control, vols({ name: "tmp", emptyDir: {} }, { name: "cfg", configMap: { name: "cfg" } }));
    });

    it("flags each hostPath volume, named, at its path", () => {
        assertOne(control, vols({ name: "tmp", emptyDir: {} }, { name: "sock", hostPath: { path: "/var/run/docker.sock" } }), [
            'Deployment "shop/api"',
            "spec.template.spec.volumes[1].hostPath",
            'volume "sock"',
            "CIS Kubernetes 5.2.11",
        ]);
        assertOne(control, deploy({ kind: "Job", pod: { volumes: [{ name: "root", hostPath: { path: "/" } }] } }), ['Job "shop/api"']);
    });

    it("handles levels, unknown, secret and malformed values", () => {
        assertPasses(control, vols({ name: "logs", hostPath: { path: "/var/log" } }), { namespaceLevels: { shop: "privileged" } });
        assertUnknown(control, vols(UNKNOWN_STRING), "spec.template.spec.volumes");
        assertSecretHidden(control, vols({ name: "logs", hostPath: { path: "/var/log" } }));
        assertMalformedReported(control);
        assertOne(control, deploy({ pod: { volumes: { name: "x" } } }), ["spec.template.spec.volumes", "malformed: expected an array, got an object"]);
    });
});
