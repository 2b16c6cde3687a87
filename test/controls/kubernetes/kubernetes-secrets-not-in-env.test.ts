import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-secrets-not-in-env";
import { assertMalformedReported, assertOne, assertPasses, assertUnknown, deploy } from "../../support/kubernetes-fixtures";
import { messages, secret, UNKNOWN_STRING } from "../../support/run-control";

const c0 = "spec.template.spec.containers[0]";

describe("kubernetes-secrets-not-in-env", () => {
    it("passes plain, ConfigMap and field env", () => {
        assertPasses(control, deploy());
        assertPasses(
            control,
            deploy({
                container: {
                    env: [
                        { name: "MODE", value: "prod" },
                        { name: "CFG", valueFrom: { configMapKeyRef: { name: "c", key: "k" } } },
                    ],
                    envFrom: [{ configMapRef: { name: "c" } }],
                },
            }),
        );
    });

    it("flags secretKeyRef and envFrom secretRef, each at its path", () => {
        assertOne(
            control,
            deploy({
                container: {
                    env: [
                        { name: "A", value: "1" },
                        { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "pw" } } },
                    ],
                },
            }),
            ['container "app"', `${c0}.env[1].valueFrom.secretKeyRef`, '"DB_PASSWORD"', "CIS Kubernetes 5.4.1"],
        );
        assertOne(control, deploy({ container: { envFrom: [{ secretRef: { name: "all" } }] } }), [`${c0}.envFrom[0].secretRef`, "whole Secret"]);
        assert.equal(
            messages(
                control,
                deploy({ container: { env: [{ name: "T", valueFrom: { secretKeyRef: { name: "s", key: "t" } } }], envFrom: [{ secretRef: { name: "s" } }] } }),
            ).length,
            2,
        );
    });

    it("handles unknown, secret and malformed values", () => {
        assertUnknown(control, deploy({ container: { env: [{ name: "T", valueFrom: UNKNOWN_STRING }] } }), `${c0}.env`);
        const m = messages(
            control,
            deploy({ container: { env: [{ name: secret("HIDDEN_VAR_NAME"), valueFrom: { secretKeyRef: { name: "s", key: "t" } } }] } }),
        );
        assert.equal(m.length, 1);
        assert.ok(!m[0].includes("HIDDEN_VAR_NAME"), m[0]);
        assertMalformedReported(control);
        assertOne(control, deploy({ container: { env: "A=1" } }), [`${c0}.env`, "malformed: expected an array, got a string"]);
    });
});
