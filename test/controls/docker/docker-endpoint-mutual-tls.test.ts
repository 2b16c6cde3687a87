import assert from "node:assert/strict";
import control from "stride-guard/lib/controls/docker/docker-endpoint-mutual-tls";
import { daemonJsonWriter, dockerProvider, hardenedDaemonJson, HOST, outcomeOf, remoteCommand } from "../../support/docker-platform-fixtures";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";

const MTLS = { tlsverify: true, tlscacert: "/etc/docker/certs/ca.pem", tlscert: "/etc/docker/certs/server.pem", tlskey: "/etc/docker/certs/server-key.pem" };

describe("docker-endpoint-mutual-tls", () => {
    it("passes unix-only daemons, tcp listeners with mutual TLS, and providers that land on them", () => {
        assert.deepEqual(outcomeOf(run(control, [daemonJsonWriter(hardenedDaemonJson({ hosts: ["unix:///var/run/docker.sock", "fd://"] }))])), {
            violations: [],
            unknownPaths: [],
        });
        const daemon = daemonJsonWriter(hardenedDaemonJson({ hosts: ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"], ...MTLS }));
        assert.deepEqual(messages(control, [daemon, dockerProvider({ host: `tcp://${HOST}:2376` })]), []);
    });

    it("fails a tcp listener without tlsverify, naming the host and what is missing", () => {
        const msgs = messages(control, [daemonJsonWriter(hardenedDaemonJson({ hosts: ["tcp://0.0.0.0:2375"] }))]);
        assert.equal(msgs.length, 1);
        assert.match(
            msgs[0],
            /^Docker host "10\.0\.0\.5": \/etc\/docker\/daemon.json "hosts": listens on tcp:\/\/ \(2375\) without mutual TLS: it lacks "tlsverify": true, "tlscacert", "tlscert", "tlskey"/,
        );
        assert.match(msgs[0], /\[CIS Docker 2\.7 \(legacy 2\.6\)\]$/);
    });

    for (const key of ["tlsverify", "tlscacert", "tlscert", "tlskey"] as const) {
        it(`fails when only ${key} is missing`, () => {
            const settings: Record<string, unknown> = { ...MTLS, hosts: ["tcp://:2376"] };
            delete settings[key];
            const msgs = messages(control, [daemonJsonWriter(hardenedDaemonJson(settings))]);
            assert.equal(msgs.length, 1);
            assert.ok(msgs[0].includes(`"${key}"`), msgs[0]);
        });
    }

    it("says that TLS without verification accepts any client", () => {
        const msgs = messages(control, [daemonJsonWriter(hardenedDaemonJson({ ...MTLS, tlsverify: false, tls: true, hosts: ["tcp://0.0.0.0:2376"] }))]);
        assert.match(msgs[0], /it serves TLS but accepts any client/);
    });

    it("fails a provider that reaches a declared host on a tcp port its daemon.json does not declare", () => {
        const msgs = messages(control, [
            daemonJsonWriter(hardenedDaemonJson()),
            dockerProvider({
                host: `tcp://${HOST}:2376`,
                caMaterial: secret("ca-pem-material"),
                certMaterial: secret("cert-pem-material"),
                keyMaterial: secret("key-pem-material"),
            }),
        ]);
        assert.equal(msgs.length, 1);
        assert.match(
            msgs[0],
            /^Docker provider "remote": host: connects to 10\.0\.0\.5 over tcp:\/\/ port 2376, but that host's daemon\.json declares no tcp:\/\/ listener there/,
        );
        // Providers pointed elsewhere, or over ssh, are the provider control's business.
        assert.deepEqual(
            messages(control, [daemonJsonWriter(), dockerProvider({ host: "tcp://10.9.9.9:2376" }), dockerProvider({ host: `ssh://u@${HOST}` }, "ssh")]),
            [],
        );
    });

    it("reads -H listeners and TLS flags from a docker.service drop-in", () => {
        const unit = (flags: string) =>
            remoteCommand("unit", "tee /etc/systemd/system/docker.service.d/10-tcp.conf >/dev/null", {
                stdin: `[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -H fd:// ${flags}\n`,
            });
        const msgs = messages(control, [unit("-H tcp://0.0.0.0:2375")]);
        assert.equal(msgs.length, 1);
        assert.match(
            msgs[0],
            /^Docker host "10\.0\.0\.5": \/etc\/systemd\/system\/docker\.service\.d\/10-tcp\.conf -H: listens on tcp:\/\/ \(2375\) without mutual TLS/,
        );
        assert.deepEqual(
            messages(control, [unit("--host=tcp://0.0.0.0:2376 --tlsverify --tlscacert=/c/ca.pem --tlscert /c/cert.pem --tlskey /c/key.pem")]),
            [],
        );
    });

    it("reports listeners dockerd cannot read, by position", () => {
        const msgs = messages(control, [daemonJsonWriter(hardenedDaemonJson({ hosts: ["gopher://x"] }))]);
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /has listeners dockerd cannot read: entry 0 \(its scheme "gopher"/);
    });

    it("handles unknown and malformed settings without throwing", () => {
        const unknown = daemonJsonWriter("{}");
        const u = { ...unknown, props: { ...(unknown.props as object), stdin: UNKNOWN_STRING } };
        assert.deepEqual(outcomeOf(run(control, [u])), { violations: [], unknownPaths: ["/etc/docker/daemon.json"] });
        assert.match(
            messages(control, [daemonJsonWriter(hardenedDaemonJson({ hosts: "tcp://0.0.0.0:2376" }))])[0],
            /"hosts": is malformed: expected an array, got a string/,
        );
        assert.match(
            messages(control, [daemonJsonWriter(hardenedDaemonJson({ hosts: ["tcp://:2376"], ...MTLS, tlsverify: 3 }))])[0],
            /"tlsverify": is malformed/,
        );
        assert.doesNotThrow(() => run(control, [{ type: "pulumi:providers:docker", name: "p", props: { host: 7 } }]));
    });

    it("never shows secret key paths or content", () => {
        const r = daemonJsonWriter("{}");
        const text = JSON.stringify(hardenedDaemonJson({ hosts: ["tcp://0.0.0.0:2376"], tlskey: "/s3cr3t/key.pem" }));
        const msgs = messages(control, [{ ...r, props: { ...(r.props as object), stdin: secret(text) } }]);
        assert.equal(msgs.length, 1);
        assert.ok(!msgs[0].includes("s3cr3t"));
    });

    it("honours exemptions", () => {
        const r = daemonJsonWriter(hardenedDaemonJson({ hosts: ["tcp://0.0.0.0:2375"] }));
        assert.deepEqual(messages(control, [r], { excludeNames: [HOST] }), []);
    });
});
