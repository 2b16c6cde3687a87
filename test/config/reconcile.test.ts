import * as assert from "assert";
import { reconcilePolicyConfig, PackLike } from "stride-guard/lib/config/reconcile";

const pack: PackLike = {
    name: "stride-guard",
    version: "0.1.0",
    enforcementLevel: "advisory",
    policies: [
        {
            name: "docker-container-memory-limit",
            enforcementLevel: "mandatory",
            configSchema: {
                properties: { maxMemoryMb: { type: "integer", minimum: 1, default: 512 }, exempt: { type: "array", items: { type: "string" }, default: [] } },
            },
        },
        { name: "docker-no-privileged" },
        {
            name: "k8s-registry-allowlist",
            enforcementLevel: "advisory",
            configSchema: { properties: { registries: { type: "array", items: { type: "string" } } }, required: ["registries"] },
        },
    ],
};

const ok = (r: ReturnType<typeof reconcilePolicyConfig>) => {
    if (!r.ok) assert.fail(r.message);
    return r.config;
};

describe("config/reconcile: --policy-pack-config reconciliation", () => {
    it("fills schema defaults and default levels for every policy, including unmentioned ones", () => {
        const c = ok(reconcilePolicyConfig(pack, { "k8s-registry-allowlist": { registries: ["ghcr.io"] } }));
        assert.deepStrictEqual(c["docker-container-memory-limit"], { enforcementLevel: "mandatory", properties: { maxMemoryMb: 512, exempt: [] } });
        assert.deepStrictEqual(c["docker-no-privileged"], { enforcementLevel: "advisory", properties: {} }, "policy without level → pack level");
        assert.deepStrictEqual(c["k8s-registry-allowlist"], { enforcementLevel: "advisory", properties: { registries: ["ghcr.io"] } });
    });

    it("applies precedence: per-policy level > all > policy default > pack default", () => {
        const base = { "k8s-registry-allowlist": { registries: [] as string[] } };
        let c = ok(reconcilePolicyConfig(pack, { ...base, all: "disabled" }));
        assert.ok(Object.values(c).every((e) => e.enforcementLevel === "disabled"));
        c = ok(reconcilePolicyConfig(pack, { ...base, all: { enforcementLevel: "mandatory" }, "docker-no-privileged": "remediate" }));
        assert.strictEqual(c["docker-no-privileged"].enforcementLevel, "remediate");
        assert.strictEqual(c["k8s-registry-allowlist"].enforcementLevel, "mandatory");
        c = ok(reconcilePolicyConfig(pack, { ...base, "docker-container-memory-limit": { enforcementLevel: "advisory", maxMemoryMb: 1024 } }));
        assert.deepStrictEqual(c["docker-container-memory-limit"], { enforcementLevel: "advisory", properties: { maxMemoryMb: 1024, exempt: [] } });
    });

    it("accepts JSON text like the CLI reads the file, and treats empty text as no config", () => {
        const c = ok(reconcilePolicyConfig(pack, JSON.stringify({ "k8s-registry-allowlist": { registries: ["a"] } })));
        assert.deepStrictEqual(c["k8s-registry-allowlist"].properties, { registries: ["a"] });
        const r = reconcilePolicyConfig(pack, "   ");
        assert.ok(!r.ok && r.errors[0].endsWith("k8s-registry-allowlist: registries is required"));
    });

    it("rejects invalid properties with the CLI's exact wording, sorted, without echoing values", () => {
        const r = reconcilePolicyConfig(pack, {
            "docker-container-memory-limit": { maxMemoryMb: "s3cr3t-value" },
            "k8s-registry-allowlist": { registries: [1] },
        });
        assert.ok(!r.ok);
        assert.deepStrictEqual(r.errors, [
            "validating policy config: stride-guard 0.1.0  docker-container-memory-limit: maxMemoryMb: Invalid type. Expected: integer, given: string",
            "validating policy config: stride-guard 0.1.0  k8s-registry-allowlist: registries.0: Invalid type. Expected: string, given: integer",
        ]);
        assert.strictEqual(r.message, r.errors.join("\n"));
        assert.ok(!r.message.includes("s3cr3t-value"));
    });

    it("reports missing required properties, unknown policies and bad levels", () => {
        let r = reconcilePolicyConfig(pack, { "no-such-policy": { x: 1 } });
        assert.ok(!r.ok);
        assert.deepStrictEqual(r.errors, [
            "validating policy config: stride-guard 0.1.0  k8s-registry-allowlist: registries is required",
            'validating policy config: stride-guard 0.1.0  no-such-policy: no policy named "no-such-policy" in the policy pack',
        ]);
        r = reconcilePolicyConfig(pack, { all: "strict" });
        assert.ok(!r.ok);
        assert.deepStrictEqual(r.errors, ['parsing enforcement level for "all": <string> is not a valid enforcement level']);
        r = reconcilePolicyConfig(pack, { "docker-no-privileged": { enforcementLevel: 3 } });
        assert.ok(!r.ok && r.message === 'parsing enforcement level for "docker-no-privileged": <integer> is not a valid enforcement level; must be a string');
        r = reconcilePolicyConfig(pack, { "docker-no-privileged": 42 });
        assert.ok(!r.ok && r.message === 'parsing "docker-no-privileged": <integer> is not a valid value; must be a string or object');
        r = reconcilePolicyConfig(pack, "{not json");
        assert.ok(!r.ok && r.message.startsWith("invalid policy pack config JSON"));
    });

    it("keeps __proto__ keys as data and does not share default objects between runs", () => {
        const cfg = JSON.parse('{"k8s-registry-allowlist": {"registries": [], "__proto__": {"polluted": 1}}}');
        const c = ok(reconcilePolicyConfig(pack, cfg));
        assert.ok(Object.prototype.hasOwnProperty.call(c["k8s-registry-allowlist"].properties, "__proto__"));
        assert.strictEqual(({} as Record<string, unknown>).polluted, undefined);
        (c["docker-container-memory-limit"].properties.exempt as string[]).push("x");
        const again = ok(reconcilePolicyConfig(pack, { "k8s-registry-allowlist": { registries: [] } }));
        assert.deepStrictEqual(again["docker-container-memory-limit"].properties.exempt, []);
    });

    it("applies the pack's initialConfig between defaults and the file", () => {
        const c = ok(
            reconcilePolicyConfig(
                pack,
                { "k8s-registry-allowlist": { registries: [] } },
                {
                    initialConfig: {
                        "docker-container-memory-limit": { properties: { maxMemoryMb: 256 } },
                        "docker-no-privileged": { enforcementLevel: "mandatory" },
                    },
                },
            ),
        );
        assert.strictEqual(c["docker-container-memory-limit"].properties.maxMemoryMb, 256);
        assert.strictEqual(c["docker-no-privileged"].enforcementLevel, "mandatory");
    });
});
