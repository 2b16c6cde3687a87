import assert from "assert/strict";
import control from "stride-guard/lib/controls/docker/docker-container-capabilities";
import { messages, secret, UNKNOWN_STRING } from "../../support/run-control";
import {
    assertMalformed,
    assertOne,
    assertPass,
    assertRemediates,
    assertSecretHidden,
    assertUnknown,
    assertUnreadableReported,
    hardenedContainer,
    hardenedService,
} from "../../support/docker-fixtures";

describe("docker-container-capabilities", () => {
    it("passes ALL dropped and only allowed capabilities added", () => {
        assertPass(control, [
            hardenedContainer(),
            hardenedService(),
            hardenedContainer({ capabilities: { drops: ["all"], adds: ["CAP_NET_BIND_SERVICE"] } }),
            hardenedContainer({ capabilities: { drops: ["ALL"] } }),
        ]);
    });

    it("fails when ALL is not dropped, naming the field and CIS id", () => {
        assertOne(control, hardenedContainer({ capabilities: { drops: ["NET_RAW"] } }), [
            'Docker container "web": capabilities.drops:',
            "does not drop ALL",
            "CIS Docker 5.4 (legacy 5.3)",
        ]);
        assertOne(control, hardenedContainer({ capabilities: undefined }), ["capabilities.drops"]);
        assertOne(control, hardenedService({ capDrops: undefined }), ['Docker service task "api": taskSpec.containerSpec.capDrops']);
    });

    it("fails capabilities beyond the allow-list", () => {
        assertOne(control, hardenedContainer({ capabilities: { drops: ["ALL"], adds: ["SYS_ADMIN", "NET_BIND_SERVICE", "cap_net_admin"] } }), [
            "capabilities.adds",
            '"SYS_ADMIN", "cap_net_admin"',
        ]);
        assertOne(control, hardenedService({ capAdds: ["ALL"] }), ["taskSpec.containerSpec.capAdds", '"ALL"']);
        assertPass(control, hardenedContainer({ capabilities: { drops: ["ALL"], adds: ["CHOWN"] } }), { allowedCapabilities: ["CHOWN"] });
        assert.equal(messages(control, hardenedContainer({ capabilities: { adds: ["SYS_ADMIN"] } })).length, 2);
    });

    it("treats unknown values per the unknownValues setting", () => {
        assertUnknown(control, hardenedContainer({ capabilities: UNKNOWN_STRING }), "capabilities.drops");
        assertUnknown(control, hardenedContainer({ capabilities: { drops: ["ALL"], adds: [UNKNOWN_STRING] } }), "capabilities.adds");
    });

    it("never shows a secret value", () => {
        assertSecretHidden(control, hardenedContainer({ capabilities: { drops: ["ALL"], adds: [secret("SYS_SECRETCAP")] } }), "SYS_SECRETCAP");
        // Normalized forms (upper case, without CAP_) of a secret must not appear either.
        const msgs = assertSecretHidden(
            control,
            hardenedContainer({ capabilities: { drops: ["ALL"], adds: [secret("cap_sys_secretcap")] } }),
            "cap_sys_secretcap",
        );
        assert.ok(msgs.length > 0 && msgs.every((m) => !m.toUpperCase().includes("SYS_SECRETCAP")), msgs.join("\n"));
    });

    it("reports malformed input without throwing", () => {
        assertMalformed(control, hardenedContainer({ capabilities: { drops: "ALL" } }), ["capabilities.drops", "malformed", "expected an array"]);
        assertMalformed(control, hardenedContainer({ capabilities: ["ALL"] }), ["capabilities.drops", "malformed", "expected an object"]);
        assertUnreadableReported(control);
    });

    it("remediates by dropping ALL, keeping explicit adds", () => {
        const fixed = assertRemediates(control, hardenedContainer({ capabilities: { drops: ["NET_RAW"], adds: ["NET_BIND_SERVICE"] } }));
        assert.deepEqual(fixed["capabilities"], { drops: ["ALL"], adds: ["NET_BIND_SERVICE"] });
        const svc = assertRemediates(control, hardenedService({ capDrops: undefined }));
        assert.deepEqual((svc["taskSpec"] as { containerSpec: { capDrops: unknown } }).containerSpec.capDrops, ["ALL"]);
    });
});
