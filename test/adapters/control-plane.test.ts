import assert from "assert/strict";
import { stringify } from "yaml";
import { controlPlaneOf } from "stride-guard/lib/adapters/kubernetes/control-plane";
import { buildStackModel, StackResourceInput } from "stride-guard/lib/core/stack";
import { clean, UNKNOWN } from "stride-guard/lib/core/values";
import { Component, lastSetting } from "stride-guard/lib/model/control-plane";
import {
    args,
    controlPlaneDockerContainer,
    controlPlaneNode,
    controlPlanePod,
    HARDENED,
    hostFile,
    kubeletConfig,
    staticPodYaml,
} from "../support/control-plane-fixtures";
import { Res, UNKNOWN_STRING, urnOf } from "../support/run-control";
import { runStack } from "../stacks/support";

function model(resources: readonly Res[]) {
    const inputs: StackResourceInput[] = resources.map((r) => ({ type: r.type, name: r.name, urn: urnOf(r), props: clean(r.props).value, parent: r.parent }));
    return buildStackModel(inputs).controlPlane;
}
const value = (c: Component, flag: string) => lastSetting(c, flag)?.value;

describe("control-plane adapter", () => {
    it("finds every component of a kubeadm-style node, with labels and hosts", () => {
        const m = model(controlPlaneNode());
        assert.deepEqual(m.components.map((c) => c.kind).sort(), ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet"]);
        const api = m.components.find((c) => c.kind === "kube-apiserver")!;
        assert.equal(api.label, "kube-apiserver (static Pod /etc/kubernetes/manifests/kube-apiserver.yaml on 10.0.0.5)");
        assert.equal(api.host, "10.0.0.5");
        assert.equal(api.argsAt, "spec.containers[0].command");
        assert.equal(value(api, "anonymous-auth"), "false");
        assert.equal(lastSetting(api, "anonymous-auth")?.where, "spec.containers[0].command[1]");
        assert.deepEqual(m.problems, []);
        assert.ok(m.files.get("/etc/kubernetes/audit-policy.yaml")?.[0].docs);
    });

    it("maps KubeletConfiguration fields to flags and adds the config file's defaults", () => {
        const k = model([
            hostFile(
                "/var/lib/kubelet/config.yaml",
                stringify({
                    kind: "KubeletConfiguration",
                    apiVersion: "kubelet.config.k8s.io/v1beta1",
                    podPidsLimit: 100,
                    featureGates: { A: true, B: false },
                    tlsCipherSuites: ["X", "Y"],
                }),
            ),
        ]).components[0];
        assert.equal(value(k, "pod-max-pids"), "100");
        assert.equal(value(k, "feature-gates"), "A=true,B=false");
        assert.equal(value(k, "tls-cipher-suites"), "X,Y");
        assert.equal(value(k, "anonymous-auth"), "false");
        assert.equal(lastSetting(k, "anonymous-auth")?.origin, "kubelet config default");
        assert.equal(value(k, "read-only-port"), "0");
        assert.equal(value(k, "client-ca-file"), undefined);
        assert.equal(k.fieldNames?.["pod-max-pids"], "podPidsLimit");
    });

    it("reads kubeadm ClusterConfiguration (map and list extraArgs), external etcd and kubelet extra args, with kubeadm defaults", () => {
        const doc = [
            "apiVersion: kubeadm.k8s.io/v1beta4",
            "kind: ClusterConfiguration",
            "apiServer:",
            "  extraArgs:",
            "  - {name: enable-admission-plugins, value: NodeRestriction}",
            "  - {name: enable-admission-plugins, value: EventRateLimit}",
            "  - {name: audit-log-maxage, value: 30}",
            "etcd:",
            "  external:",
            "    endpoints: [https://etcd:2379]",
            "    caFile: /etc/etcd/ca.crt",
            "    certFile: /etc/etcd/client.crt",
            "    keyFile: /etc/etcd/client.key",
            "controllerManager:",
            "  extraArgs: {bind-address: 0.0.0.0}",
            "---",
            "apiVersion: kubeadm.k8s.io/v1beta4",
            "kind: InitConfiguration",
            "nodeRegistration:",
            "  kubeletExtraArgs:",
            "  - {name: read-only-port, value: '10255'}",
        ].join("\n");
        const m = model([hostFile("/etc/kubernetes/kubeadm.yaml", doc)]);
        assert.deepEqual(
            m.components.map((c) => c.kind),
            ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet"],
        );
        const [api, cm, , kubelet] = m.components;
        assert.deepEqual(
            api.settings.get("enable-admission-plugins")?.map((s) => s.value),
            ["NodeRestriction", "EventRateLimit"],
        );
        assert.equal(value(api, "audit-log-maxage"), "30");
        assert.equal(value(api, "etcd-cafile"), "/etc/etcd/ca.crt");
        assert.equal(lastSetting(api, "etcd-cafile")?.where, "document 1: etcd.external.caFile");
        assert.equal(value(api, "authorization-mode"), "Node,RBAC");
        assert.equal(lastSetting(api, "authorization-mode")?.origin, "kubeadm default");
        assert.equal(value(cm, "bind-address"), "0.0.0.0");
        assert.equal(cm.settings.get("bind-address")?.length, 1);
        assert.equal(value(kubelet, "read-only-port"), "10255");
        assert.equal(value(kubelet, "rotate-certificates"), "true");
    });

    it("finds components in Pod resources, Docker containers, sh -c scripts, images and systemd units", () => {
        const shPod: Res = {
            type: "kubernetes:apps/v1:Deployment",
            name: "hosted",
            props: {
                metadata: { name: "hosted", namespace: "tenant" },
                spec: {
                    template: {
                        spec: { containers: [{ name: "api", image: "busybox", command: ["/bin/sh", "-c", "exec kube-apiserver --profiling=false"] }] },
                    },
                },
            },
        };
        const imagePod: Res = {
            type: "kubernetes:core/v1:Pod",
            name: "sched",
            props: { spec: { containers: [{ name: "s", image: "registry.k8s.io/kube-scheduler:v1.34.1@sha256:abc", args: ["--profiling=false"] }] } },
        };
        const unit = hostFile(
            "/etc/systemd/system/kubelet.service",
            "[Service]\nExecStart=/usr/bin/kubelet \\\n  --anonymous-auth=false \\\n  --read-only-port=0\n",
        );
        const m = model([shPod, imagePod, unit, controlPlaneDockerContainer("etcd", ["--client-cert-auth"])]);
        const byKind = Object.fromEntries(m.components.map((c) => [c.kind, c]));
        assert.equal(byKind["kube-apiserver"].label, 'kube-apiserver (Deployment "tenant/hosted" container "api")');
        assert.equal(lastSetting(byKind["kube-apiserver"], "profiling")?.where, "spec.template.spec.containers[0].command[2]");
        assert.equal(byKind["kube-scheduler"].argsAt, "spec.containers[0].args");
        assert.equal(lastSetting(byKind["kube-scheduler"], "profiling")?.where, "spec.containers[0].args[0]");
        assert.equal(value(byKind.kubelet, "read-only-port"), "0");
        assert.equal(byKind.kubelet.label, "kubelet (systemd unit /etc/systemd/system/kubelet.service on 10.0.0.5)");
        assert.equal(value(byKind.etcd, "client-cert-auth"), "true");
        assert.equal(byKind.etcd.argsAt, "command");
    });

    it("recognises a component from the executable or the image, never from a flag's value", () => {
        // Shaped like an operator whose flags name the kubelet Service it manages.
        const operator: Res = {
            type: "kubernetes:apps/v1:Deployment",
            name: "operator",
            props: {
                metadata: { name: "operator", namespace: "monitoring" },
                spec: {
                    template: {
                        spec: {
                            containers: [
                                {
                                    name: "op",
                                    image: "quay.io/example/some-operator:v0.1.0",
                                    args: ["--kubelet-service=kube-system/kubelet", "--log-level=info"],
                                },
                                { name: "sh", image: "busybox", command: ["sh", "-c", "exec /bin/op --kubelet-service kube-system/kubelet --etcd=/x/etcd"] },
                                { name: "cmd", image: "busybox", command: ["/bin/op"], args: ["--target=/usr/bin/kube-apiserver"] },
                            ],
                        },
                    },
                },
            },
        };
        assert.deepEqual(model([operator]).components, []);
        // A word in executable position still counts: the first argument of an image without an entrypoint.
        const bare: Res = {
            type: "kubernetes:core/v1:Pod",
            name: "sched",
            props: {
                metadata: { namespace: "kube-system" },
                spec: { containers: [{ name: "s", image: "busybox", args: ["/usr/local/bin/kube-scheduler", "--profiling=true"] }] },
            },
        };
        const sh: Res = {
            type: "kubernetes:core/v1:Pod",
            name: "api",
            props: { spec: { containers: [{ name: "a", image: "busybox", command: ["sh", "-c", "mkdir -p /x; FOO=1 kube-apiserver --profiling=false"] }] } },
        };
        assert.deepEqual(
            model([bare, sh]).components.map((c) => c.kind),
            ["kube-scheduler", "kube-apiserver"],
        );
    });

    it("keeps an etcd that is the cluster's, not an application's own", () => {
        const etcd = (ns: string | undefined, name: string): Res => ({
            type: "kubernetes:apps/v1:StatefulSet",
            name,
            props: {
                metadata: ns === undefined ? { name } : { name, namespace: ns },
                spec: {
                    template: { spec: { containers: [{ name: "etcd", image: "quay.io/coreos/etcd:v3.5.9", command: ["etcd", "--data-dir=/var/etcd"] }] } },
                },
            },
        });
        const kinds = (rs: readonly Res[]) => model(rs).components.map((c) => `${c.kind} ${c.label}`);
        // An application's etcd (shaped like a sharded database's topology store) in its own namespace, or with none.
        assert.deepEqual(kinds([etcd("db", "app-etcd"), etcd(undefined, "plain-etcd")]), []);
        assert.deepEqual(kinds([controlPlaneDockerContainer("etcd", ["--data-dir=/data"])]), []);
        // kube-system, or beside a kube-apiserver: in its namespace (a hosted control plane), anywhere for Docker.
        assert.deepEqual(kinds([etcd("kube-system", "etcd")]), ['etcd etcd (StatefulSet "kube-system/etcd" container "etcd")']);
        const hostedApi = {
            ...controlPlanePod("kube-apiserver", ["--profiling=false"]),
            props: { metadata: { name: "api", namespace: "tenant" }, spec: { containers: [{ name: "api", image: "busybox", command: ["kube-apiserver"] }] } },
        };
        assert.deepEqual(
            kinds([etcd("tenant", "tenant-etcd"), etcd("db", "app-etcd"), hostedApi]).filter((k) => k.startsWith("etcd")),
            ['etcd etcd (StatefulSet "tenant/tenant-etcd" container "etcd")'],
        );
        assert.deepEqual(
            kinds([controlPlaneDockerContainer("etcd", ["--data-dir=/data"]), controlPlaneDockerContainer("kube-apiserver", [])])
                .map((k) => k.split(" ")[0])
                .sort(),
            ["etcd", "kube-apiserver"],
        );
        // Static Pod manifests are the cluster's wherever they say they run.
        assert.deepEqual(model(controlPlaneNode()).components.filter((c) => c.kind === "etcd").length, 1);
    });

    it("expands a systemd drop-in's Environment= variables, and opens the kubelet on variables it cannot see", () => {
        const dropIn = [
            "[Service]",
            'Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"',
            'Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"',
            "EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env",
            "ExecStart=",
            "ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS ${KUBELET_KUBEADM_ARGS}",
        ].join("\n");
        const m = model([
            hostFile("/etc/systemd/system/kubelet.service.d/10-kubeadm.conf", dropIn),
            hostFile("/var/lib/kubelet/config.yaml", stringify(kubeletConfig())),
        ]);
        assert.equal(m.components.length, 1);
        const k = m.components[0];
        assert.equal(k.label, "kubelet (systemd unit /etc/systemd/system/kubelet.service.d/10-kubeadm.conf on 10.0.0.5)");
        assert.equal(value(k, "kubeconfig"), "/etc/kubernetes/kubelet.conf");
        assert.equal(value(k, "anonymous-auth"), "false");
        assert.equal(lastSetting(k, "anonymous-auth")?.where, "/var/lib/kubelet/config.yaml: authentication.anonymous.enabled");
        assert.equal(k.open, true);
    });

    it("merges a kubelet's --config file under its flags and drops the file as a separate component", () => {
        const m = model([
            hostFile("/var/lib/kubelet/config.yaml", stringify(kubeletConfig())),
            controlPlaneDockerContainer("kubelet", ["--config=/var/lib/kubelet/config.yaml", "--read-only-port=10255"]),
        ]);
        assert.equal(m.components.length, 1);
        const k = m.components[0];
        assert.equal(value(k, "read-only-port"), "10255");
        assert.equal(value(k, "pod-max-pids"), "4096");
        assert.equal(lastSetting(k, "pod-max-pids")?.where, "/var/lib/kubelet/config.yaml: podPidsLimit");
        assert.equal(k.open, false);
    });

    it("finds each kubelet's --config file on its own host, or the first one written anywhere when its host is unknown", () => {
        const path = "/var/lib/kubelet/config.yaml";
        const spaced = "/etc/kubelet conf/config.yaml";
        const unit = (host: string, config: string) =>
            hostFile("/etc/systemd/system/kubelet.service", `[Service]\nExecStart=/usr/bin/kubelet "--config=${config}"\n`, { host, name: `unit-${host}` });
        const nodes = [
            hostFile(path, stringify(kubeletConfig({ podPidsLimit: 1000 })), { host: "10.0.0.7", name: "a" }),
            hostFile(path, stringify(kubeletConfig({ podPidsLimit: 2000 })), { host: "10.0.0.8", name: "b" }),
            unit("10.0.0.8", path),
            unit("10.0.0.6", path),
            controlPlaneDockerContainer("kubelet", [`--config=${path}`], "k-any"),
            controlPlaneDockerContainer("kubelet", ["--config=/elsewhere.yaml"], "k-missing"),
        ];
        // Paths with spaces are looked up by scanning; without them, through an index by path. Both must agree.
        const withSpaces = [
            ...nodes,
            hostFile(`'${spaced}'`, stringify(kubeletConfig({ podPidsLimit: 3000 })), { host: "10.0.0.9", name: "c" }),
            controlPlaneDockerContainer("kubelet", [`--config=${spaced}`], "k-spaced"),
        ];
        for (const m of [model(nodes), model(withSpaces)]) {
            const pids = (label: RegExp) => {
                const c = m.components.find((x) => label.test(x.label))!;
                return [value(c, "pod-max-pids"), c.open];
            };
            assert.deepEqual(pids(/systemd unit .* on 10\.0\.0\.8/), ["2000", false], "its own host's file");
            assert.deepEqual(pids(/systemd unit .* on 10\.0\.0\.6/), [undefined, true], "no file on its host: any setting may come from it");
            assert.deepEqual(pids(/Docker container "k-any"/), ["1000", false], "host unknown: the first file written to that path");
            assert.deepEqual(pids(/Docker container "k-missing"/), [undefined, true]);
            if (m.components.some((c) => c.label.includes("k-spaced"))) assert.deepEqual(pids(/Docker container "k-spaced"/), ["3000", false]);
            assert.deepEqual(
                m.components.filter((c) => c.label.startsWith("kubelet (KubeletConfiguration")).map((c) => c.label),
                [],
                "every file was used, so none is a component of its own",
            );
        }
    });

    it("ignores workloads that run no control-plane binary", () => {
        const m = model([
            controlPlanePod("nginx", ["--x=1"]),
            { type: "docker:index/container:Container", name: "web", props: { image: "nginx", command: ["nginx"] } },
        ]);
        assert.deepEqual(m.components, []);
    });

    it("opens a component whose manifest is unknown at preview, and one whose arguments are", () => {
        const m = model([hostFile("/etc/kubernetes/manifests/etcd.yaml", UNKNOWN_STRING), controlPlanePod("kube-apiserver", ["--a=1", UNKNOWN_STRING])]);
        assert.deepEqual(
            m.components.map((c) => [c.kind, c.open]),
            [
                ["etcd", true],
                ["kube-apiserver", true],
            ],
        );
        const v = model([controlPlanePod("kube-apiserver", ["--audit-log-path", UNKNOWN_STRING])]).components[0];
        assert.equal(value(v, "audit-log-path"), UNKNOWN);
    });

    it("turns unreadable declarations into problems, never exceptions", () => {
        const m = model([
            hostFile("/etc/kubernetes/manifests/kube-apiserver.yaml", "a: ["),
            hostFile(
                "/etc/kubernetes/kubeadm.yaml",
                "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nscheduler:\n  extraArgs:\n  - {value: x}\n",
            ),
            hostFile("/home/me/notes.yaml", "a: ["),
            { type: "kubernetes:core/v1:Pod", name: "p", props: { spec: { containers: "nope" } } },
        ]);
        assert.deepEqual(
            m.problems.map((p) => [p.kinds.join(","), p.field, p.message]),
            [
                ["kube-apiserver", "stdin", "cannot be checked: expected valid YAML, got a YAML error (BAD_INDENT)."],
                ["kube-scheduler", "scheduler.extraArgs[0]", "cannot be checked: expected an entry with a string `name` and `value`."],
            ],
        );
        assert.doesNotThrow(() => controlPlaneOf([{ type: "kubernetes:core/v1:Pod", name: "x", urn: "u", props: null }], []));
    });

    it("keeps the static Pod fixture readable (sanity)", () => {
        assert.match(staticPodYaml("etcd", args(HARDENED.etcd)), /- --client-cert-auth=true/);
    });

    it("sees the whole control plane of the reference kubernetes-cluster stack, so its passing is not vacuous", async function () {
        this.timeout(20000);
        const run = await runStack("kubernetes-cluster");
        const m = model(run.resources.map((r) => ({ type: r.type, name: r.name, props: r.props, parent: r.parent })));
        const kinds = new Set(m.components.map((c) => c.kind));
        assert.deepEqual([...kinds].sort(), ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet"]);
        const api = m.components.find((c) => c.kind === "kube-apiserver")!;
        for (const flag of ["audit-policy-file", "encryption-provider-config", "admission-control-config-file"]) {
            const path = value(api, flag);
            assert.equal(typeof path, "string", flag);
            const docs = m.files.get(path as string)?.[0].docs;
            assert.ok(Array.isArray(docs) && docs.length >= 1, `${flag} ${String(path)} is written by the stack and readable`);
        }
        assert.deepEqual(m.problems, []);
    });
});
