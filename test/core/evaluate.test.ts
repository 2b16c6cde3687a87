import assert from "assert/strict";
import memory from "stride-guard/lib/controls/docker/docker-container-memory-limit";
import privileged from "stride-guard/lib/controls/kubernetes/kubernetes-no-privileged-containers";
import { resourceControl, StackFinding, stackControl } from "stride-guard/lib/contract/control";
import { evaluateResource, evaluateStack, refsText, remediateResource, resourceMemo, stackMemo } from "stride-guard/lib/engine/evaluate";
import { buildStackModel } from "stride-guard/lib/engine/stack-model";
import { clean } from "stride-guard/lib/kernel/clean";
import { defaultsOf, settingsFrom } from "stride-guard/lib/engine/settings";
import { dockerContainer, k8sContainer, podSpec, workload } from "../support/fixtures";
import { messages, run, UNKNOWN_BOOL, UNKNOWN_NUMBER } from "../support/run-control";

describe("engine/evaluate", () => {
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

    it("carries the source path of the field on the violation, as the message names it (scans place findings by it)", () => {
        const spec = podSpec({ initContainers: [k8sContainer({ name: "init", securityContext: { privileged: true } })] });
        const [v] = run(privileged, workload("Deployment", spec)).violations;
        assert.equal(v.path, "spec.template.spec.initContainers[0].securityContext.privileged");
        assert.ok(v.message.includes(`: ${v.path}: `));
        const [broken] = run(privileged, { type: "kubernetes:apps/v1:Deployment", name: "broken", props: { metadata: { name: "broken" } } }).violations;
        assert.equal(broken.path, "spec.template.spec", "a problem reading the input carries its path too");
        const sc = stackControl<Record<string, never>>({
            ...memory,
            refs: {},
            pss: undefined,
            id: "test-stack-path",
            scope: "stack",
            config: {},
            check: () => [
                { urn: "u1", subject: "s", field: "spec.replicas", message: "m" },
                { urn: "u2", subject: "s", message: "whole" },
            ],
        });
        const out = evaluateStack(sc, buildStackModel([]), defaultsOf(sc) as never);
        assert.deepEqual(
            out.violations.map((x) => x.path),
            ["spec.replicas", undefined],
        );
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

    describe("exemptions of stack controls, applied by the engine to what the control found", () => {
        const ns = (name: string, labels: Record<string, string> = {}) => ({
            type: "kubernetes:core/v1:Namespace",
            name,
            urn: `urn:pulumi:t::p::kubernetes:core/v1:Namespace::${name}`,
            props: { metadata: { name, labels } },
        });
        const dep = (name: string, namespace: string) => ({
            type: "kubernetes:apps/v1:Deployment",
            name,
            urn: `urn:pulumi:t::p::kubernetes:apps/v1:Deployment::${name}`,
            props: { metadata: { name, namespace } },
        });
        const stack = buildStackModel([ns("shop", { team: "a" }), ns("tools"), dep("api", "shop"), dep("web", "shop"), dep("cli", "tools")]);
        /** A stack control that reports what it is given, reading no setting. */
        const reporting = (findings: readonly StackFinding[]) =>
            stackControl<Record<string, never>>({ ...defaults, scope: "stack", id: "test-stack", config: {}, check: () => findings });
        const defaults = { ...memory, refs: {}, pss: undefined };
        const at = (urn: string, extra: Partial<StackFinding> = {}): StackFinding => ({
            urn,
            subject: urn.slice(urn.lastIndexOf(":") + 1),
            message: "bad.",
            ...extra,
        });
        const urns = (c: ReturnType<typeof reporting>, s: object) =>
            evaluateStack(c, stack, { ...defaultsOf(c), ...s } as never, [], stackMemo(stack)).violations.map((v) => v.urn.slice(v.urn.lastIndexOf(":") + 1));
        const each = reporting(stack.resources.map((r) => at(r.urn)));

        it("drops findings on exempt resources by name, namespace and label, and keeps the others", () => {
            assert.deepEqual(urns(each, {}), ["shop", "tools", "api", "web", "cli"]);
            assert.deepEqual(urns(each, { excludeNames: ["we*"] }), ["shop", "tools", "api", "cli"]);
            // A Namespace is in the namespace it names.
            assert.deepEqual(urns(each, { excludeNamespaces: ["shop"] }), ["tools", "cli"]);
            assert.deepEqual(urns(each, { excludeLabels: { team: "*" } }), ["tools", "api", "web", "cli"]);
            assert.deepEqual(urns(each, { excludeNames: ["*"] }), []);
        });

        it("matches the other names a finding gives (a host's address), and findings on no resource by those alone", () => {
            const host = reporting([at("", { names: ["10.0.0.5"] }), at(stack.resources[4].urn, { names: ["10.0.0.6"] })]);
            assert.equal(urns(host, {}).length, 2);
            assert.deepEqual(urns(host, { excludeNames: ["10.0.0.5"] }), ["cli"]);
            assert.deepEqual(urns(host, { excludeNames: ["10.0.0.6"] }), [""]);
        });

        it("drops a group finding when its members are all exempt, and moves it off an exempt member", () => {
            const api = stack.resources[2].urn;
            const web = stack.resources[3].urn;
            const onMember = reporting([at(api, { covers: [api, web] })]);
            assert.deepEqual(urns(onMember, { excludeNames: ["api"] }), ["web"]);
            assert.deepEqual(urns(onMember, { excludeNames: ["api", "web"] }), []);
            const onNamespace = reporting([at(stack.resources[0].urn, { covers: [api, web] })]);
            assert.deepEqual(urns(onNamespace, { excludeNames: ["api"] }), ["shop"]);
            assert.deepEqual(urns(onNamespace, { excludeNames: ["api", "web"] }), []);
            assert.deepEqual(urns(onNamespace, { excludeNames: ["shop"] }), []);
        });
    });
});
