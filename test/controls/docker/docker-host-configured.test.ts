import assert from "node:assert/strict";
import control from "stride-guard/lib/controls/docker/docker-host-configured";
import { dockerProvider, hardenedHost, HOST, outcomeOf } from "../../support/docker-platform-fixtures";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";

describe("docker-host-configured", () => {
    it("passes providers to declared hosts, local daemons, and listed external hosts", () => {
        const stack = [
            ...hardenedHost(),
            dockerProvider(),
            dockerProvider({ host: `tcp://${HOST}:2376` }, "tls"),
            dockerProvider({ host: undefined }, "default_5_2_0"),
            dockerProvider({ host: "unix:///var/run/docker.sock" }, "local"),
        ];
        assert.deepEqual(outcomeOf(run(control, stack)), { violations: [], unknownPaths: [] });
        assert.deepEqual(messages(control, [dockerProvider({ host: "ssh://ci@build-7.example.com" })], { externalHosts: ["*.example.com"] }), []);
    });

    it("fails a provider deploying to a host the stack does not configure, naming provider and host", () => {
        assert.deepEqual(messages(control, [...hardenedHost(), dockerProvider({ host: "ssh://deploy@10.0.0.9" })]), [
            'Docker provider "remote": host: deploys to a remote host, but the stack writes no /etc/docker configuration or audit rules there, so its daemon cannot be shown to be hardened. Configure the host in this stack, or list it in externalHosts. [CIS Docker 1.1.3, 2.9, 2.14, 2.15 (legacy 1.2.3, 2.8, 2.17, 2.13)]',
        ]);
    });

    it("treats unknown provider hosts, and hosts declared under unknown addresses, as unknown", () => {
        assert.deepEqual(outcomeOf(run(control, [dockerProvider({ host: UNKNOWN_STRING })])), { violations: [], unknownPaths: ["host"] });
        const unknownHost = hardenedHost(UNKNOWN_STRING).map((r) => ({ ...r, parent: "urn:vm" }));
        assert.deepEqual(outcomeOf(run(control, [...unknownHost, dockerProvider()])).unknownPaths, ["host"]);
        assert.equal(run(control, [dockerProvider({ host: UNKNOWN_STRING })], { unknownValues: "fail" }).violations.length, 1);
    });

    it("never shows a secret host", () => {
        const msgs = messages(control, [dockerProvider({ host: secret("ssh://deploy@s3cr3t-host.internal") })]);
        assert.equal(msgs.length, 1);
        assert.ok(!msgs[0].includes("s3cr3t"), msgs[0]);
    });

    it("passes over malformed providers without throwing, and honours excludeNames", () => {
        assert.deepEqual(
            messages(control, [
                { type: "pulumi:providers:docker", name: "p", props: { host: 3 } },
                { type: "pulumi:providers:docker", name: "q", props: null },
            ]),
            [],
        );
        assert.deepEqual(messages(control, [dockerProvider({ host: "ssh://x@10.9.9.9" }, "lab")], { excludeNames: ["lab"] }), []);
    });
});
