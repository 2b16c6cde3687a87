import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-configmap-credentials";
import hardcoded from "stride-guard/lib/controls/kubernetes/kubernetes-hardcoded-credentials";
import { messages, run, Res, secret, UNKNOWN_STRING } from "../../support/run-control";

const PASSWORD = "hunter2hunter2";
const cm = (data: unknown, kind = "ConfigMap"): Res => ({
    type: `kubernetes:core/v1:${kind}`,
    name: "app",
    props: { metadata: { name: "app", namespace: "shop" }, data },
});

describe("kubernetes-configmap-credentials", () => {
    it("passes settings, empty values, allowed names and other kinds", () => {
        assert.deepEqual(messages(control, cm({ LOG_LEVEL: "info", DB_PASSWORD_FILE: "/run/secrets/db", API_TOKEN: "", "nginx.conf": "server {}" })), []);
        assert.deepEqual(messages(control, cm(undefined)), []);
        assert.deepEqual(messages(control, { type: "kubernetes:core/v1:Secret", name: "s", props: { data: { DB_PASSWORD: PASSWORD } } }), []);
    });

    it("flags credential-named keys and known key formats, each at its key, never showing the value", () => {
        const m = messages(
            control,
            cm({ LOG_LEVEL: "info", MYSQL_PASSWORD: PASSWORD, "tls.key": "-----BEGIN RSA PRIVATE KEY-----\nMII", dsn: `postgres://app:${PASSWORD}@db/app` }),
        );
        assert.deepEqual(
            m.map((x) => x.split(": ")[1]),
            ['data["MYSQL_PASSWORD"]', 'data["tls.key"]', 'data["dsn"]'],
        );
        assert.match(
            m[0],
            /^ConfigMap "shop\/app": data\["MYSQL_PASSWORD"\]: key "MYSQL_PASSWORD" holds a credential \(by its name\) in a ConfigMap.*\[CIS Kubernetes 5\.4\.1\]$/,
        );
        assert.match(m[2], /a URL with an embedded password/);
        for (const x of m) assert.ok(!x.includes(PASSWORD), x);
        assert.equal(messages(control, cm({ AWS_SECRET_ACCESS_KEY: PASSWORD }, "ConfigMapPatch")).length, 1);
    });

    it("shares the credential names with the container controls", () => {
        assert.deepEqual(control.config, hardcoded.config);
        assert.deepEqual(messages(control, cm({ SESSION_KEY: PASSWORD }), { allowNames: ["SESSION_*"] }), []);
    });

    it("handles unknown, secret and malformed data", () => {
        const unknown = run(control, cm({ DB_PASSWORD: UNKNOWN_STRING, MODE: UNKNOWN_STRING }));
        assert.deepEqual(unknown.unknownPaths, ['data["DB_PASSWORD"]']);
        assert.deepEqual(run(control, cm(UNKNOWN_STRING)).unknownPaths, ["data"]);
        const hidden = messages(control, cm({ DB_PASSWORD: secret("s3cr3t-cm-value") }));
        assert.equal(hidden.length, 1);
        assert.ok(!hidden[0].includes("s3cr3t-cm-value"));
        assert.match(messages(control, cm(["DB_PASSWORD=x"]))[0], /data: is malformed: expected a map of keys to strings, got an array/);
        assert.match(messages(control, cm({ DB_PASSWORD: 7 }))[0], /data\["DB_PASSWORD"\]: is malformed/);
        assert.doesNotThrow(() => messages(control, { type: "kubernetes:core/v1:ConfigMap", name: "x", props: null }));
    });
});
