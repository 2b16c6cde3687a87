import assert from "assert/strict";
import { COMMON_DEFAULTS, globMatch, isExempt } from "stride-guard/lib/core/settings";

describe("core/settings", () => {
    it("matches * wildcards anchored, treating other characters literally", () => {
        assert.ok(globMatch("legacy-*", "legacy-api"));
        assert.ok(!globMatch("legacy-*", "api-legacy-x"));
        assert.ok(!globMatch("a.b", "axb"));
    });

    it("exempts by name pattern, namespace and label", () => {
        const scope = { namespace: "kube-system", labels: { team: "platform" } };
        assert.ok(!isExempt(COMMON_DEFAULTS, ["api"], scope));
        assert.ok(isExempt({ ...COMMON_DEFAULTS, excludeNames: ["ap*"] }, ["api"], scope));
        assert.ok(isExempt({ ...COMMON_DEFAULTS, excludeNamespaces: ["kube-system"] }, ["api"], scope));
        assert.ok(isExempt({ ...COMMON_DEFAULTS, excludeLabels: { team: "*" } }, ["api"], scope));
        assert.ok(!isExempt({ ...COMMON_DEFAULTS, excludeLabels: { team: "web" } }, ["api"], scope));
    });
});
