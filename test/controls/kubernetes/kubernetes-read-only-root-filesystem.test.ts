import control from "stride-guard/lib/controls/kubernetes/kubernetes-read-only-root-filesystem";
import { assertMalformedReported, assertOne, assertPasses, assertSecretHidden, assertUnknown, container, deploy } from "../../support/kubernetes-fixtures";
import { UNKNOWN_BOOL } from "../../support/run-control";

const path = "spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem";

describe("kubernetes-read-only-root-filesystem", () => {
    it("passes readOnlyRootFilesystem: true", () => {
        assertPasses(control, deploy());
    });

    it("flags false and unset, in every container list", () => {
        assertOne(control, deploy({ sc: { readOnlyRootFilesystem: false } }), ['container "app"', path, "is false"]);
        assertOne(control, deploy({ sc: { readOnlyRootFilesystem: undefined } }), [path, "is unset"]);
        assertOne(
            control,
            deploy({
                kind: "StatefulSet",
                pod: { initContainers: [container({ container: { name: "migrate" }, sc: { readOnlyRootFilesystem: undefined } })] },
            }),
            ['StatefulSet "shop/api" initContainer "migrate"'],
        );
    });

    it("handles unknown, secret and malformed values", () => {
        assertUnknown(control, deploy({ sc: { readOnlyRootFilesystem: UNKNOWN_BOOL } }), path);
        assertSecretHidden(control, deploy({ sc: { readOnlyRootFilesystem: false } }));
        assertMalformedReported(control);
        assertOne(control, deploy({ sc: { readOnlyRootFilesystem: "yes" } }), [path, "malformed"]);
    });
});
