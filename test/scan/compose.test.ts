import assert from "assert/strict";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { composeBytes, composeServiceModel } from "stride-guard/lib/adapters/docker/compose";
import { DOCKER_CONTAINER_CONTROLS } from "stride-guard/lib/controls/docker/containers";
import { Invalid, UNKNOWN } from "stride-guard/lib/kernel/values";
import { scanCompose } from "stride-guard/lib/scan/index";
import { interpolate, readCompose } from "stride-guard/lib/scan/compose";
import { Report } from "stride-guard/lib/check/report";
import { byName, controlsOn, fixture } from "./helpers";

const ALL_CONTAINER_CONTROLS = DOCKER_CONTAINER_CONTROLS.map((c) => c.id).sort();

describe("scan compose", function () {
    let hardened: Report;
    let insecure: Report;
    before(async () => {
        hardened = await scanCompose([fixture("compose", "hardened-v3.yml")], { controls: CONTROLS });
        insecure = await scanCompose([fixture("compose", "insecure-v2.yml")], { controls: CONTROLS });
    });

    it("reads each service at the line of its key, through extension fields, anchors and merge keys", () => {
        const read = readCompose([
            { name: "c.yml", text: "x-base: &base\n  user: '1000'\nservices:\n  a:\n    <<: *base\n    image: a\n\n  b: { image: b }\n" },
        ]);
        assert.deepEqual(
            read.resources.map((r) => [r.type, r.name, r.line]),
            [
                ["compose:service", "a", 4],
                ["compose:service", "b", 8],
            ],
        );
        assert.equal((read.resources[0].props as Record<string, unknown>)["user"], "1000");
    });

    it("a hardened v3 file (deploy limits and restart policy, long port and volume syntax) passes every container control", () => {
        assert.deepEqual(hardened.errors, []);
        assert.equal(hardened.resources, 2);
        assert.deepEqual(
            hardened.findings.map((f) => `${f.resource.name} ${f.control}: ${f.message}`),
            [],
        );
    });

    it("an insecure v2 file fails every container control, each on the field that says so", () => {
        const web = controlsOn(insecure, byName("web")).filter((id) => ALL_CONTAINER_CONTROLS.includes(id));
        const cache = controlsOn(insecure, byName("cache")).filter((id) => ALL_CONTAINER_CONTROLS.includes(id));
        assert.deepEqual([...new Set([...web, ...cache])].sort(), ALL_CONTAINER_CONTROLS);
        const at = (name: string, control: string) => insecure.findings.filter((f) => f.resource.name === name && f.control === control).map((f) => f.message);
        assert.match(at("web", "docker-container-docker-socket")[0], /^Compose service "web": volumes\[0\]: mounts "\/var\/run\/docker\.sock"/);
        assert.match(at("web", "docker-container-sensitive-host-paths")[0], /volumes\[1\]: binds the sensitive host path "\/etc"/);
        assert.match(at("web", "docker-container-mount-propagation")[0], /volumes\[2\]: .*"rshared"/);
        assert.equal(
            at("web", "docker-container-published-ports").length,
            3,
            "80 privileged + every interface, [::]:9000 every interface; 127.0.0.1:8443 is fine",
        );
        assert.match(at("web", "docker-container-restart-on-failure")[0], /^Compose service "web": restart: the restart policy is "always"/);
        assert.match(at("cache", "docker-container-restart-on-failure")[0], /restart: 10 retries exceed the maximum of 5/);
        assert.match(at("cache", "docker-container-memory-limit")[0], /mem_limit: the memory limit of 8192 MB exceeds/);
        assert.match(at("cache", "docker-container-healthcheck")[0], /healthcheck\.test: the health check is disabled/);
        assert.match(at("cache", "docker-container-non-root-user")[0], /user: is "root"/);
        assert.equal(at("web", "docker-container-host-namespaces").length, 4);
        assert.deepEqual(
            insecure.findings.filter((f) => f.control === "docker-container-env-secrets").map((f) => f.message.split(":")[1].trim()),
            ["environment[0]", "environment.REDIS_PASSWORD", "environment.API_TOKEN"],
        );
        assert.ok(insecure.findings.every((f) => f.resource.file?.endsWith("insecure-v2.yml") && (f.resource.line === 3 || f.resource.line === 27)));
    });

    it("checks images and logging of services: tags are not pinned; no logging or driver none is not rotated", () => {
        const at = (control: string) => insecure.findings.filter((f) => f.control === control).map((f) => [f.resource.name, f.level, f.message.split(": ")[1]]);
        assert.deepEqual(
            at("docker-image-pinned")
                .map((x) => x[0])
                .sort(),
            ["cache", "web"],
        );
        assert.deepEqual(at("docker-logging-configured"), [
            ["web", "advisory", "logging.driver"],
            ["cache", "advisory", "logging.driver"],
        ]);
        assert.match(
            insecure.findings.find((f) => f.control === "docker-logging-configured" && f.resource.name === "cache")!.message,
            /is "none": the container leaves no logs at all/,
        );
        assert.equal(insecure.findings.find((f) => f.control === "docker-logging-configured")!.resource.line, 3);
    });

    it("parses Compose byte values", () => {
        assert.equal(composeBytes("512m"), 512 * 2 ** 20);
        assert.equal(composeBytes("1g"), 2 ** 30);
        assert.equal(composeBytes("1.5GB"), 1.5 * 2 ** 30);
        assert.equal(composeBytes("256M"), 256 * 2 ** 20);
        assert.equal(composeBytes("100"), 100);
        assert.equal(composeBytes(1048576), 1048576);
        assert.ok(composeBytes("lots") instanceof Invalid);
        assert.equal(composeBytes(undefined), undefined);
        assert.equal(composeBytes(UNKNOWN), UNKNOWN);
    });

    it("maps restart: and deploy.restart_policy as docker compose does (restart: wins)", () => {
        const m = (svc: Record<string, unknown>) => composeServiceModel(svc, "s");
        assert.deepEqual([m({ restart: "on-failure:5" }).restartPolicy, m({ restart: "on-failure:5" }).restartMaxRetries], ["on-failure", 5]);
        assert.deepEqual([m({ restart: "on-failure" }).restartPolicy, m({ restart: "on-failure" }).restartMaxRetries], ["on-failure", undefined]);
        const deploy = m({ deploy: { restart_policy: { condition: "on-failure", max_attempts: 3 } } });
        assert.deepEqual([deploy.restartPolicy, deploy.restartMaxRetries, deploy.paths.restartPolicy], ["on-failure", 3, "deploy.restart_policy.condition"]);
        assert.equal(m({ deploy: { restart_policy: {} } }).restartPolicy, "always");
        assert.equal(m({ deploy: { restart_policy: { condition: "none" } } }).restartPolicy, "no");
        assert.equal(m({ restart: "no", deploy: { restart_policy: { condition: "any" } } }).restartPolicy, "no");
        assert.ok(m({ restart: "sometimes" }).restartPolicy instanceof Invalid);
        assert.equal(m({}).restartPolicy, undefined);
    });

    it("maps short and long port syntax", () => {
        const ports = composeServiceModel(
            {
                ports: [
                    "3000",
                    "8000:8000",
                    "9090-9091:8080-8081",
                    "127.0.0.1:5000-5010:5000-5010",
                    "6060:6060/udp",
                    "[::1]:6001:6001",
                    4000,
                    { target: 80, published: "8080", host_ip: "10.0.0.1" },
                    { target: 81, published: 8081, mode: "ingress" },
                ],
            },
            "s",
        ).ports as any[];
        assert.deepEqual(
            ports.map((p) => [p.hostIp, p.hostPort, p.containerPort, p.interfaceBindable]),
            [
                [undefined, undefined, 3000, true],
                [undefined, 8000, 8000, true],
                [undefined, 9090, 8080, true],
                ["127.0.0.1", 5000, 5000, true],
                [undefined, 6060, 6060, true],
                ["::1", 6001, 6001, true],
                [undefined, undefined, 4000, true],
                ["10.0.0.1", 8080, 80, true],
                [undefined, 8081, 81, false],
            ],
        );
    });

    it("maps short and long volume syntax, tmpfs and devices", () => {
        const m = composeServiceModel(
            {
                volumes: [
                    "/data",
                    "named:/data2",
                    "/host:/c:ro",
                    "./rel:/r:rw,rshared",
                    { type: "bind", source: "/srv", target: "/srv", read_only: true, bind: { propagation: "rslave" } },
                    { type: "tmpfs", target: "/run" },
                ],
                tmpfs: ["/tmp:size=64m"],
                devices: ["/dev/fuse", { source: "/dev/kvm", target: "/dev/kvm", permissions: "rwm" }],
            },
            "s",
        );
        assert.deepEqual(
            (m.mounts as any[]).map((v) => [v.type, v.source, v.target, v.readOnly, v.propagation, v.path]),
            [
                ["volume", undefined, "/data", false, undefined, "volumes[0]"],
                ["volume", "named", "/data2", false, undefined, "volumes[1]"],
                ["bind", "/host", "/c", true, undefined, "volumes[2]"],
                ["bind", "./rel", "/r", false, "rshared", "volumes[3]"],
                ["bind", "/srv", "/srv", true, "rslave", "volumes[4]"],
                ["tmpfs", undefined, "/run", undefined, undefined, "volumes[5]"],
            ],
        );
        assert.deepEqual(m.tmpfsTargets, ["/tmp", "/run"]);
        assert.deepEqual(m.devices, ["/dev/fuse", "/dev/kvm"]);
    });

    it("maps environment lists and maps, ulimits, healthcheck forms, user numbers and v3 limits", () => {
        const list = composeServiceModel({ environment: ["A=1", "B"] }, "s").env as any[];
        assert.deepEqual(
            list.map((e) => [e.name, e.value, e.path]),
            [
                ["A", "1", "environment[0]"],
                ["B", undefined, "environment[1]"],
            ],
        );
        const map = composeServiceModel({ environment: { A: "1", B: null } }, "s").env as any[];
        assert.deepEqual(
            map.map((e) => [e.name, e.value, e.path]),
            [
                ["A", "1", "environment.A"],
                ["B", undefined, "environment.B"],
            ],
        );
        assert.deepEqual(composeServiceModel({ ulimits: { nproc: 65535, nofile: { soft: 20000, hard: 40000 } } }, "s").ulimits, [
            { name: "nproc", soft: 65535, hard: 65535 },
            { name: "nofile", soft: 20000, hard: 40000 },
        ]);
        assert.deepEqual(composeServiceModel({ healthcheck: { test: "curl -f http://localhost" } }, "s").healthcheckTest, [
            "CMD-SHELL",
            "curl -f http://localhost",
        ]);
        assert.deepEqual(composeServiceModel({ healthcheck: { test: ["CMD", "true"] } }, "s").healthcheckTest, ["CMD", "true"]);
        assert.deepEqual(composeServiceModel({ healthcheck: { disable: true } }, "s").healthcheckTest, ["NONE"]);
        assert.equal(composeServiceModel({ user: 1000 }, "s").user, "1000");
        const v3 = composeServiceModel({ deploy: { resources: { limits: { cpus: "1.5", memory: "1g", pids: 64 } } } }, "s");
        assert.deepEqual([v3.nanoCpus, v3.memoryBytes, v3.pidsLimit], [1.5e9, 2 ** 30, 64]);
        assert.deepEqual(
            [v3.paths.nanoCpus, v3.paths.memoryBytes, v3.paths.pidsLimit],
            ["deploy.resources.limits.cpus", "deploy.resources.limits.memory", "deploy.resources.limits.pids"],
        );
        const v2 = composeServiceModel({ cpus: 0.5, mem_limit: "64m", pids_limit: 32, cpu_shares: 512, container_name: "named" }, "s");
        assert.deepEqual(
            [v2.nanoCpus, v2.memoryBytes, v2.pidsLimit, v2.cpuShares, v2.name, v2.paths.memoryBytes],
            [5e8, 64 * 2 ** 20, 32, 512, "named", "mem_limit"],
        );
    });

    it("reports malformed values as malformed, never crashing", async () => {
        const read = readCompose([
            {
                name: "bad.yml",
                text: "services:\n  a:\n    mem_limit: lots\n    ports: {x: 1}\n    volumes: [null, 3]\n    privileged: maybe\n  b: just-a-string\n",
            },
        ]);
        assert.deepEqual(read.errors, ['bad.yml:7: service "b" is not a mapping; it is skipped']);
        const m = composeServiceModel(read.resources[0].props, "a");
        assert.ok(m.memoryBytes instanceof Invalid);
        assert.ok(m.ports instanceof Invalid);
        assert.ok(m.privileged instanceof Invalid);
        const r = await scanCompose(["-"], { controls: CONTROLS, stdin: async () => "services:\n  a:\n    mem_limit: lots\n    privileged: maybe\n" });
        const msgs = r.findings.map((f) => f.message);
        assert.ok(
            msgs.includes(
                'Compose service "a": mem_limit: is malformed: expected a byte value such as "512m" or "1g", got "lots". [CIS Docker 5.11 (legacy 5.10)]',
            ),
            msgs.join("\n"),
        );
        assert.ok(msgs.some((m) => /privileged: is malformed: expected a boolean, got a string/.test(m)));
    });

    it("interpolates ${VAR:-default} and $$, leaves the scanning machine's environment out, and makes other references unknown", async () => {
        assert.deepEqual(interpolate({ a: "${X:-nginx:1.25}", b: "${X-}", c: "$${LITERAL}", d: "${NOPE}", e: "$NOPE", f: ["x", 1, true], g: "plain" }), {
            a: "nginx:1.25",
            b: "",
            c: "${LITERAL}",
            d: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
            e: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
            f: ["x", 1, true],
            g: "plain",
        });
        process.env["SG_SCAN_TEST_MEM"] = "64m";
        const text =
            'services:\n  a:\n    image: ${IMAGE:-nginx:1.25}\n    mem_limit: ${SG_SCAN_TEST_MEM}\n    ports: ["${PORT:-8080}:80"]\n    environment: ["DB_PASSWORD=${DB_PASSWORD}"]\n';
        const r = await scanCompose(["-"], { controls: CONTROLS, stdin: async () => text });
        delete process.env["SG_SCAN_TEST_MEM"];
        const at = (id: string) => r.findings.filter((f) => f.control === id);
        assert.deepEqual(
            at("docker-container-memory-limit").map((f) => [f.level, f.message]),
            [["advisory", 'Compose service "a": mem_limit: can\'t be checked: it uses a variable without a default, so its value is not in the file.']],
        );
        assert.match(at("docker-container-published-ports")[0].message, /ports\[0\]: publishes host port 8080 on every interface/);
        assert.match(at("docker-container-env-secrets")[0].message, /environment\[0\]: environment variable "DB_PASSWORD" carries a credential/);
    });

    it("names files that are not Compose files or not YAML, and still scans the others", async () => {
        const r = await scanCompose([fixture("compose", "not-compose.yml"), fixture("compose", "hardened-v3.yml"), "-"], {
            controls: CONTROLS,
            stdin: async () => "services: [\n",
        });
        assert.equal(r.resources, 2);
        assert.equal(r.errors.length, 2);
        assert.match(r.errors[0], /not-compose\.yml:2: not a Compose file: no "services"/);
        assert.match(r.errors[1], /^\(stdin\):\d+:\d+: invalid YAML: /);
    });
});
