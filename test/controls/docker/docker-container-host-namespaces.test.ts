import assert from "assert/strict";
import control from "stride-guard/lib/controls/docker/docker-container-host-namespaces";
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

describe("docker-container-host-namespaces", () => {
    it("passes private namespaces", () => {
        assertPass(control, [
            hardenedContainer(),
            hardenedService(),
            hardenedContainer({ networkMode: "bridge", pidMode: "container:sidecar", ipcMode: "shareable", usernsMode: "" }),
        ]);
    });

    it("fails each shared namespace on its own, naming the field and its CIS id", () => {
        const cases: [string, string, string][] = [
            ["networkMode", "network", "5.10"],
            ["pidMode", "pid", "5.16"],
            ["ipcMode", "ipc", "5.17"],
            ["usernsMode", "user", "5.31"],
        ];
        for (const [f, ns, cis] of cases) {
            assertOne(control, hardenedContainer({ [f]: "host" }), [
                `Docker container "web": ${f}:`,
                `host's ${ns} namespace (CIS ${cis})`,
                "CIS Docker 5.10, 5.16, 5.17, 5.21, 5.31",
            ]);
        }
        assert.equal(messages(control, hardenedContainer({ networkMode: "HOST", pidMode: "host", ipcMode: "host", usernsMode: "host" })).length, 4);
    });

    it("fails the host's cgroup namespace (no CIS id of its own)", () => {
        const m = assertOne(control, hardenedContainer({ cgroupnsMode: "host" }), [
            'Docker container "web": cgroupnsMode: shares the host\'s cgroup namespace: ',
        ]);
        assert.doesNotMatch(m, /namespace \(CIS/);
        assertPass(control, hardenedContainer({ cgroupnsMode: "private" }));
    });

    it("honours the allow-list", () => {
        assertPass(control, hardenedContainer({ networkMode: "host" }), { allowedHostNamespaces: ["network"] });
    });

    it("treats unknown values per the unknownValues setting", () => {
        assertUnknown(control, hardenedContainer({ networkMode: UNKNOWN_STRING }), "networkMode");
    });

    it("never shows a secret value", () => {
        assertSecretHidden(control, hardenedContainer({ pidMode: secret("host") }), 'host"');
        assert.equal(messages(control, hardenedContainer({ pidMode: secret("host") })).length, 1);
    });

    it("reports malformed input without throwing", () => {
        assertMalformed(control, hardenedContainer({ ipcMode: true }), ["ipcMode", "malformed", "expected a string"]);
        assertUnreadableReported(control);
    });
});
