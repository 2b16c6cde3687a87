import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-ingress-tls";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";
import { ingress, ingressRule, outcome } from "../../support/kubernetes-cluster-fixtures";

const tls = (...hosts: unknown[]) => ({ hosts, secretName: "web-tls" });

describe("kubernetes-ingress-tls", () => {
    it("passes an Ingress whose hosts all have TLS (exact or one-label wildcard), in every Ingress API", () => {
        const spec = { tls: [tls("shop.example.com"), tls("*.api.example.com")], rules: [ingressRule("shop.example.com"), ingressRule("v1.api.example.com")] };
        assert.deepEqual(
            outcome(control, [
                ingress("web", "shop", spec),
                ingress("old", "shop", spec, "kubernetes:extensions/v1beta1:Ingress"),
                ingress("b", "shop", spec, "kubernetes:networking.k8s.io/v1beta1:Ingress"),
            ]),
            { violations: [], unknownPaths: [] },
        );
        assert.deepEqual(
            messages(control, ingress("any", "shop", { tls: [{ secretName: "default-cert" }], rules: [ingressRule()] })),
            [],
            "a TLS entry without hosts covers host-less rules",
        );
    });

    it("fails a host without TLS, naming the Ingress and the rule", () => {
        const msgs = messages(
            control,
            ingress("web", "shop", { tls: [tls("shop.example.com")], rules: [ingressRule("shop.example.com"), ingressRule("admin.example.com")] }),
        );
        assert.deepEqual(msgs, [
            'Ingress "shop/web": spec.rules[1].host: host "admin.example.com" has no TLS entry, so it is served over plain HTTP. Add it to spec.tls[].hosts.',
        ]);
    });

    it("fails each uncovered case on its own: no tls, a wildcard two labels deep, a host-less rule, a bare default backend", () => {
        assert.equal(messages(control, ingress("a", "shop", { rules: [ingressRule("shop.example.com")] })).length, 1);
        assert.equal(messages(control, ingress("b", "shop", { tls: [tls("*.example.com")], rules: [ingressRule("a.b.example.com")] })).length, 1);
        assert.match(
            messages(control, ingress("c", "shop", { tls: [tls("x.example.com")], rules: [ingressRule()] }))[0],
            /spec\.rules\[0\]\.host: a rule without a host/,
        );
        assert.match(
            messages(control, ingress("d", "shop", { defaultBackend: { service: { name: "web", port: { number: 80 } } } }))[0],
            /^Ingress "shop\/d": spec\.tls: is missing: the default backend is served over plain HTTP/,
        );
    });

    it("reports unknown hosts and TLS entries as unknown", () => {
        assert.deepEqual(outcome(control, ingress("u", "shop", { tls: [tls("a.example.com")], rules: [ingressRule(UNKNOWN_STRING)] })).unknownPaths, [
            "spec.rules[0].host",
        ]);
        assert.deepEqual(outcome(control, ingress("u", "shop", { tls: [{ hosts: UNKNOWN_STRING }], rules: [ingressRule("a.example.com")] })).unknownPaths, [
            "spec.tls",
        ]);
        assert.deepEqual(
            outcome(control, ingress("u", "shop", { tls: [tls("a.example.com")], rules: [ingressRule("a.example.com")], ...{} })).unknownPaths,
            [],
        );
        assert.equal(run(control, ingress("u", "shop", { tls: UNKNOWN_STRING, rules: [] }), { unknownValues: "fail" }).violations[0].unknown, true);
    });

    it("never shows a secret host name", () => {
        const msgs = messages(control, ingress("s", "shop", { rules: [ingressRule(secret("hidden.example.com"))] }));
        assert.equal(msgs.length, 1);
        assert.ok(!msgs[0].includes("hidden.example.com"));
    });

    it("gives clear messages for malformed specs and never throws", () => {
        assert.match(messages(control, ingress("m", "shop", { tls: "yes", rules: [] }))[0], /spec\.tls: is malformed: expected a list/);
        assert.match(messages(control, ingress("m", "shop", { rules: [null] }))[0], /spec\.rules\[0\]\.host: is malformed: expected an object, got null/);
        assert.match(messages(control, ingress("m", "shop", { tls: [{ hosts: "a" }], rules: [] }))[0], /spec\.tls\[0\]\.hosts: is malformed/);
        for (const props of [null, 1, { spec: null }, { spec: { rules: {} } }])
            assert.doesNotThrow(() => run(control, { type: "kubernetes:networking.k8s.io/v1:Ingress", name: "i", props }));
    });
});
