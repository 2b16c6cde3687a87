import assert from "node:assert/strict";
import control from "stride-guard/lib/controls/docker/docker-provider-tls";
import { dockerProvider, outcomeOf } from "../../support/docker-platform-fixtures";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";

const KEY = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB1s3cr3tk3y\n-----END EC PRIVATE KEY-----\n";
const TLS = { caMaterial: secret("-----BEGIN CERTIFICATE-----ca"), certMaterial: secret("-----BEGIN CERTIFICATE-----cert"), keyMaterial: secret(KEY) };

describe("docker-provider-tls", () => {
    it("passes ssh://, unix://, npipe://, unset host, tcp:// with mutual TLS material or certPath, https registries", () => {
        for (const host of ["ssh://deploy@10.0.0.5", "unix:///var/run/docker.sock", "npipe:////./pipe/docker_engine", undefined]) {
            assert.deepEqual(outcomeOf(run(control, dockerProvider({ host }))), { violations: [], unknownPaths: [] }, String(host));
        }
        assert.deepEqual(messages(control, dockerProvider({ host: "tcp://10.0.0.5:2376", ...TLS })), []);
        assert.deepEqual(messages(control, dockerProvider({ host: "tcp://10.0.0.5:2376", certPath: "/home/ci/.docker" })), []);
        const registryAuth = [{ address: "https://registry.example.com", username: "ci", password: secret("pw") }, { address: "registry.example.com:5000" }];
        assert.deepEqual(messages(control, dockerProvider({ registryAuth })), []);
    });

    it("fails tcp:// without TLS material, naming the provider and the field", () => {
        const msgs = messages(control, dockerProvider({ host: "tcp://10.0.0.5:2375" }));
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /^Docker provider "remote": host: connects over tcp:\/\/ without TLS material/);
        assert.match(msgs[0], /\[CIS Docker 2\.7 \(legacy 2\.6\)\]$/);
        assert.equal(messages(control, dockerProvider({ host: "10.0.0.5:2375" })).length, 1, "a bare host:port is tcp");
        assert.equal(messages(control, dockerProvider({ host: "http://10.0.0.5:2375" })).length, 1);
    });

    for (const key of ["caMaterial", "certMaterial", "keyMaterial"] as const) {
        it(`fails tcp:// when only ${key} is missing`, () => {
            const props: Record<string, unknown> = { host: "tcp://10.0.0.5:2376", ...TLS };
            delete props[key];
            const msgs = messages(control, dockerProvider(props));
            assert.equal(msgs.length, 1);
            assert.match(msgs[0], new RegExp(`: ${key}: is unset: mutual TLS over tcp:// needs`));
            assert.ok(!msgs[0].includes("s3cr3t"));
        });
    }

    it("fails an http:// registry, naming the entry", () => {
        const msgs = messages(
            control,
            dockerProvider({ registryAuth: [{ address: "https://ok.example.com" }, { address: "http://registry.local:5000", password: secret("hunter2") }] }),
        );
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /registryAuth\[1\]\.address: is a plain http:\/\/ registry/);
        assert.ok(!msgs[0].includes("hunter2"));
    });

    it("reads registryAuth and sshOpts given as JSON strings (provider config form)", () => {
        const msgs = messages(
            control,
            dockerProvider({ registryAuth: JSON.stringify([{ address: "http://r.local" }]), sshOpts: JSON.stringify(["-o", "StrictHostKeyChecking=no"]) }),
        );
        assert.equal(msgs.length, 2);
        assert.match(msgs[0], /sshOpts: turns off SSH host key verification/);
        assert.match(msgs[1], /registryAuth\[0\]\.address/);
    });

    it("fails an unverified ssh host key and a Docker context that hides the endpoint, unless allowed", () => {
        assert.match(messages(control, dockerProvider({ sshOpts: ["-o", "UserKnownHostsFile=/dev/null"] }))[0], /sshOpts: turns off SSH host key verification/);
        const ctx = dockerProvider({ context: "prod" });
        assert.match(messages(control, ctx)[0], /context: selects Docker context "prod", which overrides host/);
        assert.deepEqual(messages(control, ctx, { allowedContexts: ["prod"] }), []);
    });

    it("points the default provider at stack config", () => {
        const msgs = messages(control, dockerProvider({ host: "tcp://10.0.0.5:2375" }, "default_5_2_0"));
        assert.match(msgs[0], /^Docker default provider "default_5_2_0" \(stack config docker:\*\): host: connects over tcp:\/\/ \(stack config docker:host\)/);
    });

    it("rejects endpoints Docker does not understand", () => {
        assert.match(messages(control, dockerProvider({ host: "fd://" }))[0], /fd:\/\/, a socket-activation listener/);
        assert.match(messages(control, dockerProvider({ host: "ftp://x" }))[0], /host: is not a Docker endpoint: its scheme "ftp"/);
    });

    it("treats unknown preview values as unknown", () => {
        assert.deepEqual(outcomeOf(run(control, dockerProvider({ host: UNKNOWN_STRING }))), { violations: [], unknownPaths: ["host"] });
        assert.deepEqual(outcomeOf(run(control, dockerProvider({ host: "tcp://h:2376", ...TLS, keyMaterial: UNKNOWN_STRING }))), {
            violations: [],
            unknownPaths: ["keyMaterial"],
        });
        const failed = run(control, dockerProvider({ host: UNKNOWN_STRING }), { unknownValues: "fail" }).violations;
        assert.equal(failed.length, 1);
        assert.equal(failed[0].unknown, true);
    });

    it("never shows key material, even when malformed input is reported", () => {
        const msgs = messages(control, dockerProvider({ host: "tcp://h:2376", caMaterial: secret(KEY), certMaterial: secret(KEY), keyMaterial: secret(42) }));
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /keyMaterial: is malformed: expected a string, got a number/);
        assert.ok(!msgs.join("\n").includes("s3cr3t") && !msgs.join("\n").includes("42"));
    });

    it("gives clear messages for malformed inputs without throwing", () => {
        assert.match(messages(control, dockerProvider({ host: 5 }))[0], /host: is malformed: expected a string, got a number/);
        assert.match(messages(control, dockerProvider({ registryAuth: "not json [" }))[0], /registryAuth: is malformed/);
        assert.match(messages(control, dockerProvider({ registryAuth: [null] }))[0], /registryAuth\[0\]\.address: is malformed: expected an object/);
        assert.match(messages(control, dockerProvider({ registryAuth: "[oops" }))[0], /registryAuth: is malformed: expected JSON/);
        assert.doesNotThrow(() => run(control, { type: "pulumi:providers:docker", name: "p", props: null }));
    });

    it("honours excludeNames", () => {
        assert.deepEqual(messages(control, dockerProvider({ host: "tcp://h:2375" }, "legacy"), { excludeNames: ["legacy"] }), []);
    });
});
