import assert from "assert/strict";
import control, { matchesAny } from "stride-guard/lib/controls/docker/docker-container-env-secrets";
import { globMatch } from "stride-guard/lib/engine/settings";
import { messages, secret, UNKNOWN_STRING } from "../../support/run-control";
import {
    assertMalformed,
    assertOne,
    assertPass,
    assertSecretHidden,
    assertUnknown,
    assertUnreadableReported,
    hardenedContainer,
    hardenedService,
} from "../../support/docker-fixtures";

// Built at run time so that no scanner mistakes the fixtures for real credentials.
const AWS = "AKIA" + "IOSFODNN7EXAMPLE";
const PEM = "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEow...";
const GITHUB = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
const SLACK = "xoxb-" + "123456789012-abcdefghijkl";

describe("docker-container-env-secrets", () => {
    it("passes innocuous variables, file pointers and empty credentials", () => {
        assertPass(control, [
            hardenedContainer(),
            hardenedService(),
            hardenedContainer({ envs: ["PUBLIC_KEY_URL=https://example.com/jwks", "AWS_ACCESS_KEY_ID_PATH=/run/k", "API_TOKEN=", "MONKEY_FILE=/x"] }),
            hardenedContainer({
                envs: ["DATABASE_URL=postgres://db.internal:5432/app", "KEYCLOAK_URL=https://sso.internal", "TOKEN_ENDPOINT=https://sso/token"],
            }),
        ]);
    });

    it("fails credential-like names, naming the variable and never the value", () => {
        for (const name of ["DB_PASSWORD", "api_token", "ClientSecret", "STRIPE_KEY", "GCP_CREDENTIALS", "MYSQL_ROOT_PASSWD"]) {
            const m = assertOne(control, hardenedContainer({ envs: ["LOG_LEVEL=info", `${name}=hunter2-value`] }), [
                'Docker container "web": envs[1]:',
                `environment variable "${name}"`,
                "by its name",
                "CIS Docker 4.10",
            ]);
            assert.ok(!m.includes("hunter2-value"));
        }
        assertOne(control, hardenedService({ env: { REDIS_PASSWORD: "pw-value" } }), [
            'Docker service task "api": taskSpec.containerSpec.env.REDIS_PASSWORD',
            '"REDIS_PASSWORD"',
        ]);
        assertOne(control, hardenedContainer({ envs: ["DB_PASSWORD"] }), ['"DB_PASSWORD"']);
    });

    it("fails values in known key formats under innocuous names", () => {
        const cases: [string, string][] = [
            [AWS, "an AWS access key id"],
            [PEM, "a PEM private key"],
            [GITHUB, "a GitHub token"],
            [SLACK, "a Slack token"],
            ["postgres://app:s3cr3t@db:5432/app", "a URL with an embedded password"],
            ["https://hooks.slack.com/services/T0000/B0000/XXXXXXXX", "a Slack webhook URL"],
        ];
        for (const [value, what] of cases) {
            const m = assertOne(control, hardenedContainer({ envs: [`CONFIG_BLOB=${value}`] }), ['"CONFIG_BLOB"', what]);
            assert.ok(!m.includes(value) && !m.includes(value.slice(0, 12)), m);
        }
    });

    it("still checks the values of allowed names", () => {
        assertOne(control, hardenedContainer({ envs: ["REDIS_URL=redis://default:pw123@cache:6379"] }), ['"REDIS_URL"', "a URL with an embedded password"]);
    });

    it("honours configured name patterns", () => {
        assertPass(control, hardenedContainer({ envs: ["KEYCLOAK_REALM=main"] }), { allowNames: ["KEYCLOAK_*"] });
        assertOne(control, hardenedContainer({ envs: ["PIN=1234"] }), ['"PIN"'], { credentialNames: ["PIN"] });
    });

    it("treats unknown values per the unknownValues setting", () => {
        assertUnknown(control, hardenedContainer({ envs: ["LOG_LEVEL=info", UNKNOWN_STRING] }), "envs[1]");
        assertUnknown(control, hardenedContainer({ envs: UNKNOWN_STRING }), "envs");
        // An unknown value under a credential name is a credential all the same.
        assertOne(control, hardenedService({ env: { DB_PASSWORD: UNKNOWN_STRING } }), ['"DB_PASSWORD"']);
        assertPass(control, hardenedService({ env: { DB_HOST: UNKNOWN_STRING } }));
    });

    it("never shows a secret value", () => {
        const msgs = assertSecretHidden(control, hardenedContainer({ envs: [secret("DB_PASSWORD=hunter2-wrapped")] }), "hunter2-wrapped");
        assert.ok(msgs.some((m) => m.includes("envs[0]")));
        assertSecretHidden(control, hardenedService({ env: { TOKEN: secret("tok-wrapped-123") } }), "tok-wrapped-123");
        assertSecretHidden(control, hardenedContainer({ envs: [`NOTE=${AWS}`] }), AWS);
    });

    it("reports malformed input without throwing", () => {
        assertMalformed(control, hardenedContainer({ envs: ["A=1", 7] }), ["envs[1]", "malformed", "expected a string"]);
        assertMalformed(control, hardenedContainer({ envs: { A: "1" } }), ["envs", "expected an array"]);
        assertMalformed(control, hardenedService({ env: ["A=1"] }), ["taskSpec.containerSpec.env", "expected an object"]);
        assertUnreadableReported(control);
        assert.equal(messages(control, hardenedContainer({ envs: ["X=" + "a".repeat(200_000)] })).length, 0);
    });

    it("matches name patterns as globMatch does, pattern by pattern, case-insensitively", () => {
        const lists: string[][] = [[], ["*PASSWORD*", "*KEY*"], ["db_pass", "*_FILE", "a.b*", "x|y", "(q)*", "[z]", "^s$", "*\\*", "", "ß*"], ["*"]];
        const names = ["DB_PASSWORD", "API_KEY_ID", "DB_PASS", "X_FILE", "A.B", "AXB", "X|Y", "X", "(Q)", "[Z]", "^S$", "\\", "", "SS", "ß", "ÄKEY", "KEY\nX"];
        for (const patterns of lists) {
            for (const n of names) {
                const upper = n.toUpperCase();
                assert.equal(
                    matchesAny(patterns, upper),
                    patterns.some((p) => globMatch(p.toUpperCase(), upper)),
                    `${JSON.stringify(patterns)} ${JSON.stringify(n)}`,
                );
            }
        }
    });
});
