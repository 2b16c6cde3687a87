import assert from "assert/strict";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-container-capabilities";
import {
    assertMalformedReported,
    assertOne,
    assertPasses,
    assertRemediates,
    assertSecretHidden,
    assertUnknown,
    deploy,
} from "../../support/kubernetes-fixtures";
import { messages, remediate, run, UNKNOWN_STRING } from "../../support/run-control";

const sc = "spec.template.spec.containers[0].securityContext";
const caps = (c: object) => deploy({ sc: { capabilities: c } });
const baseline = { level: "baseline" };

describe("kubernetes-container-capabilities", () => {
    it("passes drop ALL, with or without NET_BIND_SERVICE added back", () => {
        assertPasses(control, deploy());
        assertPasses(control, caps({ drop: ["ALL"], add: ["NET_BIND_SERVICE"] }));
    });

    it("restricted: flags a missing drop ALL, and any add beyond NET_BIND_SERVICE", () => {
        assertOne(control, caps({}), ['container "app"', `${sc}.capabilities.drop`, 'does not drop "ALL"', "CIS Kubernetes 5.2.8, 5.2.9"]);
        assertOne(control, caps({ drop: ["NET_RAW"] }), ['does not drop "ALL"']);
        assertOne(control, caps({ drop: ["ALL"], add: ["CHOWN"] }), [`${sc}.capabilities.add`, 'adds "CHOWN"', "only NET_BIND_SERVICE"]);
        assert.equal(messages(control, caps({ add: ["SYS_ADMIN"] })).length, 2);
    });

    it("baseline: allows the runtime's default set, flags anything else (any spelling), and does not require drop ALL", () => {
        assertPasses(control, caps({ add: ["CHOWN", "NET_BIND_SERVICE", "SETUID"] }), baseline);
        assertOne(control, caps({ add: ["NET_RAW"] }), ['adds "NET_RAW"', "default set"], baseline);
        assertOne(control, caps({ add: ["cap_sys_admin", "KILL"] }), ['adds "cap_sys_admin"'], baseline);
    });

    it("Windows pods get the baseline rule only; a privileged namespace none", () => {
        assertPasses(control, deploy({ pod: { os: { name: "windows" } }, sc: { capabilities: undefined } }));
        assertPasses(control, caps({ add: ["SYS_ADMIN"] }), { namespaceLevels: { shop: "privileged" } });
    });

    it("with a namespace unknown at preview, keeps baseline failures definite and makes restricted-only ones unknown", () => {
        const res = deploy({ namespace: UNKNOWN_STRING, sc: { capabilities: { add: ["SYS_ADMIN"] } } });
        const out = run(control, res, { namespaceLevels: { legacy: "baseline" } });
        assert.equal(out.violations.length, 1);
        assert.match(out.violations[0].message, /adds "SYS_ADMIN"; only the runtime's default set/);
        assert.deepEqual(out.unknownPaths, [`${sc}.capabilities.drop`]);
    });

    it("allows a configured restricted add-list", () => {
        assertPasses(control, caps({ drop: ["ALL"], add: ["NET_ADMIN"] }), { restrictedAllowedAdd: ["NET_ADMIN"] });
    });

    it("handles unknown, secret and malformed values", () => {
        assertUnknown(control, caps({ drop: [UNKNOWN_STRING] }), `${sc}.capabilities.drop`);
        assertUnknown(control, caps({ drop: ["ALL"], add: UNKNOWN_STRING }), `${sc}.capabilities.add`);
        assertSecretHidden(control, caps({ add: ["SYS_ADMIN"] }));
        assertMalformedReported(control);
        assertOne(control, caps({ drop: "ALL" }), [`${sc}.capabilities.drop`, "malformed: expected an array, got a string"]);
        const both = messages(control, deploy({ sc: { capabilities: ["ALL"] } }));
        assert.deepEqual(
            both.map((m) => /capabilities\.(add|drop): is malformed: expected an object, got an array/.exec(m)?.[1]),
            ["add", "drop"],
        );
    });

    it("remediates drop: [ALL] under restricted, and leaves adds to a person", () => {
        assertRemediates(control, caps({ drop: ["NET_RAW"] }), { [`${sc}.capabilities.drop`]: ["ALL"] });
        assertRemediates(control, deploy({ container: { securityContext: undefined } }), { [`${sc}.capabilities.drop`]: ["ALL"] });
        assert.equal(remediate(control, caps({ add: ["NET_RAW"] }), baseline), undefined);
    });
});
