import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-no-privileged-containers";
import { workload } from "../../support/fixtures";
import {
    assertMalformedReported,
    assertOne,
    assertPasses,
    assertRemediates,
    container,
    deploy,
    dig,
    outcome,
    POD_BEARING_KINDS,
    withSecretName,
} from "../../support/kubernetes-fixtures";
import { messages, remediate, run, secret, UNKNOWN_BOOL } from "../../support/run-control";

const privileged = { sc: { privileged: true } };

describe("kubernetes-no-privileged-containers", () => {
    it("passes a hardened workload of every pod-bearing kind", () => {
        for (const kind of POD_BEARING_KINDS) assertPasses(control, deploy({ kind }));
    });

    it("flags a privileged container in every pod-bearing kind, at that kind's path", () => {
        const where: Record<string, string> = {
            Pod: "spec.containers[0]",
            PodTemplate: "template.spec.containers[0]",
            CronJob: "spec.jobTemplate.spec.template.spec.containers[0]",
        };
        for (const kind of POD_BEARING_KINDS) {
            const path = `${where[kind] ?? "spec.template.spec.containers[0]"}.securityContext.privileged`;
            assertOne(control, deploy({ kind, ...privileged }), [`${kind} "shop/api" container "app"`, path, "CIS Kubernetes 5.2.2", "PSS baseline"]);
        }
    });

    it("checks initContainers and ephemeralContainers too", () => {
        const init = deploy({ pod: { initContainers: [container({ container: { name: "setup" }, ...privileged })] } });
        assertOne(control, init, ['initContainer "setup"', "spec.template.spec.initContainers[0].securityContext.privileged"]);
        const eph = deploy({ kind: "Pod", pod: { ephemeralContainers: [container({ container: { name: "debug" }, ...privileged })] } });
        assertOne(control, eph, ['ephemeralContainer "debug"', "spec.ephemeralContainers[0].securityContext.privileged"]);
    });

    it('accepts the string "true" of a manifest as privileged', () => {
        assertOne(control, deploy({ sc: { privileged: "true" } }), ["is privileged"]);
    });

    it("reports an unknown preview value as an unknown path, and as a violation under unknownValues: fail", () => {
        const res = deploy({ sc: { privileged: UNKNOWN_BOOL } });
        assert.deepEqual(outcome(control, res), { violations: [], unknownPaths: ["spec.template.spec.containers[0].securityContext.privileged"] });
        const failed = run(control, res, { unknownValues: "fail" }).violations;
        assert.equal(failed.length, 1);
        assert.equal(failed[0].unknown, true);
        assert.match(failed[0].message, /unknown at preview/);
    });

    it("treats a whole unknown container list as unknown", () => {
        const res = workload("Deployment", { containers: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" });
        assert.deepEqual(run(control, res).unknownPaths, ["spec.template.spec.containers"]);
    });

    it("never shows a secret", () => {
        const { res, secretValue } = withSecretName(deploy(privileged));
        const m = messages(control, res);
        assert.equal(m.length, 1);
        assert.ok(!m.some((x) => x.includes(secretValue)));
        assert.match(m[0], /\[secret\]/);
    });

    it("reports malformed input without throwing", () => {
        assertMalformedReported(control);
        assertOne(control, deploy({ sc: { privileged: 1 } }), ["securityContext.privileged", "malformed: expected a boolean, got a number"]);
        assertOne(control, deploy({ container: { securityContext: "yes" } }), ["securityContext.privileged", "malformed"]);
    });

    it("follows the PSS level of the namespace: off where the level is privileged", () => {
        assertPasses(control, deploy(privileged), { namespaceLevels: { shop: "privileged" } });
        assertOne(control, deploy(privileged), ["is privileged"], { namespaceLevels: { shop: "baseline" } });
        assertOne(control, deploy({ ...privileged, namespace: "other" }), ["is privileged"], { namespaceLevels: { shop: "privileged" } });
        assertPasses(control, deploy(privileged), { level: "privileged" });
    });

    it("remediates to privileged: false in the container's own securityContext", () => {
        assertRemediates(control, deploy(privileged), { "spec.template.spec.containers[0].securityContext.privileged": false });
    });

    it("keeps secret wrappers of untouched branches through a remediation", () => {
        const wrapped = secret("hunter2");
        const res = deploy({ ...privileged, container: { env: [{ name: "TOKEN", value: wrapped }] } });
        const fixed = remediate(control, res);
        assert.equal(dig(fixed, "spec.template.spec.containers[0].env[0].value"), wrapped);
        assert.equal(dig(fixed, "spec.template.spec.containers[0].securityContext.privileged"), false);
    });
});
