import control from "stride-guard/lib/controls/kubernetes/kubernetes-apparmor-not-unconfined";
import { Res } from "../../support/run-control";
import { assertMalformedReported, assertOne, assertPasses, assertSecretHidden, assertUnknown, deploy } from "../../support/kubernetes-fixtures";
import { UNKNOWN_STRING } from "../../support/run-control";

const sc = "spec.template.spec.containers[0].securityContext";
const KEY = "container.apparmor.security.beta.kubernetes.io/app";

function annotated(value: unknown, res: Res = deploy()): Res {
    const props = res.props as { spec: { template: { metadata: Record<string, unknown> } } };
    const template = { ...props.spec.template, metadata: { ...props.spec.template.metadata, annotations: { [KEY]: value } } };
    return { ...res, props: { ...props, spec: { ...props.spec, template } } };
}

describe("kubernetes-apparmor-not-unconfined", () => {
    it("passes unset, RuntimeDefault and Localhost profiles and annotations", () => {
        assertPasses(control, deploy());
        assertPasses(control, deploy({ sc: { appArmorProfile: { type: "Localhost", localhostProfile: "k8s-app" } } }));
        assertPasses(control, annotated("runtime/default"));
        assertPasses(control, annotated("localhost/k8s-app"));
    });

    it("flags Unconfined in the field (container or pod) and in the annotation", () => {
        assertOne(control, deploy({ sc: { appArmorProfile: { type: "Unconfined" } } }), ['container "app"', `${sc}.appArmorProfile.type`, '"Unconfined"']);
        assertOne(control, deploy({ pod: { securityContext: { appArmorProfile: { type: "Unconfined" } } } }), [
            "spec.template.spec.securityContext.appArmorProfile.type",
        ]);
        assertOne(control, annotated("unconfined"), [`spec.template.metadata.annotations["${KEY}"]`, '"unconfined"']);
    });

    it("handles levels, unknown, secret and malformed values", () => {
        assertPasses(control, annotated("unconfined"), { level: "privileged" });
        assertUnknown(control, annotated(UNKNOWN_STRING), `spec.template.metadata.annotations["${KEY}"]`);
        assertSecretHidden(control, annotated("unconfined"));
        assertMalformedReported(control);
        assertOne(control, deploy({ sc: { appArmorProfile: { type: 3 } } }), [`${sc}.appArmorProfile.type`, "malformed"]);
    });
});
