import assert from "assert/strict";
import { subjectsOf } from "stride-guard/lib/adapters/index";
import { kubernetesPodModel, podKindOfType } from "stride-guard/lib/adapters/kubernetes/workload";
import { quantity } from "stride-guard/lib/adapters/kubernetes/quantity";
import { Invalid, UNKNOWN } from "stride-guard/lib/kernel/values";
import { clean } from "stride-guard/lib/kernel/clean";
import { workload } from "../support/fixtures";
import { container, deploy, POD_BEARING_KINDS } from "../support/kubernetes-fixtures";
import { UNKNOWN_STRING } from "../support/run-control";

const model = (res: { type: string; name: string; props: unknown }) => kubernetesPodModel(podKindOfType(res.type)!, clean(res.props).value, res.name);

describe("adapters/kubernetes/workload", () => {
    it("recognizes every pod-bearing kind in any API version, and nothing else", () => {
        assert.equal(podKindOfType("kubernetes:apps/v1:Deployment"), "Deployment");
        assert.equal(podKindOfType("kubernetes:extensions/v1beta1:Deployment"), "Deployment");
        assert.equal(podKindOfType("kubernetes:batch/v1beta1:CronJob"), "CronJob");
        assert.equal(podKindOfType("kubernetes:core/v1:PodTemplate"), "PodTemplate");
        assert.equal(podKindOfType("kubernetes:core/v1:Service"), undefined);
        assert.equal(podKindOfType("kubernetes:apps/v1:DeploymentPatch"), undefined);
        assert.equal(podKindOfType("docker:index/container:Container"), undefined);
        // Malformed tokens ending in a pod-bearing kind are still rejected.
        for (const t of [
            "Deployment",
            ":Deployment",
            "kubernetes:Deployment",
            "kubernetes:apps:Deployment",
            "kubernetes:apps/1:Deployment",
            "kubernetes:apps/v1:x:Deployment",
            "kubernetes:apps/v1:Deployment\n",
            "kubernetes:apps/v1: Deployment",
            "pulumi:apps/v1:Deployment",
            "kubernetes:apps/v1:constructor",
            "kubernetes:apps/v1:__proto__",
            "kubernetes:apps/v1:hasOwnProperty",
        ])
            assert.equal(podKindOfType(t), undefined, t);
    });

    it("lets the container's securityContext override the pod's, and says where each value came from", () => {
        const res = deploy({
            sc: { runAsUser: undefined, runAsNonRoot: undefined, seccompProfile: { type: "Localhost", localhostProfile: "p.json" } },
            pod: {
                securityContext: {
                    runAsUser: 1000,
                    runAsGroup: 3000,
                    runAsNonRoot: true,
                    seccompProfile: { type: "Unconfined" },
                    seLinuxOptions: { type: "spc_t", user: "u" },
                    appArmorProfile: { type: "RuntimeDefault" },
                    windowsOptions: { hostProcess: true },
                },
            },
        });
        const [c] = model(res).containers;
        const sc = "spec.template.spec.containers[0].securityContext";
        const pod = "spec.template.spec.securityContext";
        assert.equal(c.runAsUser, 1000);
        assert.equal(c.paths.runAsUser, `${pod}.runAsUser`);
        assert.equal(c.runAsGroup, 3000);
        assert.equal(c.runAsNonRoot, true);
        assert.equal(c.paths.runAsNonRoot, `${pod}.runAsNonRoot`);
        assert.equal(c.seccompProfileType, "Localhost", "the container's whole profile wins");
        assert.equal(c.paths.seccompProfileType, `${sc}.seccompProfile.type`);
        assert.equal(c.seLinuxType, "spc_t");
        assert.equal(c.seLinuxUser, "u");
        assert.equal(c.paths.seLinuxUser, `${pod}.seLinuxOptions.user`);
        assert.equal(c.appArmorProfileType, "RuntimeDefault");
        assert.equal(c.windowsHostProcess, true);
        assert.equal(c.paths.windowsHostProcess, `${pod}.windowsOptions.hostProcess`);
    });

    it("merges windowsOptions field by field and seLinuxOptions as a whole", () => {
        const res = deploy({
            sc: { windowsOptions: { runAsUserName: "app" }, seLinuxOptions: { level: "s0:c1,c2" } },
            pod: { securityContext: { windowsOptions: { hostProcess: true }, seLinuxOptions: { type: "spc_t" } } },
        });
        const [c] = model(res).containers;
        assert.equal(c.windowsHostProcess, true, "hostProcess is inherited although the container has windowsOptions");
        assert.equal(c.seLinuxType, undefined, "the container's seLinuxOptions replace the pod's");
    });

    it("reads resources, treating a missing request as equal to the limit (the API default)", () => {
        const res = deploy({ container: { resources: { limits: { cpu: "500m", memory: "1Gi" }, requests: { memory: "256Mi" } } } });
        const [c] = model(res).containers;
        assert.equal(c.cpuRequestCores, 0.5);
        assert.equal(c.paths.cpuRequestCores, "spec.template.spec.containers[0].resources.limits.cpu");
        assert.equal(c.memoryRequestBytes, 256 * 2 ** 20);
        assert.equal(c.memoryLimitBytes, 2 ** 30);
        assert.equal(quantity("1.5G"), 1.5e9);
        assert.ok(quantity("12 apples") instanceof Invalid);
    });

    it("lists host ports, secret env and the AppArmor annotation with their paths", () => {
        const res = workload("Pod", {
            containers: [
                container({
                    container: {
                        command: ["kube-apiserver"],
                        args: ["--profiling=false"],
                        ports: [{ containerPort: 80 }, { containerPort: 443, hostPort: 8443 }, { containerPort: 53, hostPort: 0 }],
                        env: [
                            { name: "A", value: "x" },
                            { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "pw" } } },
                        ],
                        envFrom: [{ configMapRef: { name: "cfg" } }, { secretRef: { name: "all" } }],
                    },
                }),
            ],
        });
        (res.props as { metadata: Record<string, unknown> }).metadata.annotations = { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" };
        const [c] = model(res).containers;
        assert.deepEqual(c.command, ["kube-apiserver"]);
        assert.deepEqual(c.args, ["--profiling=false"]);
        assert.deepEqual(c.hostPorts, [{ value: 8443, path: "spec.containers[0].ports[1].hostPort" }]);
        assert.deepEqual(c.secretEnv, [
            { value: "DB_PASSWORD", path: "spec.containers[0].env[1].valueFrom.secretKeyRef" },
            { value: "envFrom", path: "spec.containers[0].envFrom[1].secretRef" },
        ]);
        assert.equal(c.appArmorAnnotation, "unconfined");
        assert.equal(c.paths.appArmorAnnotation, 'metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]');
    });

    it("reads the AppArmor annotation from the pod template's metadata of every kind", () => {
        const where: Record<string, string> = { Pod: "metadata", PodTemplate: "template.metadata", CronJob: "spec.jobTemplate.spec.template.metadata" };
        for (const kind of POD_BEARING_KINDS) {
            const res = deploy({ kind });
            const meta = (where[kind] ?? "spec.template.metadata")
                .split(".")
                .reduce((o: Record<string, unknown>, k) => o[k] as Record<string, unknown>, res.props as Record<string, unknown>);
            meta.annotations = { "container.apparmor.security.beta.kubernetes.io/app": "localhost/prof" };
            const [c] = model(res).containers;
            assert.equal(c.appArmorAnnotation, "localhost/prof", kind);
            assert.equal(
                c.paths.appArmorAnnotation,
                `${where[kind] ?? "spec.template.metadata"}.annotations["container.apparmor.security.beta.kubernetes.io/app"]`,
            );
        }
    });

    it("reads pod-level fields other areas need: namespace, service account, labels, volumes, sysctls, OS", () => {
        const res = deploy({
            kind: "CronJob",
            pod: {
                serviceAccountName: "builder",
                os: { name: "linux" },
                volumes: [{ name: "data", hostPath: { path: "/var/lib" } }, { name: "tmp" }],
                securityContext: { sysctls: [{ name: "net.core.somaxconn", value: "1024" }] },
            },
        });
        const p = model(res);
        assert.equal(p.kind, "CronJob");
        assert.equal(p.namespace, "shop");
        assert.equal(p.specPath, "spec.jobTemplate.spec.template.spec");
        assert.equal(p.serviceAccountName, "builder");
        assert.equal(p.os, "linux");
        assert.deepEqual(p.labels, { app: "api" });
        assert.deepEqual(p.volumes, [
            { name: "data", types: ["hostPath"], path: "spec.jobTemplate.spec.template.spec.volumes[0]" },
            { name: "tmp", types: [], path: "spec.jobTemplate.spec.template.spec.volumes[1]" },
        ]);
        assert.deepEqual(p.sysctls, [{ value: "net.core.somaxconn", path: "spec.jobTemplate.spec.template.spec.securityContext.sysctls[0].name" }]);
    });

    it("marks unknown values and malformed entries instead of guessing", () => {
        const res = deploy({ container: { ports: [UNKNOWN_STRING], env: "nope" } });
        const [c] = model(res).containers;
        assert.equal(c.hostPorts, UNKNOWN);
        assert.ok(c.secretEnv instanceof Invalid);
        const unknownSpec = model(workload("Deployment", UNKNOWN_STRING as never));
        assert.equal(unknownSpec.containers.length, 1);
        assert.equal(unknownSpec.containers[0].privileged, UNKNOWN);
        assert.equal(unknownSpec.hostNetwork, UNKNOWN);
    });

    it("lists the pod's securityContext defaults that every container overrides, and only those", () => {
        const res = deploy({
            pod: { securityContext: { runAsNonRoot: true, runAsUser: 0, seccompProfile: { type: "Unconfined" }, seLinuxOptions: { user: "u" } } },
        });
        const p = model(res);
        assert.deepEqual(
            Object.keys(p.overriddenDefaults).sort(),
            ["runAsNonRoot", "runAsUser", "seccompProfileType"],
            "seLinuxOptions is inherited by the container",
        );
        assert.deepEqual(p.overriddenDefaults.runAsUser, { value: 0, path: "spec.template.spec.securityContext.runAsUser" });
        const inherits = model(deploy({ pod: { securityContext: { runAsUser: 0, runAsNonRoot: true } }, sc: { runAsUser: undefined } }));
        assert.deepEqual(Object.keys(inherits.overriddenDefaults), ["runAsNonRoot"]);
    });

    it("parses a resource input once for every control that reads it", () => {
        const r = deploy();
        const res = { type: r.type, name: r.name, urn: "urn:api", props: clean(r.props).value };
        assert.equal(subjectsOf("pod", res).subjects[0].model, subjectsOf("pod", res).subjects[0].model);
    });
});
