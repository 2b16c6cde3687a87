import assert from "assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-secret-data-pulumi-secret";
import { evaluateResource } from "stride-guard/lib/engine/evaluate";
import { clean } from "stride-guard/lib/kernel/clean";
import { defaultsOf } from "stride-guard/lib/pack";
import { runProgram } from "stride-guard/lib/runner/run";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";
import { secretRes, outcome } from "../../support/kubernetes-cluster-fixtures";

describe("kubernetes-secret-data-pulumi-secret", () => {
    it("passes data and stringData held as Pulumi secrets (whole map or per value), and Secrets without payload", () => {
        assert.deepEqual(
            outcome(control, [
                secretRes("db", "shop", { data: secret({ password: "cGFzc3dvcmQ=", k: "dg==" }) }),
                secretRes("api", "shop", { stringData: { token: secret("t0ken-value"), empty: "" } }),
                secretRes("tls", "shop", { type: "kubernetes.io/tls" }),
            ]),
            { violations: [], unknownPaths: [] },
        );
    });

    it("fails plaintext values, each field on its own, naming the Secret, field and keys but never the values", () => {
        const msgs = messages(control, secretRes("db", "shop", { stringData: { password: "hunter2-plain", user: secret("app") } }));
        assert.deepEqual(msgs, [
            'Secret "shop/db": stringData: holds 1 value(s) that are not Pulumi secrets (keys "password"), so they are stored in plaintext in the Pulumi state (and, for a manifest, in the file). Wrap them with pulumi.secret() or read them with config.requireSecret().',
        ]);
        const data = messages(control, secretRes("db", "shop", { data: { a: "YQ==", b: "Yg==" } }));
        assert.match(data[0], /^Secret "shop\/db": data: holds 2 value\(s\).*keys "a", "b"/);
        assert.ok(!data[0].includes("YQ=="));
        assert.match(messages(control, secretRes("p", "shop", { data: { k: "dg==" } }, "SecretPatch"))[0], /^SecretPatch "shop\/p": data:/);
    });

    it("cannot tell in Analyze, where @pulumi/policy has unwrapped every secret, and then reports nothing", () => {
        const r = secretRes("db", "shop", { stringData: { password: "hunter2-plain" } });
        const c = clean(r.props);
        const out = evaluateResource(control, { type: r.type, name: r.name, urn: "urn:x", props: c.value }, defaultsOf(control) as never, c.secrets);
        assert.deepEqual(out, { violations: [], unknownPaths: [] });
    });

    it("@pulumi/kubernetes marks data and stringData secret, so SDK-declared Secrets pass (in-process runner)", async () => {
        const result = await runProgram(
            () => {
                new k8s.core.v1.Secret("db", { metadata: { namespace: "shop" }, stringData: { password: "literal-in-code" } });
                new k8s.core.v1.Secret("raw", { metadata: { namespace: "shop" }, data: { k: pulumi.output("dg==") } });
            },
            { project: "p", stack: "dev" },
        );
        const secrets = result.resources.filter((r) => r.type === "kubernetes:core/v1:Secret");
        assert.equal(secrets.length, 2);
        for (const s of secrets) assert.deepEqual(s.options.additionalSecretOutputs, ["data", "stringData"]);
        assert.deepEqual(
            outcome(
                control,
                secrets.map((s) => ({ type: s.type, name: s.name, props: s.props })),
            ),
            { violations: [], unknownPaths: [] },
        );
    });

    it("reports an unknown payload as unknown", () => {
        const r = secretRes("db", "shop", { data: UNKNOWN_STRING });
        assert.deepEqual(outcome(control, r).unknownPaths, ["data"]);
        assert.equal(run(control, r, { unknownValues: "fail" }).violations[0].unknown, true);
    });

    it("gives clear messages for malformed payloads and never throws", () => {
        assert.match(messages(control, secretRes("m", "shop", { data: ["a"] }))[0], /data: is malformed: expected a map of keys to strings, got an array/);
        assert.match(messages(control, secretRes("m", "shop", { stringData: "x" }))[0], /stringData: is malformed/);
        for (const props of [null, 1, { data: null }, { metadata: 4, data: { a: 1 } }])
            assert.doesNotThrow(() => run(control, { type: "kubernetes:core/v1:Secret", name: "s", props }));
    });
});
