import assert from "assert/strict";
import { stringify } from "yaml";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-audit-logging";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";
import {
    assertMalformedReported,
    assertSecretArgumentHidden,
    assertUnknownWhenArgumentsUnknown,
    AUDIT_POLICY,
    controlPlaneNode,
    hostFile,
    nodeWith,
    onlyMessage,
    outcome,
} from "../../support/control-plane-fixtures";

const POLICY = "/etc/kubernetes/audit-policy.yaml";
const withPolicy = (content: unknown) => controlPlaneNode({ files: { [POLICY]: hostFile(POLICY, content) } });
const policy = (rules: unknown[]) => stringify({ ...AUDIT_POLICY, rules });

describe("kubernetes-audit-logging", () => {
    it("passes a hardened control plane with a complete audit policy", () => {
        assert.deepEqual(outcome(run(control, controlPlaneNode())), { violations: [], unknownPaths: [] });
    });

    const flagCases: [string, Record<string, string | null>, RegExp][] = [
        ["no log path", { "audit-log-path": null }, /--audit-log-path is unset.*\(1\.2\.16\)/],
        ["short retention", { "audit-log-maxage": "7" }, /--audit-log-maxage is "7", below 30.*\(1\.2\.17\)/],
        ["few backups", { "audit-log-maxbackup": "3" }, /--audit-log-maxbackup is "3", below 10.*\(1\.2\.18\)/],
        ["small files", { "audit-log-maxsize": "10" }, /--audit-log-maxsize is "10", below 100.*\(1\.2\.19\)/],
        ["a non-numeric size", { "audit-log-maxsize": "big" }, /--audit-log-maxsize is "big", not a number/],
        ["no policy file", { "audit-policy-file": null }, /--audit-policy-file is unset.*\(3\.2\.1\)/],
    ];
    for (const [name, over, re] of flagCases) {
        it(`fails on ${name}`, () => {
            const m = onlyMessage(control, nodeWith("kube-apiserver", over), re);
            assert.match(m, /^kube-apiserver \(static Pod \/etc\/kubernetes\/manifests\/kube-apiserver\.yaml on 10\.0\.0\.5\): spec\.containers\[0\]\.command/);
        });
    }

    it("does not ask for file rotation when the log goes to stdout", () => {
        const over = { "audit-log-path": "-", "audit-log-maxage": null, "audit-log-maxbackup": null, "audit-log-maxsize": null };
        assert.deepEqual(messages(control, nodeWith("kube-apiserver", over)), []);
    });

    it("honours configured minimums", () => {
        assert.deepEqual(messages(control, nodeWith("kube-apiserver", { "audit-log-maxage": "7" }), { minMaxAgeDays: 7 }), []);
    });

    const policyCases: [string, unknown[], RegExp][] = [
        ["Secrets at RequestResponse", [{ level: "RequestResponse" }], /the audit policy logs reads of Secrets at RequestResponse, which writes their content/],
        [
            "Secrets not logged",
            [{ level: "None", resources: [{ group: "", resources: ["secrets"] }] }, ...AUDIT_POLICY.rules],
            /does not log reads of Secrets \(level None\)/,
        ],
        ["changes at Metadata only", [AUDIT_POLICY.rules[0], { level: "Metadata" }], /logs Pod creation at Metadata, below Request.*\(3\.2\.2\)/],
        [
            "exec not logged",
            [
                AUDIT_POLICY.rules[0],
                {
                    level: "Request",
                    verbs: ["create", "update", "patch", "delete"],
                    resources: [
                        { group: "", resources: ["pods"] },
                        { group: "apps", resources: ["deployments"] },
                    ],
                },
            ],
            /has no rule that logs pods\/exec/,
        ],
        [
            "a conditional RequestResponse rule before the Secrets rule",
            [{ level: "RequestResponse", users: ["admin"] }, ...AUDIT_POLICY.rules],
            /logs reads of Secrets at RequestResponse/,
        ],
    ];
    for (const [name, rules, re] of policyCases) {
        it(`fails on a policy with ${name}, naming the policy file`, () => {
            const msgs = messages(control, withPolicy(policy(rules)));
            assert.ok(msgs.length >= 1);
            assert.ok(
                msgs.every((m) =>
                    m.startsWith(
                        "kube-apiserver (static Pod /etc/kubernetes/manifests/kube-apiserver.yaml on 10.0.0.5): /etc/kubernetes/audit-policy.yaml on 10.0.0.5: the audit policy",
                    ),
                ),
                msgs.join("\n"),
            );
            assert.match(msgs.join("\n"), re);
        });
    }

    it("accepts wildcards and subresource patterns that cover the probes", () => {
        const rules = [
            {
                level: "Metadata",
                resources: [
                    { group: "", resources: ["secrets", "configmaps"] },
                    { group: "authentication.k8s.io", resources: ["tokenreviews"] },
                ],
            },
            { level: "Metadata", resources: [{ group: "", resources: ["pods/*", "*/proxy"] }] },
            { level: "Request", verbs: ["*"] },
        ];
        assert.deepEqual(messages(control, withPolicy(policy(rules))), []);
    });

    it("fails on an empty or foreign policy document", () => {
        onlyMessage(
            control,
            withPolicy(stringify({ apiVersion: "audit.k8s.io/v1", kind: "Policy", rules: [] })),
            /the audit policy has no rules, so nothing is logged/,
        );
        onlyMessage(control, withPolicy(stringify({ apiVersion: "v1", kind: "ConfigMap" })), /the audit policy is not an audit\.k8s\.io Policy/);
        onlyMessage(control, withPolicy(policy([{ level: "Everything" }])), /rule 1 has no valid level/);
    });

    it("does not judge a policy file the stack does not write", () => {
        assert.deepEqual(messages(control, controlPlaneNode({ files: { [POLICY]: null } })), []);
    });

    it("reports an unknown policy, and unknown arguments", () => {
        const out = run(control, withPolicy(UNKNOWN_STRING));
        assert.deepEqual(out.violations, []);
        assert.deepEqual(out.unknownPaths, ["/etc/kubernetes/audit-policy.yaml on 10.0.0.5"]);
        assert.equal(run(control, withPolicy(UNKNOWN_STRING), { unknownValues: "fail" }).violations.length, 1);
        assertUnknownWhenArgumentsUnknown(control, "kube-apiserver", "audit-log-path");
    });

    it("never shows secrets: a secret policy file or a secret argument", () => {
        const content = policy([{ level: "RequestResponse", users: ["s3cr3t-admin"] }, ...AUDIT_POLICY.rules]);
        const msgs = messages(control, withPolicy(secret(content)));
        assert.ok(msgs.length >= 1);
        assert.ok(!msgs.some((m) => m.includes("s3cr3t")));
        assertSecretArgumentHidden(control, "kube-apiserver", "audit-log-maxage", "s3cr3t days!");
    });

    it("reports malformed input clearly without throwing", () => {
        assertMalformedReported(control, "kube-apiserver");
        onlyMessage(
            control,
            withPolicy("rules: [unclosed"),
            /^\/etc\/kubernetes\/audit-policy\.yaml on 10\.0\.0\.5: stdin: cannot be checked: expected valid YAML/,
        );
        const elsewhere = "/opt/audit/policy.yaml";
        const node = [...nodeWith("kube-apiserver", { "audit-policy-file": elsewhere }), hostFile(elsewhere, "rules: [unclosed")];
        onlyMessage(control, node, /: \/opt\/audit\/policy\.yaml on 10\.0\.0\.5: the audit policy cannot be read: expected valid YAML/);
    });
});
