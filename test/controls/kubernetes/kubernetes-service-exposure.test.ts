import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-service-exposure";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";
import { service } from "../../support/kubernetes-cluster-fixtures";

describe("kubernetes-service-exposure", () => {
    it("passes ClusterIP, headless and ExternalName Services", () => {
        assert.deepEqual(
            run(control, [
                service("web", "shop"),
                service("db", "shop", { type: "ClusterIP", clusterIP: "None" }),
                service("ext", "shop", { type: "ExternalName", externalName: "db.example.com" }),
            ]),
            { violations: [], unknownPaths: [] },
        );
    });

    it("fails NodePort, LoadBalancer and externalIPs, each on its own, naming the Service and field", () => {
        assert.equal(
            messages(control, service("web", "shop", { type: "NodePort" }))[0],
            'Service "shop/web": spec.type: is "NodePort", which exposes the Service on a port of every node. Use ClusterIP behind an Ingress, or allow this Service in allowedServices. [CIS Kubernetes 5.3.2]',
        );
        assert.match(
            messages(control, service("web", "shop", { type: "LoadBalancer" }))[0],
            /^Service "shop\/web": spec\.type: is "LoadBalancer", which exposes the Service on an external load balancer/,
        );
        const ips = messages(control, service("web", "shop", { externalIPs: ["203.0.113.7"] }));
        assert.equal(ips.length, 1);
        assert.match(ips[0], /^Service "shop\/web": spec\.externalIPs: lists 1 external IP\(s\)/);
        assert.equal(messages(control, service("web", "shop", { type: "LoadBalancer", externalIPs: ["203.0.113.7"] })).length, 2);
    });

    it("checks ServicePatch objects too", () => {
        const patch = { ...service("web", "shop", { type: "LoadBalancer" }), type: "kubernetes:core/v1:ServicePatch" };
        assert.match(messages(control, patch)[0], /^ServicePatch "shop\/web": spec\.type: is "LoadBalancer"/);
    });

    it("honours allowedServices (namespace/name patterns) and allowedTypes", () => {
        const lb = service("ingress-nginx-controller", "ingress-nginx", { type: "LoadBalancer" });
        assert.deepEqual(messages(control, lb, { allowedServices: ["ingress-nginx/*"] }), []);
        assert.deepEqual(messages(control, service("web", "shop", { type: "NodePort" }), { allowedTypes: ["NodePort"] }), []);
        assert.equal(messages(control, service("web", "shop", { type: "LoadBalancer" }), { allowedTypes: ["NodePort"] }).length, 1);
    });

    it("reports unknown values as unknown", () => {
        assert.deepEqual(run(control, service("web", "shop", { type: UNKNOWN_STRING, externalIPs: UNKNOWN_STRING })).unknownPaths, [
            "spec.type",
            "spec.externalIPs",
        ]);
        assert.equal(run(control, service("web", "shop", { type: UNKNOWN_STRING }), { unknownValues: "fail" }).violations[0].unknown, true);
    });

    it("never shows a secret external IP", () => {
        const msgs = messages(control, service("web", "shop", { externalIPs: [secret("198.51.100.99")] }));
        assert.equal(msgs.length, 1);
        assert.ok(!msgs[0].includes("198.51.100.99"));
    });

    it("gives clear messages for malformed specs and never throws", () => {
        assert.match(messages(control, service("web", "shop", { type: 3 }))[0], /spec\.type: is malformed: expected a string, got a number/);
        assert.match(messages(control, service("web", "shop", { externalIPs: "1.2.3.4" }))[0], /spec\.externalIPs: is malformed: expected an array/);
        for (const props of [null, "x", { spec: null }, { spec: [] }])
            assert.doesNotThrow(() => run(control, { type: "kubernetes:core/v1:Service", name: "s", props }));
    });
});
