/**
 * Docker container and Swarm service fixtures, hardened so that every container control passes,
 * and the assertions every container control's tests share.
 */
import assert from "assert/strict";
import type * as docker from "@pulumi/docker";
import { Control } from "stride-guard/lib/core/control";
import { messages, remediate, Res, run } from "./run-control";

type Loose<T> = { [K in keyof T]?: unknown };
export type ContainerProps = Loose<docker.ContainerArgs>;
export type ContainerSpecProps = Loose<docker.types.input.ServiceTaskSpecContainerSpec>;
export type TaskSpecProps = Loose<docker.types.input.ServiceTaskSpec>;

export const MIB = 1024 * 1024;
const DIGEST = "@sha256:" + "c".repeat(64);

/** `docker:index/container:Container` that passes every container control under default settings. */
export function hardenedContainer(overrides: ContainerProps = {}, name = "web"): Res {
    const props: ContainerProps = {
        name,
        image: "registry.example.com/web" + DIGEST,
        user: "10001:10001",
        memory: 256,
        cpus: "0.5",
        restart: "on-failure",
        maxRetryCount: 5,
        privileged: false,
        readOnly: true,
        tmpfs: { "/tmp": "rw,nosuid,nodev,size=64m" },
        capabilities: { drops: ["ALL"], adds: ["NET_BIND_SERVICE"] },
        securityOpts: ["no-new-privileges:true"],
        ulimits: [{ name: "nproc", soft: 512, hard: 512 }],
        healthcheck: { tests: ["CMD", "/app/healthcheck"], interval: "30s", timeout: "5s", retries: 3 },
        ports: [{ internal: 8080, external: 8080, ip: "127.0.0.1" }],
        envs: ["LOG_LEVEL=info", "DB_PASSWORD_FILE=/run/secrets/db"],
        mounts: [{ type: "volume", source: "web-data", target: "/data" }],
        volumes: [{ hostPath: "/srv/web/config", containerPath: "/config", readOnly: true }],
        networksAdvanced: [{ name: "web-net" }],
        ...overrides,
    };
    return { type: "docker:index/container:Container", name, props };
}

/** Settings under which a Swarm task passes the controls whose settings it cannot express. */
export const SERVICE_HOST_SETTINGS = { hostEnforced: true, daemonDefault: true } as const;

/**
 * `docker:index/service:Service` whose task passes every container control (with SERVICE_HOST_SETTINGS
 * for the PIDs limit and no-new-privileges, which Swarm tasks cannot express).
 */
export function hardenedService(spec: ContainerSpecProps = {}, task: TaskSpecProps = {}, top: Record<string, unknown> = {}, name = "api"): Res {
    const containerSpec: ContainerSpecProps = {
        image: "registry.example.com/api" + DIGEST,
        user: "10001:10001",
        readOnly: true,
        capDrops: ["ALL"],
        healthcheck: { tests: ["CMD", "/app/healthcheck"], interval: "30s" },
        mounts: [{ type: "tmpfs", target: "/tmp" }],
        env: { LOG_LEVEL: "info" },
        ...spec,
    };
    const taskSpec: TaskSpecProps = {
        containerSpec,
        resources: { limits: { memoryBytes: 256 * MIB, nanoCpus: 500_000_000 } },
        restartPolicy: { condition: "on-failure", maxAttempts: 5 },
        ...task,
    };
    const props = { name, taskSpec, endpointSpec: { ports: [{ targetPort: 8080, publishedPort: 8080 }] }, ...top };
    return { type: "docker:index/service:Service", name, props };
}

// ---- shared assertions --------------------------------------------------------------------------

export function assertPass(control: Control, res: Res | readonly Res[], settings: object = {}): void {
    const out = run(control, res, settings);
    assert.deepEqual(
        out.violations.map((v) => v.message),
        [],
    );
    assert.deepEqual(out.unknownPaths, []);
}

/** Exactly one violation, whose message contains every fragment; returns it. */
export function assertOne(control: Control, res: Res, fragments: readonly string[], settings: object = {}): string {
    const msgs = messages(control, res, settings);
    assert.equal(msgs.length, 1, `expected one violation, got ${JSON.stringify(msgs)}`);
    for (const f of fragments) assert.ok(msgs[0].includes(f), `expected ${JSON.stringify(f)} in ${JSON.stringify(msgs[0])}`);
    return msgs[0];
}

/** An unknown value: noted under the default `advisory`, a violation under `fail`, nothing under `pass`. */
export function assertUnknown(control: Control, res: Res, path: string, settings: object = {}): void {
    const advisory = run(control, res, settings);
    assert.deepEqual(
        advisory.violations.map((v) => v.message),
        [],
    );
    assert.ok(advisory.unknownPaths.includes(path), `expected ${path} in ${JSON.stringify(advisory.unknownPaths)}`);
    const fail = run(control, res, { ...settings, unknownValues: "fail" });
    assert.ok(fail.violations.length >= 1 && fail.violations.every((v) => v.unknown === true));
    assert.ok(fail.violations.some((v) => v.message.includes(path) && v.message.includes("unknown at preview")));
    assert.deepEqual(run(control, res, { ...settings, unknownValues: "pass" }), { violations: [], unknownPaths: [] });
}

/** The secret never appears in any message, under any unknown-values mode. */
export function assertSecretHidden(control: Control, res: Res, secretText: string, settings: object = {}): string[] {
    const all: string[] = [];
    for (const unknownValues of ["advisory", "fail"]) all.push(...messages(control, res, { ...settings, unknownValues }));
    for (const m of all) assert.ok(!m.includes(secretText), `secret leaked in ${JSON.stringify(m)}`);
    return all;
}

/** Malformed input yields a violation mentioning each fragment, and no throw. */
export function assertMalformed(control: Control, res: Res, fragments: readonly string[], settings: object = {}): void {
    const msgs = messages(control, res, settings);
    assert.ok(msgs.length >= 1, "expected a violation for malformed input");
    assert.ok(
        msgs.some((m) => fragments.every((f) => m.includes(f))),
        `expected ${JSON.stringify(fragments)} in ${JSON.stringify(msgs)}`,
    );
}

/** Inputs too broken to model at all: reported by the adapter for every container control. */
export function assertUnreadableReported(control: Control): void {
    assertMalformed(control, { type: "docker:index/container:Container", name: "broken", props: null }, ['Docker container "broken"', "not an object"]);
    assertMalformed(control, { type: "docker:index/container:Container", name: "broken", props: ["x"] }, ["not an object"]);
    assertMalformed(control, { type: "docker:index/service:Service", name: "svc", props: { name: "svc" } }, [
        'Docker service task "svc"',
        "taskSpec",
        "no task spec",
    ]);
    assertMalformed(control, { type: "docker:index/service:Service", name: "svc", props: { taskSpec: { containerSpec: "nginx" } } }, [
        "taskSpec.containerSpec",
        "not an object",
    ]);
}

/** Remediation fixes the resource: the new props pass; returns them. */
export function assertRemediates(control: Control, res: Res, settings: object = {}): Record<string, unknown> {
    assert.ok(messages(control, res, settings).length > 0, "the fixture should fail before remediation");
    const fixed = remediate(control, res, settings);
    assert.ok(fixed, "expected a remediation");
    assertPass(control, { ...res, props: fixed }, settings);
    return fixed;
}
