import assert from "assert/strict";
import control, { sysctlName } from "stride-guard/lib/controls/kubernetes/kubernetes-no-unsafe-sysctls";
import { assertMalformedReported, assertOne, assertPasses, assertSecretHidden, assertUnknown, deploy } from "../../support/kubernetes-fixtures";
import { messages, UNKNOWN_STRING } from "../../support/run-control";

const sysctls = (...names: unknown[]) => deploy({ pod: { securityContext: { runAsNonRoot: true, sysctls: names.map((name) => ({ name, value: "1" })) } } });
const path = "spec.template.spec.securityContext.sysctls";

describe("kubernetes-no-unsafe-sysctls", () => {
    it("passes no sysctls and the safe set (in either separator style)", () => {
        assertPasses(control, deploy());
        assertPasses(control, sysctls("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_rmem", "kernel/shm_rmid_forced"));
        assert.equal(sysctlName("net/ipv4/conf/eth0.100/forwarding"), "net.ipv4.conf.eth0/100.forwarding");
    });

    it("flags each unsafe sysctl at its path", () => {
        assertOne(control, sysctls("net.core.somaxconn"), ['Deployment "shop/api"', `${path}[0].name`, '"net.core.somaxconn"']);
        assert.equal(messages(control, sysctls("kernel.msgmax", "net.ipv4.tcp_syncookies", "vm.swappiness")).length, 2);
    });

    it("allows configured extras; off in privileged namespaces", () => {
        assertPasses(control, sysctls("net.core.somaxconn"), { allowedSysctls: ["net.core.somaxconn"] });
        assertPasses(control, sysctls("kernel.msgmax"), { namespaceLevels: { shop: "privileged" } });
    });

    it("handles unknown, secret and malformed values", () => {
        assertUnknown(control, sysctls(UNKNOWN_STRING), path);
        assertSecretHidden(control, sysctls("kernel.msgmax"));
        assertMalformedReported(control);
        assertOne(control, sysctls(42), [path, "malformed: expected a string, got a number"]);
    });
});
