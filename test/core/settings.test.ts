import assert from "assert/strict";
import { COMMON_DEFAULTS, globMatch, isExempt } from "stride-guard/lib/engine/settings";
import { resourceScope } from "stride-guard/lib/adapters/index";

describe("engine/settings", () => {
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

    it("reads only the exemption labels' own keys, whatever their prototype", () => {
        const scope = { labels: { team: "platform", tier: "db" } };
        const inherited = Object.create({ team: "*" }) as Record<string, string>;
        assert.ok(!isExempt({ ...COMMON_DEFAULTS, excludeLabels: inherited }, ["api"], scope));
        inherited.tier = "db";
        assert.ok(isExempt({ ...COMMON_DEFAULTS, excludeLabels: inherited }, ["api"], scope));
        const bare = Object.assign(Object.create(null) as Record<string, string>, { other: "x", team: "platform" });
        assert.ok(isExempt({ ...COMMON_DEFAULTS, excludeLabels: bare }, ["api"], scope));
    });

    it("matches exemption labels against the resource's own labels only", () => {
        for (const key of ["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf", "isPrototypeOf"]) {
            const excludeLabels = JSON.parse(`{${JSON.stringify(key)}: "*"}`) as Record<string, string>;
            assert.ok(!isExempt({ ...COMMON_DEFAULTS, excludeLabels }, ["api"], { labels: { team: "x" } }), key);
            const labels = resourceScope({ type: "t", name: "n", urn: "u", props: JSON.parse(`{"metadata":{"labels":{${JSON.stringify(key)}:"v"}}}`) }).labels;
            assert.ok(Object.prototype.hasOwnProperty.call(labels, key), key);
            assert.ok(isExempt({ ...COMMON_DEFAULTS, excludeLabels }, ["api"], { labels }), key);
        }
    });

    it("reads exemption labels from every source: Kubernetes, Pulumi Docker, Compose (map and list), docker inspect", () => {
        const scope = (props: unknown) => resourceScope({ type: "t", name: "n", urn: "u", props }).labels;
        assert.deepEqual(scope({ metadata: { labels: { a: "1" } } }), { a: "1" });
        assert.deepEqual(scope({ labels: [{ label: "a", value: "1" }] }), { a: "1" });
        assert.deepEqual(scope({ labels: { a: "1" } }), { a: "1" });
        assert.deepEqual(scope({ labels: ["a=1", "b=x=y", "=bad", "nokey"] }), { a: "1", b: "x=y" });
        assert.deepEqual(scope({ Config: { Labels: { a: "1" } } }), { a: "1" });
    });
});
