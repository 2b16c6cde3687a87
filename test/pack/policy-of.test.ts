/**
 * policyOf in-process: what a policy does with @pulumi/policy's arguments before any check runs — it reads its
 * config only for resources it judges, and reports a config problem once, with the first of them.
 */
import { strict as assert } from "assert";
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { policyOf } from "stride-guard/lib/pack";
import { hardenedContainer } from "../support/docker-fixtures";
import { workload } from "../support/fixtures";
import { Res, urnOf } from "../support/run-control";

function argsOf(r: Res, config: object, counter: { reads: number }): ResourceValidationArgs {
    // One ignoreChanges array per request, as @pulumi/policy hands every policy of one Analyze call.
    const opts = { ignoreChanges: [] as string[] };
    return {
        type: r.type,
        name: r.name,
        urn: urnOf(r),
        props: r.props as Record<string, unknown>,
        opts,
        getConfig: () => {
            counter.reads++;
            return { ...config };
        },
    } as unknown as ResourceValidationArgs;
}

function validate(policy: ResourceValidationPolicy, args: ResourceValidationArgs): string[] {
    const out: string[] = [];
    const fn = policy.validateResource as (a: ResourceValidationArgs, r: (m: string) => void) => void;
    fn(args, (m) => out.push(m));
    return out;
}

describe("policyOf: config reads and config problems", () => {
    const control = CONTROLS.find((c) => c.id === "docker-container-memory-limit")!;

    it("does not read its config for a resource it has nothing to judge in", () => {
        const policy = policyOf(control) as ResourceValidationPolicy;
        const counter = { reads: 0 };
        assert.deepEqual(validate(policy, argsOf(workload("Deployment"), { maxMemoryMb: 1 }, counter)), []);
        assert.equal(counter.reads, 0);
        assert.deepEqual(validate(policy, argsOf(hardenedContainer({ memory: 2048 }), { maxMemoryMb: 1024 }, counter)).length, 1);
        assert.equal(counter.reads, 1, "read for the container it judges");
    });

    it("reports a misspelt key once, with the first resource it judges, and keeps checking with its defaults", () => {
        const policy = policyOf(control) as ResourceValidationPolicy;
        const counter = { reads: 0 };
        const config = { maxMemry: 1 };
        assert.deepEqual(validate(policy, argsOf(workload("Deployment"), config, counter)), []);
        const first = validate(policy, argsOf(hardenedContainer({}, "a"), config, counter));
        assert.equal(first.length, 1);
        assert.match(first[0], /invalid configuration of policy docker-container-memory-limit: .*maxMemry/);
        assert.deepEqual(validate(policy, argsOf(hardenedContainer({}, "b"), config, counter)), []);
        const unbounded = validate(policy, argsOf(hardenedContainer({ memory: undefined }, "c"), config, counter));
        assert.equal(unbounded.length, 1);
        assert.match(unbounded[0], /memory/);
    });
});
