import assert from "assert/strict";
import memory from "stride-guard/lib/controls/docker/docker-container-memory-limit";
import privileged from "stride-guard/lib/controls/kubernetes/kubernetes-no-privileged-containers";
import { resourceControl } from "stride-guard/lib/core/control";
import { evaluateResource, refsText, remediateResource, resourceMemo } from "stride-guard/lib/core/evaluate";
import { clean } from "stride-guard/lib/core/values";
import { defaultsOf, settingsFrom } from "stride-guard/lib/pack";
import { dockerContainer, k8sContainer, podSpec, workload } from "../support/fixtures";
import { messages, run, UNKNOWN_BOOL, UNKNOWN_NUMBER } from "../support/run-control";

describe("core/evaluate", () => {
    it("composes subject, source path, message and benchmark ids", () => {
        const [m] = messages(memory, dockerContainer({ memory: undefined }));
        assert.match(m, /^Docker container "web": memory: no memory limit is set/);
        assert.match(m, /\[CIS Docker 5\.11 \(legacy 5\.10\)\]$/);
        assert.equal(refsText(privileged), "CIS Kubernetes 5.2.2; PSS baseline");
    });

    it("names the Kubernetes object, container and exact path", () => {
        const spec = podSpec({ initContainers: [k8sContainer({ name: "init", securityContext: { privileged: true } })] });
        const [m] = messages(privileged, workload("Deployment", spec));
        assert.match(m, /^Deployment "shop\/api" initContainer "init": spec\.template\.spec\.initContainers\[0\]\.securityContext\.privileged: /);
    });

    it("routes unknowns by the unknownValues setting", () => {
        const r = dockerContainer({ memory: UNKNOWN_NUMBER });
        assert.deepEqual(run(memory, r).violations, []);
        assert.deepEqual(run(memory, r).unknownPaths, ["memory"]);
        const failed = run(memory, r, { unknownValues: "fail" });
        assert.equal(failed.violations.length, 1);
        assert.equal(failed.violations[0].unknown, true);
        assert.match(failed.violations[0].message, /memory: is unknown at preview/);
        assert.deepEqual(run(memory, r, { unknownValues: "pass" }), { violations: [], unknownPaths: [] });
    });

    it("reports a whole unknown container list as unknown, not as a pass", () => {
        const out = run(privileged, workload("Pod", podSpec({ containers: UNKNOWN_BOOL as never })));
        assert.equal(out.unknownPaths.length, 1);
    });

    it("reports malformed pod specs instead of skipping them", () => {
        const [m] = messages(privileged, { type: "kubernetes:apps/v1:Deployment", name: "broken", props: { metadata: { name: "broken" } } });
        assert.match(m, /Deployment "broken": spec\.template\.spec: cannot be checked: the pod spec is missing/);
        const [n] = messages(privileged, workload("Pod", podSpec({ containers: [null, 3] as never })));
        assert.match(n, /containers\[0\]: cannot be checked: expected a container object, got null/);
    });

    it("ignores resources of other types", () => {
        assert.deepEqual(messages(memory, workload("Pod")), []);
        assert.deepEqual(messages(privileged, dockerContainer({ privileged: true })), []);
    });

    it("applies exemptions by name, namespace and label", () => {
        const bad = workload("Deployment", podSpec({ containers: [k8sContainer({ securityContext: { privileged: true } })] }));
        assert.equal(messages(privileged, bad).length, 1);
        assert.equal(messages(privileged, bad, { excludeNames: ["ap*"] }).length, 0);
        assert.equal(messages(privileged, bad, { excludeNamespaces: ["shop"] }).length, 0);
        assert.equal(messages(privileged, bad, { excludeLabels: { app: "api" } }).length, 0);
    });

    it("turns a throwing check into a failing finding, never an exception", () => {
        const throwing = resourceControl<"dockerContainer", Record<string, never>>({
            ...memory,
            config: {},
            remediate: undefined,
            check() {
                throw new TypeError("boom");
            },
        });
        const [m] = messages(throwing, dockerContainer());
        assert.match(m, /could not be checked \(TypeError\)/);
    });

    it("uses a caller's memo for its own input only, with the same outcome as without one", () => {
        const input = (props: unknown) => ({ type: "docker:index/container:Container", name: "web", urn: "urn:x", props: clean(props).value });
        const bad = input(dockerContainer({ memory: undefined, privileged: true }).props);
        const good = input(dockerContainer().props);
        const s = settingsFrom(defaultsOf(memory), {}) as never;
        const memo = resourceMemo(bad);
        const without = evaluateResource(memory, bad, s);
        assert.equal(without.violations.length, 1);
        assert.deepEqual(evaluateResource(memory, bad, s, [], memo), without);
        assert.equal(memo.adapted.size, 1, "the subjects are kept in the memo");
        assert.ok(memo.scope !== undefined, "the exemption scope is kept in the memo");
        assert.equal(evaluateResource(privileged, bad, s, [], memo).violations.length, 0, "a Kubernetes control finds no subject in a Docker container");
        // A memo of another input is ignored: the good container is judged on its own props.
        assert.deepEqual(evaluateResource(memory, good, s, [], memo), { violations: [], unknownPaths: [] });
        assert.equal(remediateResource(memory, good, dockerContainer().props, s, memo), undefined);
        assert.ok(remediateResource(memory, bad, dockerContainer({ memory: undefined }).props, s, memo));
        assert.equal(memo.adapted.size, 2);
    });
});
