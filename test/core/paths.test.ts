import assert from "assert/strict";
import { parsePath, setPath } from "stride-guard/lib/kernel/paths";

describe("kernel/paths", () => {
    it("parses dotted paths with indexes", () => {
        assert.deepEqual(parsePath("spec.template.spec.containers[1].securityContext"), ["spec", "template", "spec", "containers", 1, "securityContext"]);
    });

    it("sets copy-on-write: the original is untouched and untouched branches are shared", () => {
        const shared = { keep: { secret: "s" } };
        const root = { spec: { containers: [{ name: "a" }, { name: "b" }] }, other: shared };
        const out = setPath(root, "spec.containers[1].securityContext.privileged", false) as typeof root & Record<string, never>;
        assert.deepEqual(root.spec.containers[1], { name: "b" });
        assert.deepEqual((out.spec.containers[1] as Record<string, unknown>).securityContext, { privileged: false });
        assert.equal(out.other, shared);
    });

    it("refuses prototype-polluting paths", () => {
        assert.equal(setPath({}, "__proto__.polluted", true), undefined);
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
});
