import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-provider-kubeconfig";
import { evaluateResource } from "stride-guard/lib/engine/evaluate";
import { clean } from "stride-guard/lib/kernel/clean";
import { defaultsOf } from "stride-guard/lib/pack";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";
import { kubeconfigYaml, provider, outcome } from "../../support/kubernetes-cluster-fixtures";

const TOKEN = "eyJhbGciOiJSUzI1NiJ9.secret-token-value";

describe("kubernetes-provider-kubeconfig", () => {
    it("passes an https cluster with an exec plugin, a secret kubeconfig with a token, a path, or no kubeconfig", () => {
        assert.deepEqual(
            outcome(control, [
                provider({ kubeconfig: kubeconfigYaml() }),
                provider({ kubeconfig: secret(kubeconfigYaml({ user: { token: TOKEN } })) }, "secret"),
                provider({ kubeconfig: "/home/ci/.kube/config" }, "path"),
                provider({ namespace: "shop" }, "ambient"),
            ]),
            { violations: [], unknownPaths: [] },
        );
    });

    it("fails a plain-http server, naming the provider and cluster", () => {
        const msgs = messages(control, provider({ kubeconfig: kubeconfigYaml({ server: "http://prod.example.com:8080" }) }));
        assert.deepEqual(msgs, [
            'Kubernetes provider "prod": kubeconfig: cluster "prod" is reached over plain http: requests and credentials can be read and forged on the way. Use an https:// server.',
        ]);
    });

    it("fails each weakness on its own: insecure-skip-tls-verify, basic auth, credentials in a plaintext kubeconfig", () => {
        assert.match(messages(control, provider({ kubeconfig: kubeconfigYaml({ insecure: true }) }))[0], /cluster "prod" sets insecure-skip-tls-verify/);
        const basic = messages(control, provider({ kubeconfig: secret(kubeconfigYaml({ user: { username: "admin", password: "pa55word-xyz" } })) }));
        assert.equal(basic.length, 1);
        assert.match(basic[0], /user "deployer" authenticates with username\/password/);
        const plain = messages(control, provider({ kubeconfig: kubeconfigYaml({ user: { token: TOKEN } }) }));
        assert.equal(plain.length, 1);
        assert.match(plain[0], /is not a Pulumi secret but embeds credentials of user\(s\) "deployer" \(token\)/);
    });

    it("judges only the cluster of the selected context (context / cluster inputs, else current-context)", () => {
        const kc = kubeconfigYaml({ extraClusters: [{ name: "lab", server: "http://10.0.0.1:8080" }] });
        assert.deepEqual(messages(control, provider({ kubeconfig: kc })), []);
        assert.match(messages(control, provider({ kubeconfig: kc, cluster: "lab" }))[0], /cluster "lab" is reached over plain http/);
        // A context the file does not hold: every cluster could be the one in use.
        assert.equal(messages(control, provider({ kubeconfig: kc, context: "missing" })).length, 1);
    });

    it("reads JSON text and object kubeconfigs", () => {
        const obj = { apiVersion: "v1", clusters: [{ name: "c", cluster: { server: "http://x:80" } }], contexts: [], users: [] };
        assert.equal(messages(control, provider({ kubeconfig: JSON.stringify(obj) })).length, 1);
        assert.equal(messages(control, provider({ kubeconfig: obj })).length, 1);
    });

    it("cannot tell whether the kubeconfig is a secret in Analyze, and then says nothing about it", () => {
        const r = provider({ kubeconfig: kubeconfigYaml({ user: { token: TOKEN } }) });
        const c = clean(r.props);
        assert.deepEqual(evaluateResource(control, { type: r.type, name: r.name, urn: "urn:x", props: c.value }, defaultsOf(control) as never, c.secrets), {
            violations: [],
            unknownPaths: [],
        });
    });

    it("reports an unknown kubeconfig or context as unknown", () => {
        assert.deepEqual(outcome(control, provider({ kubeconfig: UNKNOWN_STRING })).unknownPaths, ["kubeconfig"]);
        assert.deepEqual(outcome(control, provider({ kubeconfig: kubeconfigYaml(), context: UNKNOWN_STRING })).unknownPaths, ["kubeconfig"]);
        assert.equal(run(control, provider({ kubeconfig: UNKNOWN_STRING }), { unknownValues: "fail" }).violations[0].unknown, true);
    });

    it("never prints the kubeconfig or its credentials, secret or not", () => {
        const kc = kubeconfigYaml({ server: "http://prod.example.com", user: { username: "admin", password: "pa55word-xyz", token: TOKEN } });
        for (const props of [{ kubeconfig: kc }, { kubeconfig: secret(kc) }]) {
            const text = messages(control, provider(props)).join("\n");
            assert.ok(text.length > 0);
            for (const s of [TOKEN, "pa55word-xyz", "prod.example.com", "certificate-authority"]) assert.ok(!text.includes(s), `${s} in ${text}`);
        }
    });

    it("gives a clear message for a kubeconfig that does not parse, without quoting it", () => {
        const bad = "apiVersion: v1\nclusters:\n  - name: x\n   server: [unclosed secret-bit\n";
        const msgs = messages(control, provider({ kubeconfig: bad }));
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /kubeconfig: is malformed: expected kubeconfig YAML, got a document that does not parse \(line \d+\)/);
        assert.ok(!msgs[0].includes("secret-bit"));
        assert.match(messages(control, provider({ kubeconfig: "[1, 2]\n" }))[0], /expected a kubeconfig document/);
        assert.match(messages(control, provider({ kubeconfig: 42 }))[0], /kubeconfig: cluster|malformed|kubeconfig document/);
        for (const props of [null, 1, { kubeconfig: { clusters: "x", users: [null] } }, { kubeconfig: "{}\n", context: 3 }]) {
            assert.doesNotThrow(() => run(control, { type: "pulumi:providers:kubernetes", name: "p", props }));
        }
    });
});
