/**
 * Kubernetes workload fixtures and the checks every workload control's tests share: a hardened
 * Deployment to start from, one-field overrides, and malformed inputs that must give a message, not a throw.
 */
import assert from "assert/strict";
import type * as k8s from "@pulumi/kubernetes";
import { Control } from "stride-guard/lib/contract/control";
import { k8sContainer, podSpec, POD_BEARING_KINDS, workload } from "./fixtures";
import { messages, remediate, Res, run, secret } from "./run-control";

type Loose<T> = { [K in keyof T]?: unknown };
export type PodSpec = Loose<k8s.types.input.core.v1.PodSpec>;
export type ContainerSpec = Loose<k8s.types.input.core.v1.Container>;

export { POD_BEARING_KINDS };

/** The hardened container's securityContext, to override one key at a time. */
export const HARDENED_SC = k8sContainer().securityContext as Record<string, unknown>;

export interface DeployOptions {
    /** Keys merged into the hardened container securityContext (undefined deletes a key). */
    readonly sc?: Record<string, unknown>;
    /** Fields merged into the hardened container. */
    readonly container?: ContainerSpec;
    /** Fields merged into the hardened pod spec. */
    readonly pod?: PodSpec;
    readonly kind?: string;
    readonly namespace?: string;
    readonly name?: string;
}

function merged(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) {
        if (v === undefined) delete out[k];
        else out[k] = v;
    }
    return out;
}

/** A hardened container with overrides. */
export function container(o: Pick<DeployOptions, "sc" | "container"> = {}): ContainerSpec {
    const c = merged(k8sContainer() as Record<string, unknown>, (o.container ?? {}) as Record<string, unknown>);
    if (o.sc) c["securityContext"] = merged(HARDENED_SC, o.sc);
    return c;
}

/** A hardened workload (Deployment "shop/api" unless told otherwise) with one change planted. */
export function deploy(o: DeployOptions = {}): Res {
    const spec = merged(podSpec() as Record<string, unknown>, { containers: [container(o)], ...((o.pod ?? {}) as Record<string, unknown>) });
    return workload(o.kind ?? "Deployment", spec, o.name ?? "api", o.namespace ?? "shop");
}

/** The container at `path` (e.g. "spec.template.spec.containers[0]") of remediated props. */
export function dig(props: unknown, path: string): unknown {
    let cur: unknown = props;
    for (const part of path.split(".")) {
        const m = /^(\w+)((?:\[\d+\])*)$/.exec(part);
        if (!m) return undefined;
        cur = (cur as Record<string, unknown> | undefined)?.[m[1]];
        for (const i of m[2].matchAll(/\[(\d+)\]/g)) cur = (cur as unknown[] | undefined)?.[Number(i[1])];
    }
    return cur;
}

/** Violations and unknown paths of a run (other outcome fields are not this area's concern). */
export function outcome(control: Control, res: Res | readonly Res[], settings: object = {}): { violations: unknown[]; unknownPaths: unknown[] } {
    const { violations, unknownPaths } = run(control, res, settings);
    return { violations: [...violations], unknownPaths: [...unknownPaths] };
}

export function assertPasses(control: Control, res: Res | readonly Res[], settings: object = {}): void {
    assert.deepEqual(outcome(control, res, settings), { violations: [], unknownPaths: [] });
}

/** Exactly one violation; every needle must appear in its message. Returns the message. */
export function assertOne(control: Control, res: Res, needles: readonly string[], settings: object = {}): string {
    const m = messages(control, res, settings);
    assert.equal(m.length, 1, `expected one violation, got ${JSON.stringify(m)}`);
    for (const n of needles) assert.ok(m[0].includes(n), `${JSON.stringify(m[0])} should mention ${n}`);
    return m[0];
}

/** Remediates, checks that the fix went where expected, and that the remediated props pass. */
export function assertRemediates(control: Control, res: Res, expect: Readonly<Record<string, unknown>>, settings: object = {}): void {
    const before = JSON.stringify(res.props);
    const fixed = remediate(control, res, settings);
    assert.ok(fixed, "remediation should change the props");
    for (const [path, value] of Object.entries(expect)) assert.deepEqual(dig(fixed, path), value, path);
    assertPasses(control, { ...res, props: fixed }, settings);
    assert.equal(JSON.stringify(res.props), before, "copy-on-write: the original props are untouched");
}

/** Wraps the resource's metadata.name in a secret; the returned string must never appear in messages. */
export function withSecretName(res: Res, value = "s3cr3t-name-x9"): { res: Res; secretValue: string } {
    const props = res.props as { metadata: Record<string, unknown> };
    return { res: { ...res, props: { ...props, metadata: { ...props.metadata, name: secret(value) } } }, secretValue: value };
}

/** Malformed inputs every workload control must answer with a clear message and no throw. */
export function malformedWorkloads(): { what: string; res: Res; needle: string }[] {
    const base = deploy();
    const type = base.type;
    return [
        { what: "null props", res: { type, name: "bad", props: null }, needle: "pod spec is missing" },
        { what: "no spec", res: { type, name: "bad", props: { metadata: { name: "bad" } } }, needle: "pod spec is missing" },
        { what: "spec of the wrong type", res: workload("Pod", "oops" as unknown as PodSpec, "bad"), needle: "must be an object" },
        { what: "containers not a list", res: workload("Deployment", podSpec({ containers: { name: "x" } }), "bad"), needle: "expected a list of containers" },
        { what: "a null container", res: workload("Deployment", podSpec({ containers: [null] }), "bad"), needle: "expected a container object, got null" },
    ];
}

/** Runs a control over the malformed inputs: a violation naming the problem, never a throw. */
export function assertMalformedReported(control: Control): void {
    for (const { what, res, needle } of malformedWorkloads()) {
        const m = messages(control, res);
        assert.ok(
            m.some((x) => x.includes(needle) && x.includes("cannot be checked")),
            `${what}: ${JSON.stringify(m)}`,
        );
    }
}

/** An unknown preview value: an unknown path by default, one unknown violation under `unknownValues: fail`, nothing under `pass`. */
export function assertUnknown(control: Control, res: Res, path: string, settings: object = {}): void {
    assert.deepEqual(outcome(control, res, settings), { violations: [], unknownPaths: [path] });
    const failed = run(control, res, { ...settings, unknownValues: "fail" }).violations;
    assert.equal(failed.length, 1, JSON.stringify(failed));
    assert.equal(failed[0].unknown, true);
    assert.ok(failed[0].message.includes(`${path}: is unknown at preview`), failed[0].message);
    assertPasses(control, res, { ...settings, unknownValues: "pass" });
}

/** The violating resource with its name held as a secret: still one violation per finding, the secret never shown. */
export function assertSecretHidden(control: Control, res: Res, settings: object = {}): void {
    const { res: hidden, secretValue } = withSecretName(res);
    const m = messages(control, hidden, settings);
    assert.ok(m.length > 0, "the violation is still reported");
    for (const x of m) assert.ok(!x.includes(secretValue), x);
}
