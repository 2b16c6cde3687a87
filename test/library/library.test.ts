import assert from "assert/strict";
import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { CONTROLS, presetConfig, select, StrideGuard } from "stride-guard";
import { clean } from "stride-guard/lib/core/values";
import { dockerContainer } from "../support/fixtures";

/** Calls a policy the way @pulumi/policy does for one resource. */
function violations(policy: ResourceValidationPolicy, res: { type: string; name: string; props: unknown }, config: object = {}): string[] {
    const out: string[] = [];
    const args = { ...res, urn: `urn:pulumi:t::p::${res.type}::${res.name}`, getConfig: () => config } as unknown as ResourceValidationArgs;
    const fns = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
    for (const f of fns) void f(args, ((m: string) => out.push(m)) as ReportViolation);
    return out;
}

describe("library API (StrideGuard)", () => {
    it("selects by STRIDE letter, target, minimum severity, benchmark id and id lists", () => {
        assert.ok(select(CONTROLS, { stride: ["R"] }).every((c) => c.stride === "R"));
        assert.ok(select(CONTROLS, { targets: ["kubernetes"] }).every((c) => c.targets.includes("kubernetes")));
        assert.ok(select(CONTROLS, { minSeverity: "high" }).every((c) => c.severity === "high" || c.severity === "critical"));
        assert.deepEqual(
            select(CONTROLS, { cis: ["5.14"], targets: ["docker"] })
                .map((c) => c.id)
                .includes("docker-container-restart-on-failure"),
            true,
        );
        assert.deepEqual(
            select(CONTROLS, { ids: ["docker-container-memory-limit", "docker-daemon-auditing"], exclude: ["docker-daemon-auditing"] }).map((c) => c.id),
            ["docker-container-memory-limit"],
        );
        const guard = new StrideGuard({ select: { stride: ["D"], targets: ["docker"] } });
        assert.ok(guard.controls.length > 0 && guard.policies().length === guard.controls.length);
    });

    it("bakes levels and settings into the policies as their defaults", () => {
        const guard = new StrideGuard({ all: "advisory", "docker-container-memory-limit": { enforcementLevel: "mandatory", maxMemoryMb: 512 } });
        const policies = guard.policies();
        const mem = policies.find((p) => p.name === "docker-container-memory-limit") as ResourceValidationPolicy;
        assert.equal(mem.enforcementLevel, "mandatory");
        assert.equal((mem.configSchema!.properties.maxMemoryMb as { default: unknown }).default, 512);
        assert.ok(policies.filter((p) => p.name !== mem.name).every((p) => p.enforcementLevel === "advisory"));
        const big = dockerContainer({ memory: 1024 });
        assert.match(violations(mem, { ...big, props: clean(big.props).value })[0], /1024 MB exceeds the allowed maximum of 512 MB/);
        // The engine's config still wins over the baked defaults.
        assert.deepEqual(violations(mem, { ...big, props: clean(big.props).value }, { maxMemoryMb: 2048 }), []);
    });

    it("fills @pulumi/policy's framework from the benchmark, or the threat model when no benchmark has the control", () => {
        const byId = new Map(new StrideGuard().policies().map((p) => [p.name, p]));
        assert.deepEqual(byId.get("docker-container-restart-on-failure")!.framework, {
            name: "CIS Docker Benchmark",
            version: "1.6.0",
            reference: "5.15",
            specification: "Docker containers restart on failure, a bounded number of times",
        });
        for (const c of CONTROLS.filter((x) => !x.refs.docker?.length && !x.refs.kubernetes?.length && !x.pss)) {
            const f = byId.get(c.id)!.framework!;
            assert.match(f.name, /threat model/, c.id);
            assert.equal(f.reference, c.stride, c.id);
        }
    });

    it("ships presets: advisory-rollout, baseline and strict", () => {
        assert.ok(new StrideGuard({ preset: "advisory-rollout" }).policies().every((p) => p.enforcementLevel === "advisory"));
        const strict = new StrideGuard({ preset: "strict" });
        assert.ok(Object.values(strict.config).every((e) => e.enforcementLevel === "mandatory" && e.properties.unknownValues === "fail"));
        const baseline = new StrideGuard({ preset: "baseline" });
        for (const c of baseline.controls) {
            const e = baseline.config[c.id];
            assert.equal(e.enforcementLevel, c.severity === "high" || c.severity === "critical" ? "mandatory" : "advisory", c.id);
            if ("level" in c.config) assert.equal(e.properties.level, "baseline", c.id);
        }
        assert.deepEqual(presetConfig("advisory-rollout"), { all: "advisory" });
        // A preset is a starting point: per-control options override it.
        const mixed = new StrideGuard({ preset: "advisory-rollout", "docker-container-memory-limit": "mandatory" });
        assert.equal(mixed.config["docker-container-memory-limit"].enforcementLevel, "mandatory");
    });

    it("rejects unknown controls and invalid settings with the engine's message", () => {
        assert.throws(() => new StrideGuard({ "docker-container-memory": "mandatory" }), /no control named "docker-container-memory"/);
        assert.throws(
            () => new StrideGuard({ "docker-container-memory-limit": { maxMemoryMb: "big" } }),
            /validating policy config: stride-guard \S+ {2}docker-container-memory-limit: maxMemoryMb: Invalid type/,
        );
        assert.throws(() => new StrideGuard({ "docker-container-memory-limit": { maxMemry: 1 } }), /Additional property maxMemry is not allowed/);
    });
});

describe("library API: selections that select nothing are rejected", () => {
    const msg = (f: () => unknown): string => {
        try {
            f();
        } catch (e) {
            return (e as Error).message;
        }
        return "(no error)";
    };

    it("rejects a misspelt minSeverity, STRIDE letter or target with the engine's message", () => {
        assert.match(
            msg(() => new StrideGuard({ select: { minSeverity: "hihg" as never } })),
            /^validating policy config: stride-guard \S+ {2}select\.minSeverity: must be one of the following: low, medium, high, critical$/,
        );
        assert.match(
            msg(() => new StrideGuard({ select: { stride: ["X" as never] } })),
            /select\.stride\.0: must be one of the following: S, T, R, I, D, E/,
        );
        assert.match(
            msg(() => new StrideGuard({ select: { targets: ["k8s" as never] } })),
            /select\.targets\.0: must be one of the following: docker, kubernetes/,
        );
        assert.match(
            msg(() => new StrideGuard({ select: { minSeverty: "high" } as never })),
            /select: Additional property minSeverty is not allowed/,
        );
        assert.match(
            msg(() => new StrideGuard({ select: { ids: "docker-daemon-auditing" as never } })),
            /select\.ids: Invalid type\. Expected: array of strings/,
        );
        assert.match(
            msg(() => new StrideGuard({ select: "docker" as never })),
            /select: Invalid type\. Expected: object/,
        );
    });

    it("rejects ids, benchmark ids and exclusions that name no control, each by position", () => {
        assert.match(
            msg(() => new StrideGuard({ select: { ids: ["docker-daemon-auditing", "docker-daemon-audit"] } })),
            /select\.ids\.1: no control has this id/,
        );
        assert.match(
            msg(() => new StrideGuard({ select: { exclude: ["kubernetes-no-privileged"] } })),
            /select\.exclude\.0: no control has this id/,
        );
        assert.match(
            msg(() => new StrideGuard({ select: { cis: ["5.15", "9.99"] } })),
            /select\.cis\.1: no control has this CIS benchmark id/,
        );
        assert.doesNotMatch(
            msg(() => new StrideGuard({ select: { cis: ["5.14"] } })),
            /validating/,
            "legacy numbering counts",
        );
    });

    it("rejects a selection whose criteria each match but together match no control", () => {
        // CIS Docker 5.15 is a Docker control; no Kubernetes control has it.
        assert.match(
            msg(() => new StrideGuard({ select: { cis: ["5.15"], targets: ["kubernetes"] } })),
            /^validating policy config: stride-guard \S+ {2}select: matches no control/,
        );
        assert.match(
            msg(() => new StrideGuard({ select: { ids: ["docker-daemon-auditing"], exclude: ["docker-daemon-auditing"] } })),
            /select: matches no control/,
        );
        assert.ok(new StrideGuard({ select: { minSeverity: "critical" } }).controls.length > 0);
    });
});

describe("library API: allowedRegistries with a repository path", () => {
    it("accepts registry/path prefixes and rejects entries that could never match", () => {
        const guard = new StrideGuard({ "kubernetes-image-pinned": { allowedRegistries: ["ghcr.io/acme", "docker.io/library"] } });
        assert.deepEqual(guard.config["kubernetes-image-pinned"].properties.allowedRegistries, ["ghcr.io/acme", "docker.io/library"]);
        assert.throws(
            () => new StrideGuard({ "docker-image-pinned": { allowedRegistries: ["ghcr.io/Acme/"] } }),
            /validating policy config: stride-guard \S+ {2}docker-image-pinned: allowedRegistries\.0: Does not match pattern/,
        );
        assert.throws(
            () => new StrideGuard({ "kubernetes-image-pinned": { allowedRegistries: ["ghcr.io/acme/*"] } }),
            /allowedRegistries\.0: Does not match pattern/,
        );
    });
});
