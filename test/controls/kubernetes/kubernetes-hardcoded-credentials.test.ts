import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-hardcoded-credentials";
import envSecrets from "stride-guard/lib/controls/docker/docker-container-env-secrets";
import { POD_BEARING_KINDS, podSpec, k8sContainer, workload } from "../../support/fixtures";
import { assertMalformedReported, assertOne, assertPasses, assertSecretHidden, assertUnknown, deploy } from "../../support/kubernetes-fixtures";
import { messages, secret, UNKNOWN_STRING } from "../../support/run-control";

const c0 = "spec.template.spec.containers[0]";
const PASSWORD = "hunter2hunter2";

describe("kubernetes-hardcoded-credentials", () => {
    it("passes references, paths, plain settings and empty values", () => {
        assertPasses(control, deploy());
        assertPasses(
            control,
            deploy({
                container: {
                    env: [
                        { name: "MODE", value: "prod" },
                        { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "pw" } } },
                        { name: "DB_PASSWORD_FILE", value: "/run/secrets/db/password" },
                        { name: "API_TOKEN", value: "" },
                        { name: "REDIS_PASSWORD", value: "$(FROM_SECRET)" },
                        { name: "AWS_ACCESS_KEY_ID", value: "AKIA-not-a-key" },
                    ],
                    args: ["--secret-name=db", "--token-ttl", "24h", "--password-file=/run/secrets/pw", "--kubelet-service=kube-system/kubelet"],
                },
            }),
        );
    });

    it("flags credential-named env values, known key formats and password arguments, each at its path, never showing the value", () => {
        const res = deploy({
            container: {
                env: [
                    { name: "MODE", value: "prod" },
                    { name: "MYSQL_ROOT_PASSWORD", value: PASSWORD },
                    { name: "AWS_SECRET_ACCESS_KEY", value: PASSWORD },
                    { name: "UPSTREAM", value: `postgres://app:${PASSWORD}@db:5432/app` },
                ],
                command: ["/bin/server"],
                args: ["--db-password", PASSWORD, `--redis-password=${PASSWORD}`, "--log=info", `--dsn=mysql://root:${PASSWORD}@db/app`],
            },
        });
        const m = messages(control, res);
        assert.deepEqual(
            m.map((x) => x.split(": ")[1]),
            [`${c0}.env[1].value`, `${c0}.env[2].value`, `${c0}.env[3].value`, `${c0}.args[0]`, `${c0}.args[2]`, `${c0}.args[4]`],
        );
        assert.match(m[0], /environment variable "MYSQL_ROOT_PASSWORD" carries a credential \(by its name\).*\[CIS Kubernetes 5\.4\.1\]/);
        assert.match(m[2], /"UPSTREAM" holds what looks like a URL with an embedded password/);
        assert.match(m[3], /passes a password on the command line \(--db-password\)/);
        for (const x of m) assert.ok(!x.includes(PASSWORD), x);
    });

    it("covers every pod-bearing kind and every container list", () => {
        for (const kind of POD_BEARING_KINDS) {
            const spec = podSpec({
                initContainers: [k8sContainer({ name: "init", env: [{ name: "DB_PASSWORD", value: PASSWORD }] })],
                containers: [k8sContainer({ args: [`--password=${PASSWORD}`] })],
            });
            assert.equal(messages(control, workload(kind, spec)).length, 2, kind);
        }
    });

    it("shares the credential names with docker-container-env-secrets, settings included", () => {
        assert.deepEqual(control.config, envSecrets.config);
        const res = deploy({ container: { env: [{ name: "SESSION_KEY", value: PASSWORD }] } });
        assertOne(control, res, [`${c0}.env[0].value`]);
        assertPasses(control, res, { allowNames: ["SESSION_*"] });
    });

    it("handles unknown, secret and malformed values", () => {
        assertUnknown(control, deploy({ container: { env: [{ name: "DB_PASSWORD", value: UNKNOWN_STRING }] } }), `${c0}.env[0].value`);
        assertUnknown(control, deploy({ container: { args: UNKNOWN_STRING } }), `${c0}.args`);
        // A value held as a Pulumi secret is still written into the spec; it is reported and never shown.
        const m = messages(control, deploy({ container: { env: [{ name: "DB_PASSWORD", value: secret("s3cr3t-pw-xyz") }] } }));
        assert.equal(m.length, 1);
        assert.ok(!m[0].includes("s3cr3t-pw-xyz"));
        assertSecretHidden(control, deploy({ container: { env: [{ name: "DB_PASSWORD", value: PASSWORD }] } }));
        assertMalformedReported(control);
        assertOne(control, deploy({ container: { env: [{ name: 7, value: PASSWORD }] } }), [`${c0}.env[0]`, "malformed"]);
    });
});
