// The renderers produce documents their consumers accept: parsed back (JSON, YAML, audit rules line by line)
// with assertions on the exact fields, for the hardened options and the insecure ones the demo uses.
import * as assert from "assert";
import { parse, parseAllDocuments } from "yaml";
import { parseAuditRules } from "stride-guard/lib/audit/rules";
import { DOCKER_AUDIT_TARGETS } from "stride-guard/lib/controls/docker/docker-daemon-auditing";
import { HARDENED_ADMISSION, renderAdmissionConfig } from "../../stacks/render/admission-config";
import { DOCKER_AUDIT_PATHS, hardenedAuditRulesOptions, renderAuditRules, watchedParents } from "../../stacks/render/audit-rules";
import { HARDENED_AUDIT_POLICY, renderAuditPolicy } from "../../stacks/render/audit-policy";
import { hardenedDaemonOptions, renderDaemonJson, renderDockerServiceDropIn } from "../../stacks/render/daemon-json";
import { hardenedEncryptionOptions, renderEncryptionConfig } from "../../stacks/render/encryption-config";
import {
    HARDENED_CONTROL_PLANE,
    KubeadmOptions,
    kubeadmEtcdFlags,
    renderKubeadmConfig,
    renderKubeletSysctls,
    STRONG_CIPHER_SUITES,
} from "../../stacks/render/kubeadm";
import { renderKubeconfig } from "../../stacks/render/kubeconfig";
import { installDirectory, installFromStdin, shq } from "../../stacks/render/shell";
import { HardenedContainer, HardenedContainerArgs } from "../../stacks/components/HardenedContainer";

const KEY = Buffer.alloc(32, 1).toString("base64");

export const CLUSTER: KubeadmOptions = {
    nodeName: "cp-1",
    advertiseAddress: "10.0.0.10",
    certSANs: ["10.0.0.10", "cp-1.example.internal"],
    kubernetesVersion: "v1.34.2",
    podSubnet: "10.244.0.0/16",
    serviceSubnet: "10.96.0.0/12",
    schedulable: true,
    security: HARDENED_CONTROL_PLANE,
};

const argMap = (list: { name: string; value: string }[]) => {
    const m: Record<string, string> = {};
    for (const { name, value } of list) {
        assert.ok(!(name in m), `duplicate flag ${name}`);
        m[name] = value;
    }
    return m;
};

describe("renderers", function () {
    describe("daemon.json", function () {
        it("hardened: mutual TLS on tcp://0.0.0.0:2376 plus the unix socket and every CIS 2.x setting", function () {
            assert.deepStrictEqual(JSON.parse(renderDaemonJson(hardenedDaemonOptions())), {
                hosts: ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"],
                tls: true,
                tlsverify: true,
                tlscacert: "/etc/docker/tls/ca.pem",
                tlscert: "/etc/docker/tls/server-cert.pem",
                tlskey: "/etc/docker/tls/server-key.pem",
                icc: false,
                "userland-proxy": false,
                "userns-remap": "default",
                "live-restore": true,
                "no-new-privileges": true,
                "log-driver": "json-file",
                "log-opts": { "max-size": "10m", "max-file": "3" },
                "insecure-registries": [],
            });
        });

        it("insecure options leave TLS and userns-remap out entirely", function () {
            const d = JSON.parse(renderDaemonJson({ ...hardenedDaemonOptions(), tls: undefined, usernsRemap: undefined, icc: true }));
            for (const k of ["tls", "tlsverify", "tlscacert", "tlscert", "tlskey", "userns-remap"]) assert.ok(!(k in d), k);
            assert.strictEqual(d.icc, true);
        });

        it("the systemd drop-in clears ExecStart and starts dockerd without -H", function () {
            const lines = renderDockerServiceDropIn()
                .split("\n")
                .filter((l) => !l.startsWith("#"));
            assert.strictEqual(lines[0], "[Service]");
            assert.deepStrictEqual(
                lines.filter((l) => l.startsWith("ExecStart")),
                ["ExecStart=", "ExecStart=dockerd --containerd=/run/containerd/containerd.sock"],
            );
            assert.ok(!lines.some((l) => /\s-H\b|fd:\/\//.test(l)));
        });
    });

    describe("audit rules", function () {
        const text = renderAuditRules(hardenedAuditRulesOptions());

        it("one `-w PATH -p wa -k docker` line per CIS 1.1.3–1.1.18 path, nothing else but comments", function () {
            const lines = text.split("\n").filter((l) => l !== "");
            const rules = lines.filter((l) => !l.startsWith("#"));
            assert.strictEqual(rules.length, DOCKER_AUDIT_PATHS.length);
            const paths = rules.map((l) => {
                const m = /^-w (\/\S+) -p wa -k docker$/.exec(l);
                assert.ok(m, `unexpected line ${JSON.stringify(l)}`);
                return m[1];
            });
            // Every CIS 1.6.0 audit target the policy pack knows is watched (under one of its accepted paths).
            for (const t of DOCKER_AUDIT_TARGETS.filter((x) => !x.ifPresent))
                assert.ok(
                    t.paths.some((p) => paths.includes(p)),
                    `${t.cis} ${t.what}`,
                );
            assert.strictEqual(new Set(paths).size, paths.length, "duplicate watch");
        });

        it("parses without errors with the policy pack's audit rule reader", function () {
            const parsed = parseAuditRules(text);
            assert.deepStrictEqual(parsed.errors, []);
            assert.strictEqual(parsed.watches.length, DOCKER_AUDIT_PATHS.length);
            assert.ok(parsed.watches.every((w) => w.perms === "wa" && w.key === "docker"));
        });

        it("refuses what auditctl would refuse, and lists the directories a watch needs", function () {
            assert.throws(() => renderAuditRules({ paths: ["/etc/docker"], perms: "wz", key: "docker" }), /subset of rwxa/);
            assert.throws(() => renderAuditRules({ paths: ["etc/docker"], perms: "wa", key: "docker" }), /absolute/);
            assert.deepStrictEqual(watchedParents(["/etc/docker", "/etc/docker/daemon.json", "/run/containerd/containerd.sock"]), [
                "/etc",
                "/etc/docker",
                "/run/containerd",
            ]);
        });
    });

    describe("kubeadm configuration", function () {
        const docs = parseAllDocuments(renderKubeadmConfig(CLUSTER)).map((d) => {
            assert.deepStrictEqual(d.errors, []);
            return d.toJS();
        });
        const [init, cluster, kubelet] = docs;

        it("is three documents: InitConfiguration, ClusterConfiguration (kubeadm v1beta4), KubeletConfiguration", function () {
            assert.deepStrictEqual(
                docs.map((d) => `${d.apiVersion} ${d.kind}`),
                [
                    "kubeadm.k8s.io/v1beta4 InitConfiguration",
                    "kubeadm.k8s.io/v1beta4 ClusterConfiguration",
                    "kubelet.config.k8s.io/v1beta1 KubeletConfiguration",
                ],
            );
            assert.deepStrictEqual(init.localAPIEndpoint, { advertiseAddress: "10.0.0.10", bindPort: 6443 });
            assert.deepStrictEqual(init.nodeRegistration.taints, []);
            assert.deepStrictEqual(cluster.apiServer.certSANs, ["10.0.0.10", "cp-1.example.internal"]);
        });

        it("API server: the CIS 1.2 flags", function () {
            const a = argMap(cluster.apiServer.extraArgs);
            const expected: Record<string, string> = {
                "anonymous-auth": "false",
                "authorization-mode": "Node,RBAC",
                profiling: "false",
                "audit-log-path": "/var/log/kubernetes/audit/audit.log",
                "audit-log-maxage": "30",
                "audit-log-maxbackup": "10",
                "audit-log-maxsize": "100",
                "audit-policy-file": "/etc/kubernetes/policies/audit-policy.yaml",
                "encryption-provider-config": "/etc/kubernetes/policies/encryption-config.yaml",
                "admission-control-config-file": "/etc/kubernetes/policies/admission-config.yaml",
                "tls-min-version": "VersionTLS12",
                "tls-cipher-suites": STRONG_CIPHER_SUITES.join(","),
                "request-timeout": "60s",
                "service-account-lookup": "true",
                "service-account-extend-token-expiration": "false",
                "service-account-key-file": "/etc/kubernetes/pki/sa.pub",
                "max-requests-inflight": "400",
                "client-ca-file": "/etc/kubernetes/pki/ca.crt",
                "kubelet-certificate-authority": "/etc/kubernetes/pki/ca.crt",
                "etcd-servers": "https://127.0.0.1:2379",
                "etcd-cafile": "/etc/kubernetes/pki/etcd/ca.crt",
                "etcd-certfile": "/etc/kubernetes/pki/apiserver-etcd-client.crt",
                "etcd-keyfile": "/etc/kubernetes/pki/apiserver-etcd-client.key",
            };
            for (const [k, v] of Object.entries(expected)) assert.strictEqual(a[k], v, k);
            const plugins = a["enable-admission-plugins"].split(",");
            for (const p of ["NodeRestriction", "EventRateLimit", "ServiceAccount", "NamespaceLifecycle"]) assert.ok(plugins.includes(p), p);
            assert.ok(!plugins.includes("AlwaysAdmit"));
            for (const k of ["token-auth-file", "basic-auth-file", "insecure-port"]) assert.ok(!(k in a), k);
            for (const s of STRONG_CIPHER_SUITES) assert.match(s, /^TLS_ECDHE_(ECDSA|RSA)_WITH_(AES_\d+_GCM_SHA\d+|CHACHA20_POLY1305_SHA256)$/);
        });

        it("API server mounts the policy directory read-only and the audit log directory", function () {
            assert.deepStrictEqual(cluster.apiServer.extraVolumes, [
                {
                    name: "policies",
                    hostPath: "/etc/kubernetes/policies",
                    mountPath: "/etc/kubernetes/policies",
                    readOnly: true,
                    pathType: "DirectoryOrCreate",
                },
                {
                    name: "audit-log",
                    hostPath: "/var/log/kubernetes/audit",
                    mountPath: "/var/log/kubernetes/audit",
                    readOnly: false,
                    pathType: "DirectoryOrCreate",
                },
            ]);
        });

        it("controller-manager and scheduler: profiling off, bound to 127.0.0.1, CIS 1.3 settings", function () {
            assert.deepStrictEqual(argMap(cluster.controllerManager.extraArgs), {
                profiling: "false",
                "bind-address": "127.0.0.1",
                "terminated-pod-gc-threshold": "10",
                "use-service-account-credentials": "true",
                "service-account-private-key-file": "/etc/kubernetes/pki/sa.key",
                "root-ca-file": "/etc/kubernetes/pki/ca.crt",
                "feature-gates": "RotateKubeletServerCertificate=true",
            });
            assert.deepStrictEqual(argMap(cluster.scheduler.extraArgs), { profiling: "false", "bind-address": "127.0.0.1" });
        });

        it("etcd: mutual TLS for clients and peers, https client URLs only, no auto-TLS", function () {
            const e = argMap(cluster.etcd.local.extraArgs);
            assert.strictEqual(e["client-cert-auth"], "true");
            assert.strictEqual(e["peer-client-cert-auth"], "true");
            assert.strictEqual(e["auto-tls"], "false");
            assert.strictEqual(e["peer-auto-tls"], "false");
            for (const u of [...e["listen-client-urls"].split(","), e["advertise-client-urls"]]) assert.match(u, /^https:\/\//);
            for (const k of ["cert-file", "key-file", "trusted-ca-file", "peer-cert-file", "peer-key-file", "peer-trusted-ca-file"])
                assert.match(e[k], /^\/etc\/kubernetes\/pki\/etcd\//, k);
            assert.strictEqual(cluster.etcd.local.dataDir, "/var/lib/etcd");
        });

        it("the etcd command line kubeadm would run has the rendered flags over kubeadm's defaults", function () {
            const flags = kubeadmEtcdFlags(CLUSTER);
            assert.ok(flags.includes("--client-cert-auth=true"));
            assert.ok(flags.includes("--auto-tls=false"));
            assert.ok(flags.includes("--listen-client-urls=https://127.0.0.1:2379,https://10.0.0.10:2379"));
            assert.ok(flags.includes("--initial-cluster=cp-1=https://10.0.0.10:2380"));
            assert.strictEqual(new Set(flags.map((f) => f.split("=")[0])).size, flags.length, "a flag appears twice");
        });

        it("kubelet: anonymous off, webhook authz, x509 client CA, read-only port 0, CIS 4.2 settings", function () {
            assert.deepStrictEqual(kubelet.authentication, {
                anonymous: { enabled: false },
                webhook: { enabled: true },
                x509: { clientCAFile: "/etc/kubernetes/pki/ca.crt" },
            });
            assert.deepStrictEqual(kubelet.authorization, { mode: "Webhook" });
            assert.strictEqual(kubelet.readOnlyPort, 0);
            assert.strictEqual(kubelet.protectKernelDefaults, true);
            assert.strictEqual(kubelet.rotateCertificates, true);
            assert.strictEqual(kubelet.serverTLSBootstrap, true);
            assert.strictEqual(kubelet.podPidsLimit, 4096);
            assert.ok(kubelet.eventRecordQPS > 0);
            assert.match(renderKubeletSysctls(), /^vm\.overcommit_memory = 1$/m);
        });

        it("insecure options drop the audit and encryption flags and open what the hardened config closes", function () {
            const insecure = parseAllDocuments(
                renderKubeadmConfig({
                    ...CLUSTER,
                    security: {
                        ...HARDENED_CONTROL_PLANE,
                        anonymousAuth: true,
                        auditLog: false,
                        encryptionAtRest: false,
                        etcd: { ...HARDENED_CONTROL_PLANE.etcd, clientCertAuth: false },
                    },
                }),
            ).map((d) => d.toJS());
            const a = argMap(insecure[1].apiServer.extraArgs);
            assert.strictEqual(a["anonymous-auth"], "true");
            for (const k of ["audit-log-path", "audit-policy-file", "encryption-provider-config"]) assert.ok(!(k in a), k);
            const etcd = argMap(insecure[1].etcd.local.extraArgs);
            assert.strictEqual(etcd["client-cert-auth"], "false");
            // etcd would still demand client certificates with a trusted CA set
            assert.strictEqual(etcd["trusted-ca-file"], "");
            assert.deepStrictEqual(
                insecure[1].apiServer.extraVolumes.map((v: { name: string }) => v.name),
                ["policies"],
            );
        });
    });

    describe("EncryptionConfiguration", function () {
        it("secretbox first with the 32-byte key, identity last, for secrets", function () {
            const doc = parse(renderEncryptionConfig(hardenedEncryptionOptions(KEY)));
            assert.deepStrictEqual(doc, {
                apiVersion: "apiserver.config.k8s.io/v1",
                kind: "EncryptionConfiguration",
                resources: [{ resources: ["secrets"], providers: [{ secretbox: { keys: [{ name: "key1", secret: KEY }] } }, { identity: {} }] }],
            });
        });

        it("refuses a key that is not 32 bytes", function () {
            assert.throws(() => renderEncryptionConfig(hardenedEncryptionOptions(Buffer.alloc(16).toString("base64"))), /32 bytes/);
        });
    });

    describe("audit Policy", function () {
        it("Secrets, ConfigMaps and TokenReviews at Metadata first, changes at Request, the rest at Metadata", function () {
            const p = parse(renderAuditPolicy(HARDENED_AUDIT_POLICY));
            assert.strictEqual(`${p.apiVersion} ${p.kind}`, "audit.k8s.io/v1 Policy");
            assert.deepStrictEqual(p.rules, [
                {
                    level: "Metadata",
                    resources: [
                        { group: "", resources: ["secrets", "configmaps"] },
                        { group: "authentication.k8s.io", resources: ["tokenreviews"] },
                    ],
                },
                { level: "Request", verbs: ["create", "update", "patch", "delete", "deletecollection"] },
                { level: "Metadata" },
            ]);
        });
    });

    describe("AdmissionConfiguration", function () {
        it("EventRateLimit limits and PodSecurity defaults restricted", function () {
            const a = parse(renderAdmissionConfig(HARDENED_ADMISSION));
            assert.strictEqual(`${a.apiVersion} ${a.kind}`, "apiserver.config.k8s.io/v1 AdmissionConfiguration");
            const [erl, pss] = a.plugins;
            assert.strictEqual(erl.name, "EventRateLimit");
            assert.strictEqual(erl.configuration.kind, "Configuration");
            assert.deepStrictEqual(
                erl.configuration.limits.map((l: { type: string }) => l.type),
                ["Server", "Namespace"],
            );
            assert.strictEqual(pss.name, "PodSecurity");
            assert.deepStrictEqual(pss.configuration.defaults, {
                enforce: "restricted",
                "enforce-version": "latest",
                audit: "restricted",
                "audit-version": "latest",
                warn: "restricted",
                "warn-version": "latest",
            });
            assert.deepStrictEqual(pss.configuration.exemptions.namespaces, ["kube-system"]);
        });
    });

    describe("kubeconfig", function () {
        it("carries the CA and the client certificate; refuses http and a missing CA", function () {
            const kc = parse(
                renderKubeconfig({ clusterName: "c", server: "https://10.0.0.10:6443", caPem: "CA", certPem: "CERT", keyPem: "KEY", userName: "u" }),
            );
            assert.strictEqual(Buffer.from(kc.clusters[0].cluster["certificate-authority-data"], "base64").toString(), "CA");
            assert.strictEqual(Buffer.from(kc.users[0].user["client-key-data"], "base64").toString(), "KEY");
            assert.strictEqual(kc["current-context"], "u@c");
            assert.throws(
                () => renderKubeconfig({ clusterName: "c", server: "http://10.0.0.10:6443", caPem: "CA", certPem: "C", keyPem: "K", userName: "u" }),
                /https/,
            );
            assert.throws(() => renderKubeconfig({ clusterName: "c", server: "https://h:6443", certPem: "C", keyPem: "K", userName: "u" }), /CA/);
        });
    });

    describe("shell", function () {
        it("writes files with install, mode and owner on one command line", function () {
            assert.strictEqual(
                installFromStdin({ path: "/etc/docker/daemon.json", mode: "0644" }),
                "install -D -m 0644 -o root -g root /dev/stdin /etc/docker/daemon.json",
            );
            assert.strictEqual(
                installDirectory({ path: "/var/lib/etcd", mode: "0700", owner: "etcd", group: "etcd" }),
                "install -d -m 0700 -o etcd -g etcd /var/lib/etcd",
            );
            assert.throws(() => installFromStdin({ path: "/etc/x", mode: "644" }), /four octal/);
            assert.throws(() => installFromStdin({ path: "/etc/../x", mode: "0644" }), /normalized/);
            assert.strictEqual(shq("a b'c"), `'a b'"'"'c'`);
        });
    });

    describe("HardenedContainer invariants", function () {
        const ok: HardenedContainerArgs = {
            provider: undefined as never,
            image: `docker.io/library/redis:7.2-alpine@sha256:${"a".repeat(64)}`,
            user: "999:999",
            memoryMb: 64,
            cpus: "0.5",
            maxProcesses: 32,
            healthcheck: ["CMD", "true"],
            ports: [{ internal: 8080, external: 8080 }],
            bindIp: "10.0.0.5",
            networks: ["edge"],
        };
        it("accepts a hardened spec and refuses each weakening", function () {
            HardenedContainer.validate("c", ok);
            const bad: [Partial<HardenedContainerArgs>, RegExp][] = [
                [{ image: "redis:7.2-alpine" }, /digest/],
                [{ image: "redis:latest" }, /digest/],
                [{ user: "0:0" }, /non-root/],
                [{ user: "root" }, /non-root/],
                [{ memoryMb: 0 }, /memoryMb/],
                [{ healthcheck: [] }, /health/],
                [{ bindIp: "0.0.0.0" }, /0\.0\.0\.0/],
                [{ bindIp: undefined }, /bindIp/],
                [{ ports: [{ internal: 80, external: 80 }] }, /1024/],
                [{ capAdd: ["SYS_ADMIN" as "NET_BIND_SERVICE"] }, /SYS_ADMIN/],
                [{ networks: [] }, /network/],
            ];
            for (const [change, why] of bad) assert.throws(() => HardenedContainer.validate("c", { ...ok, ...change }), why, JSON.stringify(change));
        });
    });
});
