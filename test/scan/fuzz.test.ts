// Property tests: no input makes a reader or a whole scan throw, and every scan returns a well-formed report.
import assert from "assert/strict";
import fc from "fast-check";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { readCompose } from "stride-guard/lib/scan/compose";
import { readInspectFiles } from "stride-guard/lib/scan/docker";
import { readKubernetes } from "stride-guard/lib/scan/kubernetes";
import { scanCompose, scanDocker, scanKubernetes } from "stride-guard/lib/scan/index";
import { toSarif } from "stride-guard/lib/scan/sarif";

const KINDS = ["Pod", "Deployment", "CronJob", "List", "Secret", "Namespace", "Role", "Service", "Ingress", "NetworkPolicy", "X"];
const VERSIONS = ["v1", "apps/v1", "batch/v1", "rbac.authorization.k8s.io/v1", "networking.k8s.io/v1", "example.com/v1", "bad version"];

/** JSON values biased towards the keys the adapters read. */
const KEYS = [
    "spec",
    "template",
    "containers",
    "securityContext",
    "privileged",
    "image",
    "env",
    "volumes",
    "hostPath",
    "ports",
    "items",
    "metadata",
    "name",
    "namespace",
    "labels",
    "HostConfig",
    "Config",
    "Mounts",
    "Memory",
    "RestartPolicy",
    "services",
    "environment",
    "deploy",
    "resources",
    "limits",
    "logging",
    "user",
    "cap_add",
    "mem_limit",
    "restart",
    "healthcheck",
    "command",
    "data",
    "rules",
];
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    v: fc.oneof(
        { depthSize: "small" },
        fc.constant(null),
        fc.boolean(),
        fc.integer(),
        fc.double({ noNaN: true }),
        fc.string(),
        fc.constantFrom("true", "1g", "on-failure:5", "/etc:/x", "80:80", "ALL", "host", "${X}", "0"),
        fc.array(tie("v"), { maxLength: 4 }),
        fc.dictionary(fc.constantFrom(...KEYS), tie("v"), { maxKeys: 5 }),
    ),
})).v;
const object = fc.record({
    apiVersion: fc.constantFrom(...VERSIONS),
    kind: fc.constantFrom(...KINDS),
    metadata: value,
    spec: value,
    items: value,
    data: value,
});

describe("scan: hostile inputs (property tests)", function () {
    this.timeout(120_000);

    it("the readers never throw on any text", () => {
        fc.assert(
            fc.property(fc.string({ maxLength: 400 }), (text) => {
                readKubernetes([{ name: "f.yaml", text }]);
                readCompose([{ name: "f.yml", text }]);
                readInspectFiles([{ name: "f.json", text }]);
            }),
            { numRuns: 300 },
        );
    });

    it("a k8s scan of any objects returns a report (and valid SARIF), never throwing", async () => {
        await fc.assert(
            fc.asyncProperty(fc.array(object, { minLength: 1, maxLength: 4 }), async (objs) => {
                const text = objs.map((o) => JSON.stringify(o)).join("\n---\n");
                const r = await scanKubernetes(["-"], { controls: CONTROLS, stdin: async () => text });
                assert.ok(Array.isArray(r.findings) && Array.isArray(r.errors));
                assert.ok(r.findings.every((f) => typeof f.message === "string" && f.message.length > 0));
                assert.deepEqual(
                    r.findings.filter((f) => /could not be checked \(/.test(f.message)).map((f) => f.message),
                    [],
                    "a control threw",
                );
                toSarif([r], CONTROLS);
            }),
            { numRuns: 60 },
        );
    });

    it("compose and docker inspect scans of any values return a report, never throwing", async () => {
        await fc.assert(
            fc.asyncProperty(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), value, { maxKeys: 3 }), value, async (services, inspect) => {
                const c = await scanCompose(["-"], { controls: CONTROLS, stdin: async () => JSON.stringify({ services }) });
                assert.ok(Array.isArray(c.findings));
                assert.deepEqual(
                    c.findings.filter((f) => /could not be checked \(/.test(f.message)).map((f) => f.message),
                    [],
                    "a control threw on a Compose model",
                );
                const d = await scanDocker(
                    { inspectFiles: ["-"] },
                    {
                        controls: CONTROLS,
                        stdin: async () => JSON.stringify([{ Id: "a".repeat(64), Name: "/x", HostConfig: inspect, Config: inspect, Mounts: inspect }]),
                    },
                );
                assert.ok(Array.isArray(d.findings));
                assert.deepEqual(
                    d.findings.filter((f) => /could not be checked \(/.test(f.message)).map((f) => f.message),
                    [],
                    "a control threw on an inspect model",
                );
            }),
            { numRuns: 60 },
        );
    });
});
