import assert from "assert/strict";
import control from "stride-guard/lib/controls/docker/docker-container-published-ports";
import { messages, secret, UNKNOWN_BOOL, UNKNOWN_NUMBER, UNKNOWN_STRING } from "../../support/run-control";
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

describe("docker-container-published-ports", () => {
    it("passes ports on a specific interface and unprivileged host ports", () => {
        assertPass(control, [
            hardenedContainer(),
            hardenedContainer({
                ports: [
                    { internal: 80, external: 8080, ip: "10.0.0.5" },
                    { internal: 9000, ip: "::1" },
                ],
            }),
            hardenedService(),
        ]);
    });

    it("fails every-interface bindings, naming the port entry and CIS ids", () => {
        assertOne(control, hardenedContainer({ ports: [{ internal: 8080, external: 8080 }] }), [
            'Docker container "web": ports[0]:',
            "host port 8080 on every interface (no ip set)",
            "CIS Docker 5.14, 5.8 (legacy 5.13, 5.7)",
        ]);
        assertOne(control, hardenedContainer({ ports: [{ internal: 8080, ip: "0.0.0.0" }] }), ['"0.0.0.0"']);
        assertOne(control, hardenedContainer({ ports: [{ internal: 8080, external: 8081, ip: "::" }] }), ['"::"']);
        assertOne(control, hardenedContainer({ publishAllPorts: true }), ["publishAllPorts", "every exposed port"]);
    });

    it("fails privileged host ports, and reports both faults of one entry", () => {
        assertOne(control, hardenedContainer({ ports: [{ internal: 80, external: 80, ip: "127.0.0.1" }] }), ["ports[0]", "privileged host port 80"]);
        assertOne(control, hardenedService({}, {}, { endpointSpec: { ports: [{ targetPort: 443, publishedPort: 443 }] } }), [
            'Docker service task "api": endpointSpec.ports[0]',
            "privileged host port 443",
        ]);
        const both = messages(control, hardenedContainer({ ports: [{ internal: 22, external: 22 }] }));
        assert.equal(both.length, 2);
    });

    it("honours the allow-lists", () => {
        assertPass(control, hardenedContainer({ ports: [{ internal: 443, external: 443, ip: "10.0.0.5" }] }), { allowedPrivilegedPorts: [443] });
        assertOne(control, hardenedContainer({ ports: [{ internal: 80, external: 8080, ip: "10.0.0.6" }] }), ['"10.0.0.6"', "not an allowed host address"], {
            allowedHostIps: ["10.0.0.5"],
        });
    });

    it("does not demand an interface from Swarm-published ports", () => {
        assertPass(control, hardenedService({}, {}, { endpointSpec: { ports: [{ targetPort: 80, publishedPort: 8080, publishMode: "ingress" }] } }));
    });

    it("treats unknown values per the unknownValues setting", () => {
        assertUnknown(control, hardenedContainer({ ports: [{ internal: 80, external: UNKNOWN_NUMBER, ip: "127.0.0.1" }] }), "ports[0]");
        assertUnknown(control, hardenedContainer({ ports: [{ internal: 80, external: 8080, ip: UNKNOWN_STRING }] }), "ports[0]");
        assertUnknown(control, hardenedContainer({ publishAllPorts: UNKNOWN_BOOL }), "publishAllPorts");
    });

    it("never shows a secret value", () => {
        assertSecretHidden(control, hardenedContainer({ ports: [{ internal: 80, external: 8080, ip: secret("10.9.8.7") }] }), "10.9.8.7", {
            allowedHostIps: ["10.0.0.1"],
        });
        assertSecretHidden(control, hardenedContainer({ ports: [{ internal: 80, external: secret(81), ip: "127.0.0.1" }] }), "81");
        assertSecretHidden(control, hardenedContainer({ ports: [{ internal: 80, external: 8080, ip: secret(" 10.9.8.7 ") }] }), "10.9.8.7", {
            allowedHostIps: ["10.0.0.1"],
        });
    });

    it("reports malformed input without throwing", () => {
        assertMalformed(control, hardenedContainer({ ports: [{ internal: 80, external: "eighty" }] }), ["ports[0]", "malformed", "expected a number"]);
        assertMalformed(control, hardenedContainer({ ports: "8080:80" }), ["ports", "expected an array"]);
        assertUnreadableReported(control);
    });
});
