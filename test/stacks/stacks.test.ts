// The three stacks run under mocks with their committed config and register what they should: files on the
// machine with the right modes and owners (read with the pack's own host-file adapter), providers over mutual
// TLS, hardened containers and workloads — and no private key, encryption key or kubeconfig outside a secret.
import * as assert from "assert";
import { parse, parseAllDocuments } from "yaml";
import { isWireSecret, loadProject, runProgram } from "stride-guard/lib/runner/index";
import { KEY32_B64, KEY_MARKER, mocks, plain, plaintextStrings, PROGRAM, REPO, runStack, StackName, StackRun } from "./support";

const CMD = "command:remote:Command";

function assertNoPlaintextKeys(run: StackRun): void {
    for (const r of run.resources) {
        for (const s of plaintextStrings(r.props)) {
            assert.ok(!s.includes(KEY_MARKER), `${r.type} ${r.name} holds a private key outside a secret`);
            assert.ok(!s.includes(KEY32_B64), `${r.type} ${r.name} holds the encryption key outside a secret`);
        }
    }
    for (const s of plaintextStrings(run.outputs)) assert.ok(!s.includes(KEY_MARKER), "a stack output holds a private key outside a secret");
}

function fileMeta(run: StackRun, path: string) {
    const f = run.files.get(path);
    assert.ok(f, `no file ${path}; files: ${[...run.files.keys()].join(", ")}`);
    return { mode: f.mode, owner: f.owner, group: f.group, content: typeof f.content === "string" ? f.content : undefined };
}

describe("stacks under mocks", function () {
    this.timeout(60_000);

    describe("docker-host", function () {
        let run: StackRun;
        before(async () => {
            run = await runStack("docker-host");
        });

        it("writes daemon.json, TLS material, the systemd drop-in and audit rules with modes and owners", function () {
            const expected: Record<string, string> = {
                "/etc/docker/daemon.json": "0644",
                "/etc/docker/tls/ca.pem": "0444",
                "/etc/docker/tls/server-cert.pem": "0444",
                "/etc/docker/tls/server-key.pem": "0400",
                "/etc/systemd/system/docker.service.d/10-stride-guard.conf": "0644",
                "/etc/audit/rules.d/docker.rules": "0640",
            };
            for (const [p, mode] of Object.entries(expected)) {
                const m = fileMeta(run, p);
                assert.deepStrictEqual([m.mode, m.owner, m.group], [mode, "root", "root"], p);
            }
            const daemon = JSON.parse(fileMeta(run, "/etc/docker/daemon.json").content!);
            assert.deepStrictEqual(daemon.hosts, ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"]);
            assert.strictEqual(daemon.tlsverify, true);
            assert.strictEqual(daemon.icc, false);
            const rules = fileMeta(run, "/etc/audit/rules.d/docker.rules").content!;
            assert.match(rules, /^-w \/usr\/bin\/dockerd -p wa -k docker$/m);
        });

        it("keeps the server key secret on the wire and sends it to the host on stdin", function () {
            const w = run.writer("/etc/docker/tls/server-key.pem");
            assert.ok(isWireSecret(w.props.stdin), "server key stdin is not a secret");
            assert.match(plain<string>(w.props.stdin), new RegExp(KEY_MARKER));
            assertNoPlaintextKeys(run);
        });

        it("loads the audit rules with augenrules after the rules file is written, and restarts docker after every file", function () {
            const load = run.one(CMD, "docker-host-audit-load");
            assert.match(plain<string>(load.props.create), /&& sudo -n augenrules --load$/);
            assert.ok(load.dependencies.includes(run.writer("/etc/audit/rules.d/docker.rules").urn));
            const restart = run.one(CMD, "docker-host-docker-restart");
            for (const p of ["/etc/docker/daemon.json", "/etc/docker/tls/server-key.pem", "/etc/systemd/system/docker.service.d/10-stride-guard.conf"]) {
                assert.ok(restart.dependencies.includes(run.writer(p).urn), `restart does not wait for ${p}`);
            }
        });

        it("connects over SSH to the configured host and user, with the SSH agent when no key is configured", function () {
            for (const c of run.ofType(CMD)) {
                const conn = plain(c.props.connection);
                assert.strictEqual(conn.host, "192.0.2.10");
                assert.strictEqual(conn.user, "admin");
                assert.strictEqual(conn.privateKey, undefined);
                assert.match(plain<string>(c.props.create), /^sudo -n /);
            }
        });

        it("uses the secret sshPrivateKey config when set, and keeps it secret", async function () {
            const withKey = await runStack("docker-host", {
                extraConfig: {
                    "stride-guard-stacks:sshPrivateKey": `-----BEGIN OPENSSH PRIVATE KEY-----\n${KEY_MARKER} ssh\n-----END OPENSSH PRIVATE KEY-----\n`,
                },
                secretConfigKeys: ["stride-guard-stacks:sshPrivateKey"],
            });
            const cmds = withKey.ofType(CMD);
            assert.ok(cmds.length > 5);
            for (const c of cmds) {
                const conn = c.props.connection as Record<string, unknown>;
                assert.ok(isWireSecret(conn) || isWireSecret(conn.privateKey), `${c.name}: SSH key not secret`);
                assert.match(plain(c.props.connection).privateKey, new RegExp(`${KEY_MARKER} ssh`));
            }
            assertNoPlaintextKeys(withKey);
        });

        it("issues the server certificate for the host's names and IPs, the client certificate for client auth only", function () {
            const csr = plain(run.one("tls:index/certRequest:CertRequest", "docker-host-server-csr").props);
            assert.deepStrictEqual([csr.dnsNames, csr.ipAddresses], [["docker-1.example.internal"], ["192.0.2.10"]]);
            const uses = (n: string) => plain<string[]>(run.one("tls:index/locallySignedCert:LocallySignedCert", n).props.allowedUses);
            assert.ok(uses("docker-host-server-cert").includes("server_auth") && !uses("docker-host-server-cert").includes("client_auth"));
            assert.ok(uses("docker-host-client-cert").includes("client_auth") && !uses("docker-host-client-cert").includes("server_auth"));
            const ca = plain(run.one("tls:index/selfSignedCert:SelfSignedCert", "docker-host-ca-cert").props);
            assert.strictEqual(ca.isCaCertificate, true);
            assert.ok(
                isWireSecret(run.one("tls:index/locallySignedCert:LocallySignedCert", "docker-host-server-cert").props.caPrivateKeyPem),
                "CA key passed in plaintext",
            );
        });

        it("talks to the daemon through an explicit provider over mutual TLS", function () {
            const providers = run.ofType("pulumi:providers:docker");
            assert.strictEqual(providers.length, 1);
            const p = providers[0];
            assert.strictEqual(p.props.host, "tcp://192.0.2.10:2376");
            assert.match(plain<string>(p.props.caMaterial), /BEGIN CERTIFICATE/);
            assert.match(plain<string>(p.props.certMaterial), /cert docker-host-client-cert/);
            assert.ok(isWireSecret(p.props.keyMaterial), "client key is not a secret");
            for (const r of run.resources.filter((r) => r.type.startsWith("docker:"))) {
                assert.strictEqual(r.provider?.urn, p.urn, `${r.type} ${r.name} does not use the TLS provider`);
            }
        });

        it("runs the web server and the cache hardened", function () {
            const containers = run.ofType("docker:index/container:Container");
            assert.deepStrictEqual(containers.map((c) => c.name).sort(), ["cache", "web"]);
            for (const c of containers) {
                const p = plain(c.props);
                assert.match(p.image, /@sha256:[0-9a-f]{64}$/, c.name);
                assert.ok(p.memory > 0 && p.memorySwap === p.memory, c.name);
                assert.ok(Number(p.cpus) > 0, c.name);
                assert.deepStrictEqual([p.restart, p.maxRetryCount], ["on-failure", 5], c.name);
                assert.match(p.user, /^[1-9]\d*:[1-9]\d*$/, c.name);
                assert.strictEqual(p.readOnly, true, c.name);
                assert.ok(Object.keys(p.tmpfs).length > 0, c.name);
                assert.deepStrictEqual(p.capabilities, { drops: ["ALL"], adds: [] }, c.name);
                assert.deepStrictEqual(p.securityOpts, ["no-new-privileges"], c.name);
                assert.ok(
                    p.ulimits.some((u: any) => u.name === "nproc" && u.hard > 0),
                    c.name,
                );
                assert.ok(p.healthcheck.tests.length > 0, c.name);
                assert.deepStrictEqual([p.logDriver, p.logOpts], ["json-file", { "max-size": "10m", "max-file": "3" }], c.name);
                for (const port of p.ports ?? []) {
                    assert.ok(port.external >= 1024, c.name);
                    assert.ok(port.ip && port.ip !== "0.0.0.0", c.name);
                }
                assert.ok(!p.privileged && !p.volumes && !p.mounts && !p.networkMode, c.name);
                assert.strictEqual(p.networksAdvanced.length, 1);
            }
            const web = plain(run.one("docker:index/container:Container", "web").props);
            assert.deepStrictEqual(web.ports, [{ internal: 8080, external: 8080, ip: "192.0.2.10", protocol: "tcp" }]);
            const images = run.ofType("docker:index/remoteImage:RemoteImage").map((i) => plain(i.props).name);
            assert.deepStrictEqual(images.sort(), containers.map((c) => plain(c.props).image).sort());
        });

        it("puts the web server on a network with inter-container traffic off, the cache on an internal network", function () {
            const edge = plain(run.one("docker:index/network:Network", "edge").props);
            assert.deepStrictEqual(edge.options, { "com.docker.network.bridge.enable_icc": "false" });
            const backend = plain(run.one("docker:index/network:Network", "backend").props);
            assert.strictEqual(backend.internal, true);
            assert.deepStrictEqual(plain(run.one("docker:index/container:Container", "web").props).networksAdvanced, [{ name: "edge" }]);
            assert.deepStrictEqual(plain(run.one("docker:index/container:Container", "cache").props).networksAdvanced, [{ name: "backend" }]);
        });
    });

    describe("kubernetes-cluster", function () {
        let run: StackRun;
        before(async () => {
            run = await runStack("kubernetes-cluster");
        });

        it("writes the PKI, policies and kubeadm config root-owned: keys and configs 0600, certificates 0644", function () {
            const expected: Record<string, string> = {
                "/etc/kubernetes/pki/ca.crt": "0644",
                "/etc/kubernetes/pki/ca.key": "0600",
                "/etc/kubernetes/pki/etcd/ca.crt": "0644",
                "/etc/kubernetes/pki/etcd/ca.key": "0600",
                "/etc/kubernetes/pki/front-proxy-ca.crt": "0644",
                "/etc/kubernetes/pki/front-proxy-ca.key": "0600",
                "/etc/kubernetes/pki/sa.pub": "0644",
                "/etc/kubernetes/pki/sa.key": "0600",
                "/etc/kubernetes/policies/encryption-config.yaml": "0600",
                "/etc/kubernetes/policies/audit-policy.yaml": "0600",
                "/etc/kubernetes/policies/admission-config.yaml": "0600",
                "/etc/kubernetes/kubeadm.yaml": "0600",
            };
            for (const [p, mode] of Object.entries(expected)) {
                const m = fileMeta(run, p);
                assert.deepStrictEqual([m.mode, m.owner, m.group], [mode, "root", "root"], p);
            }
            for (const p of Object.keys(expected).filter((p) => p.endsWith(".key"))) {
                assert.ok(isWireSecret(run.writer(p).props.stdin), `${p} not secret`);
            }
        });

        it("encrypts Secrets with secretbox and the random 32-byte key, kept secret", function () {
            const w = run.writer("/etc/kubernetes/policies/encryption-config.yaml");
            assert.ok(isWireSecret(w.props.stdin));
            const doc = parse(plain<string>(w.props.stdin));
            assert.deepStrictEqual(Object.keys(doc.resources[0].providers[0]), ["secretbox"]);
            assert.strictEqual(doc.resources[0].providers[0].secretbox.keys[0].secret, KEY32_B64);
            assert.strictEqual(run.ofType("random:index/randomBytes:RandomBytes")[0].props.length, 32);
            assertNoPlaintextKeys(run);
        });

        it("prepares the etcd data dir 0700 etcd:etcd and runs kubeadm init after every file", function () {
            const prep = plain<string>(run.one(CMD, "control-plane-prepare").props.create);
            assert.match(prep, /install -d -m 0700 -o etcd -g etcd \/var\/lib\/etcd/);
            const init = run.one(CMD, "control-plane-kubeadm-init");
            const create = plain<string>(init.props.create);
            assert.match(create, /else kubeadm init --config \/etc\/kubernetes\/kubeadm\.yaml; fi/);
            assert.match(create, /then kubeadm init phase control-plane all --config \/etc\/kubernetes\/kubeadm\.yaml && /);
            assert.deepStrictEqual(plain(init.props.triggers), [fileMeta(run, "/etc/kubernetes/kubeadm.yaml").content]);
            for (const f of run.files.values()) assert.ok(init.dependencies.includes(f.source.urn), `init does not wait for ${f.path}`);
            const docs = parseAllDocuments(fileMeta(run, "/etc/kubernetes/kubeadm.yaml").content!).map((d) => d.toJS());
            assert.deepStrictEqual(
                docs.map((d) => d.kind),
                ["InitConfiguration", "ClusterConfiguration", "KubeletConfiguration"],
            );
        });

        it("applies a configured CNI manifest after init, quoted", async function () {
            assert.doesNotMatch(plain<string>(run.one(CMD, "control-plane-kubeadm-init").props.create), /apply -f/);
            const withCni = await runStack("kubernetes-cluster", { extraConfig: { "stride-guard-stacks:cniManifest": "/opt/cni/calico v3.yaml" } });
            const create = plain<string>(withCni.one(CMD, "control-plane-kubeadm-init").props.create);
            assert.match(create, / && sudo -n kubectl --kubeconfig \/etc\/kubernetes\/admin\.conf apply -f '\/opt\/cni\/calico v3\.yaml'$/);
        });

        it("reaches the cluster with a secret client-certificate kubeconfig over https", function () {
            const [p] = run.ofType("pulumi:providers:kubernetes");
            assert.ok(isWireSecret(p.props.kubeconfig), "kubeconfig is not a secret");
            const kc = parse(plain<string>(p.props.kubeconfig));
            assert.strictEqual(kc.clusters[0].cluster.server, "https://192.0.2.20:6443");
            assert.ok(kc.clusters[0].cluster["certificate-authority-data"]);
            assert.ok(!("insecure-skip-tls-verify" in kc.clusters[0].cluster));
            assert.ok(isWireSecret(run.outputs.kubeconfig), "kubeconfig output is not a secret");
            for (const r of run.resources.filter((r) => r.type.startsWith("kubernetes:"))) {
                assert.strictEqual(r.provider?.urn, p.urn, `${r.type} ${r.name} does not use the cluster provider`);
            }
        });

        it("labels the namespace restricted and gives it default-deny, quota, limits and no default token", function () {
            const ns = plain(run.one("kubernetes:core/v1:Namespace", "shop").props);
            assert.strictEqual(ns.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
            const deny = plain(run.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "shop-default-deny").props);
            assert.deepStrictEqual(deny.spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
            const quota = plain(run.one("kubernetes:core/v1:ResourceQuota", "shop-quota").props);
            assert.strictEqual(quota.spec.hard["services.nodeports"], "0");
            assert.ok(quota.spec.hard["limits.memory"]);
            assert.ok(plain(run.one("kubernetes:core/v1:LimitRange", "shop-limits").props).spec.limits[0].default.memory);
            assert.strictEqual(plain(run.one("kubernetes:core/v1:ServiceAccountPatch", "shop-default-sa").props).automountServiceAccountToken, false);
        });

        it("gives the workload least-privilege RBAC and a restricted pod spec", function () {
            const sa = plain(run.one("kubernetes:core/v1:ServiceAccount", "web").props);
            assert.strictEqual(sa.automountServiceAccountToken, false);
            const role = plain(run.one("kubernetes:rbac.authorization.k8s.io/v1:Role", "web").props);
            assert.deepStrictEqual(role.rules, [{ apiGroups: [""], resources: ["configmaps"], resourceNames: ["web-config"], verbs: ["get"] }]);
            assert.strictEqual(run.ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding").length, 0);
            const dep = plain(run.one("kubernetes:apps/v1:Deployment", "web").props);
            const pod = dep.spec.template.spec;
            assert.strictEqual(pod.automountServiceAccountToken, false);
            assert.deepStrictEqual(pod.securityContext, {
                runAsNonRoot: true,
                runAsUser: 10001,
                runAsGroup: 10001,
                fsGroup: 10001,
                seccompProfile: { type: "RuntimeDefault" },
            });
            const [c] = pod.containers;
            assert.match(c.image, /@sha256:[0-9a-f]{64}$/);
            assert.strictEqual(c.securityContext.allowPrivilegeEscalation, false);
            assert.strictEqual(c.securityContext.readOnlyRootFilesystem, true);
            assert.deepStrictEqual(c.securityContext.capabilities, { drop: ["ALL"] });
            assert.ok(c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.memory);
            assert.ok(!pod.hostNetwork && !pod.hostPID && !pod.volumes.some((v: any) => v.hostPath));
            const svc = plain(run.one("kubernetes:core/v1:Service", "web").props);
            assert.strictEqual(svc.spec.type, "ClusterIP");
        });
    });

    describe("insecure-demo", function () {
        let run: StackRun;
        before(async () => {
            run = await runStack("insecure-demo");
        });

        it("runs commands as root without sudo when the SSH user is root", function () {
            const cmds = run.ofType(CMD);
            assert.ok(cmds.length > 0);
            for (const c of cmds) assert.doesNotMatch(plain<string>(c.props.create), /sudo/, c.name);
        });

        it("breaks the Docker side on purpose", function () {
            const [p] = run.ofType("pulumi:providers:docker");
            assert.strictEqual(p.props.host, "tcp://192.0.2.30:2375");
            assert.ok(!p.props.caMaterial && !p.props.certMaterial);
            assert.ok(![...run.files.keys()].some((f) => f.startsWith("/etc/audit/")), "insecure demo should have no audit rules");
            const daemon = JSON.parse(fileMeta(run, "/etc/docker/daemon.json").content!);
            assert.strictEqual(daemon.tls, undefined);
            assert.strictEqual(daemon.icc, true);
            const web = plain(run.one("docker:index/container:Container", "web").props);
            assert.strictEqual(web.image, "nginx:latest");
            assert.deepStrictEqual([web.privileged, web.user, web.restart, web.memory, web.readOnly], [true, "root", "always", undefined, undefined]);
            assert.ok(web.volumes.some((v: any) => v.hostPath === "/var/run/docker.sock"));
        });

        it("breaks the Kubernetes side on purpose", function () {
            const docs = parseAllDocuments(fileMeta(run, "/etc/kubernetes/kubeadm.yaml").content!).map((d) => d.toJS());
            const args = Object.fromEntries(docs[1].apiServer.extraArgs.map((a: any) => [a.name, a.value]));
            assert.strictEqual(args["anonymous-auth"], "true");
            assert.strictEqual(args["audit-log-path"], undefined);
            const enc = parse(plain<string>(run.writer("/etc/kubernetes/policies/encryption-config.yaml").props.stdin));
            assert.deepStrictEqual(Object.keys(enc.resources[0].providers[0]), ["identity"]);
            assert.strictEqual(fileMeta(run, "/etc/kubernetes/pki/ca.key").mode, "0644");
            const crb = plain(run.one("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "developers-cluster-admin").props);
            assert.strictEqual(crb.roleRef.name, "cluster-admin");
            const pod = plain(run.one("kubernetes:apps/v1:Deployment", "debug").props).spec.template.spec;
            assert.strictEqual(pod.containers[0].securityContext.privileged, true);
            assert.strictEqual(pod.volumes[0].hostPath.path, "/");
            // Even the insecure demo keeps its keys in secrets: state is not the place to demonstrate a leak.
            assertNoPlaintextKeys(run);
        });
    });

    describe("the project", function () {
        for (const stack of ["docker-host", "kubernetes-cluster", "insecure-demo"] as StackName[]) {
            it(`${stack}: the TypeScript sources Pulumi.yaml names (what the Pulumi CLI runs) register what the compiled program does`, async function () {
                const loaded = loadProject(REPO, stack);
                assert.match(loaded.program, /stacks\/index\.ts$/);
                const opts = { project: loaded.project, stack, config: loaded.config, preview: false, mocks };
                const fromSources = await runProgram(loaded.program, opts);
                const compiled = await runProgram(PROGRAM, opts);
                assert.deepStrictEqual(
                    fromSources.resources.map((r) => r.urn),
                    compiled.resources.map((r) => r.urn),
                );
                assert.ok(compiled.resources.length > 10);
            });
        }

        it("refuses a stack name it has no program for", async function () {
            const loaded = loadProject(REPO, "docker-host");
            await assert.rejects(
                runProgram(PROGRAM, { project: loaded.project, stack: "staging", config: loaded.config, mocks }),
                /unknown stack "staging": expected one of docker-host, kubernetes-cluster, insecure-demo/,
            );
        });
    });
});
