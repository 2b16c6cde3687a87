/** The Docker container and Swarm service adapters, and the container controls as a set. */
import assert from "assert/strict";
import { subjectsOf } from "stride-guard/lib/adapters/index";
import { controlById } from "stride-guard/lib/controls/index";
import { DOCKER_CONTAINER_CONTROLS } from "stride-guard/lib/controls/docker/containers";
import capabilities from "stride-guard/lib/controls/docker/docker-container-capabilities";
import { UNKNOWN } from "stride-guard/lib/kernel/values";
import { clean } from "stride-guard/lib/kernel/clean";
import { DockerContainerModel, expressible } from "stride-guard/lib/model/docker-container";
import { remediate, Res, run, secret, UNKNOWN_STRING, urnOf } from "../../support/run-control";
import { assertPass, hardenedContainer, hardenedService, MIB, SERVICE_HOST_SETTINGS } from "../../support/docker-fixtures";

function modelOf(r: Res): DockerContainerModel {
    const out = subjectsOf("dockerContainer", { type: r.type, name: r.name, urn: urnOf(r), props: clean(r.props).value });
    assert.equal(out.problems.length, 0, JSON.stringify(out.problems));
    assert.equal(out.subjects.length, 1);
    return out.subjects[0].model;
}

describe("Docker container adapters", () => {
    it("normalizes docker.Container inputs", () => {
        const m = modelOf(hardenedContainer({ cpus: "1.5", pidMode: "host", devices: [{ hostPath: "/dev/fuse" }] }));
        assert.equal(m.role, "container");
        assert.equal(m.name, "web");
        assert.equal(m.memoryBytes, 256 * MIB);
        assert.equal(m.nanoCpus, 1_500_000_000);
        assert.equal(m.restartPolicyDefault, "no");
        assert.equal(m.pidMode, "host");
        assert.deepEqual(m.devices, ["/dev/fuse"]);
        assert.deepEqual(m.tmpfsTargets, ["/tmp"]);
        assert.deepEqual(m.env, [
            { path: "envs[0]", name: "LOG_LEVEL", value: "info" },
            { path: "envs[1]", name: "DB_PASSWORD_FILE", value: "/run/secrets/db" },
        ]);
        assert.deepEqual(m.mounts, [
            { path: "volumes[0]", type: "bind", source: "/srv/web/config", target: "/config", readOnly: true, propagation: undefined },
            { path: "mounts[0]", type: "volume", source: "web-data", target: "/data", readOnly: undefined, propagation: undefined },
        ]);
        assert.deepEqual(m.ports, [{ path: "ports[0]", hostIp: "127.0.0.1", interfaceBindable: true, hostPort: 8080, containerPort: 8080 }]);
        assert.equal(expressible(m, "pidsLimit"), false, "the provider has no pids limit");
        assert.equal(expressible(m, "utsMode"), false, "the provider has no UTS mode");
        assert.equal(expressible(m, "securityOpts"), true);
    });

    it("normalizes docker.Service task specs", () => {
        const m = modelOf(hardenedService({ capAdds: ["CHOWN"] }, { restartPolicy: { condition: "any", maxAttempts: 3 } }));
        assert.equal(m.role, "serviceTask");
        assert.equal(m.name, "api");
        assert.equal(m.memoryBytes, 256 * MIB);
        assert.equal(m.nanoCpus, 500_000_000);
        assert.equal(m.restartPolicy, "always");
        assert.equal(m.restartMaxRetries, 3);
        assert.equal(m.restartPolicyDefault, "always");
        assert.deepEqual(m.capabilitiesAdd, ["CHOWN"]);
        assert.deepEqual(m.tmpfsTargets, ["/tmp"]);
        assert.deepEqual(m.env, [{ path: "taskSpec.containerSpec.env.LOG_LEVEL", name: "LOG_LEVEL", value: "info" }]);
        assert.deepEqual(m.ports, [{ path: "endpointSpec.ports[0]", hostIp: undefined, interfaceBindable: false, hostPort: 8080, containerPort: 8080 }]);
        assert.equal(m.paths.memoryBytes, "taskSpec.resources.limits.memoryBytes");
        for (const f of ["privileged", "securityOpts", "pidsLimit", "networkMode", "devices", "cgroupParent"] as const)
            assert.equal(expressible(m, f), false, f);
        assert.equal(modelOf(hardenedService({}, { restartPolicy: { condition: "none" } })).restartPolicy, "no");
    });

    it("reads unknown task specs and properties as unknown fields", () => {
        const m = modelOf(hardenedService({}, {}, { taskSpec: UNKNOWN_STRING }));
        assert.equal(m.user, UNKNOWN);
        assert.equal(m.memoryBytes, UNKNOWN);
        assert.equal(m.mounts, UNKNOWN);
        const c = modelOf({ type: "docker:index/container:Container", name: "u", props: UNKNOWN_STRING });
        assert.equal(c.image, UNKNOWN);
        assert.equal(c.env, UNKNOWN);
    });

    it("ignores other resource types", () => {
        const out = subjectsOf("dockerContainer", { type: "docker:index/network:Network", name: "n", urn: "u", props: {} });
        assert.deepEqual(out, { subjects: [], problems: [] });
    });

    it("keeps secret wrappers in branches a remediation does not touch", () => {
        const wrapped = secret("DB_PASSWORD_FILE=/run/secrets/db");
        const fixed = remediate(capabilities, hardenedContainer({ capabilities: undefined, envs: [wrapped] }));
        assert.ok(fixed);
        assert.deepEqual(fixed["capabilities"], { drops: ["ALL"] });
        assert.equal((fixed["envs"] as unknown[])[0], wrapped);
    });
});

describe("Docker container controls as a set", () => {
    it("are all listed in the catalog, named docker-container-*", () => {
        assert.equal(new Set(DOCKER_CONTAINER_CONTROLS.map((c) => c.id)).size, DOCKER_CONTAINER_CONTROLS.length);
        for (const c of DOCKER_CONTAINER_CONTROLS) {
            assert.match(c.id, /^docker-container-[a-z0-9-]+$/);
            assert.equal(controlById(c.id), c);
            assert.ok(c.refs.docker?.length, `${c.id} has CIS Docker ids`);
            assert.ok(c.remediationSteps.length > 0 && c.description.length > 0);
            assert.equal(c.scope, "resource");
        }
    });

    it("all pass the hardened container and (with host-level settings) the hardened service", () => {
        for (const c of DOCKER_CONTAINER_CONTROLS) {
            assertPass(c, hardenedContainer());
            assertPass(c, hardenedService(), SERVICE_HOST_SETTINGS);
        }
    });

    it("never throw on hostile input", () => {
        const hostile: unknown[] = [
            { mounts: [1, "x", null, [], { type: {} }], ports: [{ external: -1 }, { external: Number.POSITIVE_INFINITY }], envs: [null, {}, "=", "=x"] },
            { capabilities: { drops: [null], adds: {} }, ulimits: [null, { name: 1 }], healthcheck: [], tmpfs: ["x"], devices: [null] },
            { volumes: [{ hostPath: null }], securityOpts: [null], cpus: {}, memory: [], user: {}, restart: [] },
        ];
        for (const props of hostile) {
            for (const c of DOCKER_CONTAINER_CONTROLS) {
                assert.doesNotThrow(() => remediate(c, { type: "docker:index/container:Container", name: "h", props }));
                assert.doesNotThrow(() => assertPassOrReport(c, { type: "docker:index/container:Container", name: "h", props }));
            }
        }
    });
});

/** Violations are fine; a check that threw shows up as "could not be checked". */
function assertPassOrReport(c: (typeof DOCKER_CONTAINER_CONTROLS)[number], r: Res): void {
    for (const v of run(c, r, { unknownValues: "fail" }).violations) assert.ok(!v.message.includes("could not be checked"), `${c.id}: ${v.message}`);
}
