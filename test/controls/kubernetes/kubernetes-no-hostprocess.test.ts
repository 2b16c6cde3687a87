import control from "stride-guard/lib/controls/kubernetes/kubernetes-no-hostprocess";
import { assertMalformedReported, assertOne, assertPasses, assertSecretHidden, assertUnknown, deploy } from "../../support/kubernetes-fixtures";
import { UNKNOWN_BOOL } from "../../support/run-control";

const windows = { os: { name: "windows" } };

describe("kubernetes-no-hostprocess", () => {
    it("passes containers that are not HostProcess", () => {
        assertPasses(control, deploy());
        assertPasses(control, deploy({ pod: windows, sc: { windowsOptions: { hostProcess: false, runAsUserName: "ContainerUser" } } }));
    });

    it("flags hostProcess on the container, and on the pod where the container inherits it", () => {
        assertOne(control, deploy({ pod: windows, sc: { windowsOptions: { hostProcess: true } } }), [
            'container "app"',
            "spec.template.spec.containers[0].securityContext.windowsOptions.hostProcess",
            "HostProcess",
            "CIS Kubernetes 5.2.10",
        ]);
        assertOne(control, deploy({ pod: { ...windows, securityContext: { windowsOptions: { hostProcess: true } } } }), [
            "spec.template.spec.securityContext.windowsOptions.hostProcess",
        ]);
        assertPasses(control, deploy({ pod: { securityContext: { windowsOptions: { hostProcess: true } } }, sc: { windowsOptions: { hostProcess: false } } }));
    });

    it("handles unknown, secret and malformed values", () => {
        assertUnknown(
            control,
            deploy({ sc: { windowsOptions: { hostProcess: UNKNOWN_BOOL } } }),
            "spec.template.spec.containers[0].securityContext.windowsOptions.hostProcess",
        );
        assertSecretHidden(control, deploy({ sc: { windowsOptions: { hostProcess: true } } }));
        assertMalformedReported(control);
        assertOne(control, deploy({ sc: { windowsOptions: { hostProcess: 1 } } }), ["windowsOptions.hostProcess", "malformed"]);
    });

    it("does not apply where the namespace's PSS level is privileged", () => {
        assertPasses(control, deploy({ sc: { windowsOptions: { hostProcess: true } } }), { level: "privileged" });
    });
});
