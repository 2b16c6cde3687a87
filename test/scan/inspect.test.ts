import assert from "assert/strict";
import * as fs from "fs";
import { inspectContainerModel, engineContainerAdapter, ENGINE_CONTAINER } from "stride-guard/lib/adapters/docker/inspect";
import { composeServiceAdapter } from "stride-guard/lib/adapters/docker/compose";
import { Invalid } from "stride-guard/lib/core/values";
import { readInspectFiles } from "stride-guard/lib/scan/docker";
import { scanDocker } from "stride-guard/lib/scan/index";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { fixture } from "./helpers";

const real = (n: string) => JSON.parse(fs.readFileSync(fixture("inspect", `${n}.inspect.json`), "utf8"))[0];

describe("docker inspect → Docker container model", () => {
    it("reads a hardened container as docker run set it (captured from a real dockerd)", () => {
        const m = inspectContainerModel(real("hardened"), "x");
        assert.deepEqual(
            [
                m.name,
                m.memoryBytes,
                m.restartPolicy,
                m.restartMaxRetries,
                m.user,
                m.readOnlyRootFilesystem,
                m.pidsLimit,
                m.securityOpts,
                m.capabilitiesDrop,
                m.capabilitiesAdd,
                m.privileged,
            ],
            ["sg-fixture-hardened", 64 * 2 ** 20, "on-failure", 5, "1000:1000", true, 64, ["no-new-privileges"], ["ALL"], undefined, false],
        );
        assert.equal(m.paths.memoryBytes, "HostConfig.Memory");
    });

    it("reads the engine's zero values as unset, and bind mounts with their read-write state", () => {
        const m = inspectContainerModel(real("insecure"), "x");
        assert.deepEqual(
            [m.memoryBytes, m.cpuShares, m.nanoCpus, m.pidsLimit, m.user, m.restartPolicy, m.cgroupParent],
            [undefined, undefined, undefined, undefined, undefined, "no", undefined],
        );
        assert.deepEqual(m.mounts, [
            { path: 'Mounts["/host/etc"]', type: "bind", source: "/etc", target: "/host/etc", readOnly: false, propagation: "rprivate" },
        ]);
        assert.deepEqual(m.capabilitiesAdd, ["SYS_ADMIN", "NET_ADMIN"]);
        assert.equal(inspectContainerModel(real("privileged"), "x").privileged, true);
    });

    it("orders mounts by destination and names them by it, since the engine's order changes between calls", () => {
        const c = real("hardened");
        const a = { Type: "bind", Source: "/", Destination: "/host", RW: true, Propagation: "rprivate" };
        const b = { Type: "volume", Name: "v", Source: "/var/lib/docker/volumes/v/_data", Destination: "/data", RW: true, Propagation: "" };
        const odd = { Type: "bind", Source: "/srv", Destination: "/with space", RW: false, Propagation: "rslave" };
        const paths = (mounts: unknown[]) => (inspectContainerModel({ ...c, Mounts: mounts }, "x").mounts as any[]).map((m) => [m.path, m.target]);
        const want = [
            ['Mounts["/data"]', "/data"],
            ['Mounts["/host"]', "/host"],
            ["Mounts[2]", "/with space"],
        ];
        assert.deepEqual(paths([a, b, odd]), want);
        assert.deepEqual(paths([odd, b, a]), [
            ['Mounts["/data"]', "/data"],
            ['Mounts["/host"]', "/host"],
            ["Mounts[0]", "/with space"],
        ]);
    });

    it("reads port bindings, devices, tmpfs, health checks and env", () => {
        const c = real("hardened");
        c.HostConfig.PortBindings = {
            "80/tcp": [
                { HostIp: "", HostPort: "8080" },
                { HostIp: "127.0.0.1", HostPort: "" },
            ],
            "53/udp": null,
        };
        c.HostConfig.Devices = [{ PathOnHost: "/dev/fuse", PathInContainer: "/dev/fuse", CgroupPermissions: "rwm" }];
        c.HostConfig.Tmpfs = { "/run": "rw,size=64m" };
        c.Config.Healthcheck = { Test: ["CMD-SHELL", "true"] };
        c.Config.Env = ["A=1", "B"];
        const m = inspectContainerModel(c, "x");
        assert.deepEqual(
            (m.ports as any[]).map((p) => [p.path, p.hostIp, p.hostPort, p.containerPort]),
            [
                ['HostConfig.PortBindings["80/tcp"][0]', undefined, 8080, 80],
                ['HostConfig.PortBindings["80/tcp"][1]', "127.0.0.1", undefined, 80],
            ],
        );
        assert.deepEqual([m.devices, m.tmpfsTargets, m.healthcheckTest], [["/dev/fuse"], ["/run"], ["CMD-SHELL", "true"]]);
        assert.deepEqual(
            (m.env as any[]).map((e) => [e.name, e.value]),
            [
                ["A", "1"],
                ["B", undefined],
            ],
        );
    });

    it("reports malformed fields as malformed and non-containers as problems, never throwing", () => {
        const c = real("hardened");
        c.HostConfig.Memory = "lots";
        c.HostConfig.CapAdd = "ALL";
        const m = inspectContainerModel(c, "x");
        assert.ok(m.memoryBytes instanceof Invalid && m.capabilitiesAdd instanceof Invalid);
        assert.deepEqual(
            engineContainerAdapter({ type: ENGINE_CONTAINER, name: "img", urn: "u", props: { Id: "sha256:x", RepoTags: [] } })?.problems.map((p) => p.path),
            ["HostConfig"],
        );
        assert.equal(engineContainerAdapter({ type: "docker:index/container:Container", name: "c", urn: "u", props: {} }), undefined);
        assert.equal(composeServiceAdapter({ type: ENGINE_CONTAINER, name: "c", urn: "u", props: {} }), undefined);
        assert.deepEqual(
            composeServiceAdapter({ type: "compose:service", name: "s", urn: "u", props: [1] })?.problems.map((p) => p.problem),
            ["the service is not a mapping"],
        );
    });

    it("checks each container's effective log settings (the engine merges the daemon's defaults in)", async () => {
        const none = real("insecure");
        none.HostConfig.LogConfig = { Type: "none", Config: {} };
        const unrotated = real("privileged");
        unrotated.HostConfig.LogConfig = { Type: "json-file", Config: { "max-size": "10m" } };
        const dir = fs.mkdtempSync(require("path").join(require("os").tmpdir(), "sg-log-"));
        const file = `${dir}/logs.inspect.json`;
        const text = JSON.stringify([real("hardened"), none, unrotated], null, 2);
        fs.writeFileSync(file, text);
        const starts = text.split("\n").flatMap((l, i) => (l === "  {" ? [i + 1] : []));
        const r = await scanDocker({ inspectFiles: [file] }, { controls: CONTROLS });
        assert.deepEqual(
            r.findings
                .filter((f) => f.control === "docker-logging-configured")
                .map((f) => [f.resource.name, f.resource.line, f.message.replace(/ \[CIS.*$/, "")]),
            [
                [
                    "sg-fixture-insecure",
                    starts[1],
                    'Docker container "sg-fixture-insecure": HostConfig.LogConfig.Type: is "none": the container leaves no logs at all. Set a rotating or remote driver.',
                ],
                [
                    "sg-fixture-privileged",
                    starts[2],
                    'Docker container "sg-fixture-privileged": HostConfig.LogConfig.Type: is "json-file" without max-file: its log grows without bound until the disk is full and old entries are never rotated out. Set a rotating or remote driver.',
                ],
            ],
        );
    });

    it("gives the fix of container findings in docker run syntax first", async () => {
        const r = await scanDocker(
            { inspectFiles: [fixture("inspect", "insecure.inspect.json"), fixture("inspect", "privileged.inspect.json")] },
            { controls: CONTROLS },
        );
        const container = r.findings.filter((f) => f.resource.type === ENGINE_CONTAINER && f.control.startsWith("docker-container-"));
        assert.ok(container.length > 5);
        for (const f of container) assert.match(f.remediation[0], /docker run: /, f.control);
    });

    it("reads saved output: arrays, single objects, and counts images and other objects as ignored", () => {
        const img = { Id: "sha256:abc", RepoTags: ["busybox:latest"], RootFS: {} };
        const read = readInspectFiles([
            { name: "a.json", text: JSON.stringify([real("hardened"), img], null, 2) },
            { name: "b.json", text: JSON.stringify(real("insecure")) },
            { name: "c.json", text: "[]" },
            { name: "d.json", text: '[{"Name": "x", ' },
        ]);
        assert.deepEqual(
            read.resources.map((r) => [r.name, r.file, r.line]),
            [
                ["sg-fixture-hardened", "a.json", 2],
                ["sg-fixture-insecure", "b.json", 1],
            ],
        );
        assert.deepEqual(read.ignored.entries(), [["image", 1]]);
        assert.equal(read.errors[0], "c.json: holds no inspect objects");
        assert.match(read.errors[1], /^d\.json:1:\d+: invalid JSON: /);
    });
});
