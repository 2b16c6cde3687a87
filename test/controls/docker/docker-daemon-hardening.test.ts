import assert from "node:assert/strict";
import control from "stride-guard/lib/controls/docker/docker-daemon-hardening";
import { daemonJsonWriter, hardenedDaemonJson, hardenedHost, HOST, remoteCommand, outcomeOf } from "../../support/docker-platform-fixtures";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";

describe("docker-daemon-hardening", () => {
    it("passes a hardened daemon.json, and stacks without Docker hosts", () => {
        assert.deepEqual(outcomeOf(run(control, hardenedHost())), { violations: [], unknownPaths: [] });
        assert.deepEqual(outcomeOf(run(control, [remoteCommand("motd", "tee /etc/motd", { stdin: "hi" })])).violations, []);
    });

    const cases: [string, Record<string, unknown>, RegExp][] = [
        ["userns-remap unset", { "userns-remap": undefined }, /"userns-remap": is unset: root in a container is root on the host/],
        ["userns-remap empty", { "userns-remap": "" }, /"userns-remap": is unset/],
        ["no-new-privileges false", { "no-new-privileges": false }, /"no-new-privileges": is false: setuid/],
        ["live-restore unset", { "live-restore": undefined }, /"live-restore": is unset: a daemon restart/],
        [
            "insecure registries",
            { "insecure-registries": ["10.0.0.9:5000"] },
            /"insecure-registries": lists 1 registry \(entry 0\) pulled without TLS verification/,
        ],
        ["storage-driver aufs", { "storage-driver": "aufs" }, /"storage-driver": is "aufs": an unmaintained driver/],
        ["seccomp-profile unconfined", { "seccomp-profile": "unconfined" }, /"seccomp-profile": is "unconfined": every container without its own profile/],
        ["experimental true", { experimental: true }, /"experimental": is true: experimental features/],
    ];
    for (const [what, override, re] of cases) {
        it(`fails on ${what} alone, naming the host and the setting`, () => {
            const msgs = messages(control, [daemonJsonWriter(hardenedDaemonJson(override))]);
            assert.equal(msgs.length, 1, msgs.join("\n"));
            assert.match(msgs[0], re);
            assert.match(msgs[0], new RegExp(`^Docker host ${HOST.replace(/\./g, "\\.")}: /etc/docker/daemon.json`));
            assert.match(
                msgs[0],
                /CIS Docker 2\.5, 2\.6, 2\.9, 2\.12, 2\.14, 2\.15, 2\.17, 2\.18 \(legacy 2\.4, 2\.5, 2\.8, 2\.11, 2\.17, 2\.13, 2\.15, 2\.16\)/,
            );
        });
    }

    it("fails on every setting of a Docker host that writes no daemon.json, saying the defaults apply", () => {
        const msgs = messages(control, [remoteCommand("ca", "install -m 0644 /dev/stdin /etc/docker/certs.d/r/ca.crt", { stdin: "pem" })]);
        assert.equal(msgs.length, 3);
        for (const m of msgs) assert.match(m, /the stack sets it neither in \/etc\/docker\/daemon.json nor as a dockerd flag, so dockerd's default applies/);
    });

    it("passes other storage drivers, a named seccomp profile and experimental false", () => {
        const ok = hardenedDaemonJson({ "storage-driver": "overlay2", "seccomp-profile": "/etc/docker/seccomp.json", experimental: false });
        assert.deepEqual(messages(control, [daemonJsonWriter(ok)]), []);
    });

    it("requires an authorization plugin (2.12) only with requireAuthorizationPlugin", () => {
        const none = [daemonJsonWriter(hardenedDaemonJson())];
        assert.deepEqual(messages(control, none), []);
        const msgs = messages(control, none, { requireAuthorizationPlugin: true });
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /"authorization-plugins": names no plugin: every client that reaches the socket may run any command/);
        const some = [daemonJsonWriter(hardenedDaemonJson({ "authorization-plugins": ["opa-docker-authz"] }))];
        assert.deepEqual(messages(control, some, { requireAuthorizationPlugin: true }), []);
    });

    it("honours skip, allowedInsecureRegistries and excludeNames", () => {
        const r = daemonJsonWriter(hardenedDaemonJson({ "live-restore": false, "insecure-registries": ["127.0.0.1:5000"] }));
        assert.deepEqual(messages(control, [r], { skip: ["2.15"], allowedInsecureRegistries: ["127.0.0.1:*"] }), []);
        assert.deepEqual(messages(control, [r], { excludeNames: [HOST] }), []);
        assert.deepEqual(messages(control, [r], { excludeNames: ["daemon-json*"] }), []);
    });

    it("reports unknown preview content under unknownPaths, and as a violation under unknownValues: fail", () => {
        const r = daemonJsonWriter("{}");
        const unknown = { ...r, props: { ...(r.props as object), stdin: UNKNOWN_STRING } };
        assert.deepEqual(outcomeOf(run(control, [unknown])), { violations: [], unknownPaths: ["/etc/docker/daemon.json"] });
        const failed = run(control, [unknown], { unknownValues: "fail" }).violations;
        assert.equal(failed.length, 1);
        assert.equal(failed[0].unknown, true);
        assert.match(failed[0].message, /unknown at preview/);
    });

    it("never shows a secret daemon.json's values", () => {
        const token = "s3cr3t-registry.internal:5000";
        const r = daemonJsonWriter("{}");
        const wrapped = { ...r, props: { ...(r.props as object), stdin: secret(JSON.stringify(hardenedDaemonJson({ "insecure-registries": [token] }))) } };
        const msgs = messages(control, [wrapped]);
        assert.equal(msgs.length, 1);
        for (const m of msgs) assert.ok(!m.includes(token), m);
    });

    it("gives a clear message for invalid JSON, a non-object, and wrong types, without throwing", () => {
        const invalid = messages(control, [daemonJsonWriter('{\n  "icc": false,\n  "live-restore": tru\n}')]);
        assert.equal(invalid.length, 1);
        assert.match(invalid[0], /\/etc\/docker\/daemon.json: is not valid daemon configuration \(invalid JSON near line 3\)/);
        assert.match(messages(control, [daemonJsonWriter("[1, 2]")])[0], /the document is an array, not a JSON object/);
        assert.match(messages(control, [daemonJsonWriter("null")])[0], /the document is null/);
        const wrong = messages(control, [daemonJsonWriter(hardenedDaemonJson({ "live-restore": 1, "insecure-registries": "x" }))]);
        assert.equal(wrong.length, 2);
        assert.match(wrong[0], /"live-restore": is malformed: expected a boolean, got a number/);
        assert.match(wrong[1], /"insecure-registries": is malformed: expected an array, got a string/);
        assert.doesNotThrow(() => run(control, [{ type: "command:remote:Command", name: "x", props: null }]));
    });

    it("locates the first JSON error by line, whatever the error", () => {
        const cases: [string, number][] = [
            ['{\n  "icc": false\n  "live-restore": true\n}', 3],
            ['{\n  "a": "unterminated\n}', 2],
            ['{\n  "a": 1\n}\n}', 4],
            ['{\n  "a": [1, 2,]\n}', 2],
            ["", 1],
        ];
        for (const [text, line] of cases) {
            const msgs = messages(control, [daemonJsonWriter(text)]);
            assert.equal(msgs.length, 1, text);
            assert.match(msgs[0], new RegExp(`invalid JSON near line ${line}\\)`), text);
        }
    });

    it("says when daemon.json is written from a source it cannot read", () => {
        const msgs = messages(control, [remoteCommand("cp", "cp /opt/daemon.json /tmp/d && install -m 0644 /opt/daemon.json /etc/docker/daemon.json")]);
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /cannot be checked: cp writes it from a source the policy cannot follow/);
    });

    it("reads dockerd flags from docker.service units and drop-ins the stack writes, naming the unit", () => {
        const dropIn = (execStart: string, name = "drop-in") =>
            remoteCommand(name, "install -D -m 0644 /dev/stdin /etc/systemd/system/docker.service.d/override.conf", {
                stdin: `[Service]\nExecStart=\nExecStart=${execStart}\n`,
            });
        assert.deepEqual(messages(control, [dropIn("/usr/bin/dockerd --userns-remap=default --no-new-privileges --live-restore")]), []);
        const msgs = messages(control, [dropIn("/usr/bin/dockerd --userns-remap default --no-new-privileges=false --live-restore")]);
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /^Docker host 10\.0\.0\.5: \/etc\/systemd\/system\/docker\.service\.d\/override\.conf --no-new-privileges: is false/);
        const both = messages(control, [daemonJsonWriter(), dropIn("/usr/bin/dockerd --live-restore")]);
        assert.equal(both.length, 1);
        assert.match(
            both[0],
            /"live-restore" is set both in \/etc\/docker\/daemon.json and as \/etc\/systemd\/system\/docker\.service\.d\/override\.conf --live-restore, which dockerd refuses/,
        );
        assert.deepEqual(messages(control, [daemonJsonWriter(), dropIn("/usr/bin/dockerd --containerd=/run/containerd/containerd.sock")]), []);
        assert.deepEqual(run(control, [dropIn("/usr/bin/dockerd $DOCKER_OPTS --userns-remap=$REMAP --no-new-privileges --live-restore")]).unknownPaths, [
            "/etc/systemd/system/docker.service.d/override.conf --userns-remap",
        ]);
    });

    it("reads string booleans as dockerd does", () => {
        assert.deepEqual(messages(control, [daemonJsonWriter(hardenedDaemonJson({ "live-restore": "true", "no-new-privileges": "true" }))]), []);
    });
});
