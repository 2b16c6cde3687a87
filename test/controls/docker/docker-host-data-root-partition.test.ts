import assert from "node:assert/strict";
import control from "stride-guard/lib/controls/docker/docker-host-data-root-partition";
import { evaluateStack, Settings } from "stride-guard/lib/core/evaluate";
import { CommonSettings } from "stride-guard/lib/core/settings";
import { buildStackModel } from "stride-guard/lib/core/stack";
import { DockerHostModel, ObservedDockerHost } from "stride-guard/lib/model/docker-daemon";
import { hardenedHost } from "../../support/docker-platform-fixtures";
import { messages } from "../../support/run-control";

const SETTINGS = { excludeNames: [], excludeNamespaces: [], excludeLabels: {}, unknownValues: "advisory" } as Settings<CommonSettings>;

/** A machine as `scan host` models it, with the given mount of its data root. */
function scanned(mount: NonNullable<ObservedDockerHost["dataRoot"]>["mount"]): DockerHostModel {
    return {
        host: "node-1",
        hostname: undefined,
        daemon: { state: "absent" },
        anchor: { urn: "urn:host::dockerd", name: "dockerd (pid 7)" },
        files: [],
        observed: { configFile: "/etc/docker/daemon.json", unsetNote: "", auditPaths: new Map(), dataRoot: { path: "/var/lib/docker", mount } },
    };
}

const run = (hosts: DockerHostModel[], unknownValues: "advisory" | "fail" = "advisory") =>
    evaluateStack(control, { ...buildStackModel([]), dockerHosts: hosts }, { ...SETTINGS, unknownValues });

describe("docker-host-data-root-partition", () => {
    it("passes a data root that is a mount point", () => {
        assert.deepEqual(run([scanned({ state: "own", source: "/proc/7/mountinfo" })]).violations, []);
    });

    it("fails a data root on the host's filesystem, naming the mount table and the filesystem it shares", () => {
        assert.deepEqual(
            run([scanned({ state: "shared", on: "/var", source: "/proc/7/mountinfo" })]).violations.map((v) => v.message),
            [
                "Docker host node-1: data root /var/lib/docker: is not a filesystem of its own (/proc/7/mountinfo): it shares the filesystem mounted at /var, so a container that fills its layer, volumes or logs fills that filesystem too. Give it a partition of its own. [CIS Docker 1.1.1 (legacy 1.2.1)]",
            ],
        );
    });

    it("says when the mount table cannot be read, as unknown", () => {
        const h = [scanned({ state: "unknown", why: "/proc/7/mountinfo is not there" })];
        assert.deepEqual(run(h).unknownPaths, ["data root /var/lib/docker"]);
        assert.match(run(h, "fail").violations[0].message, /whether it is a filesystem of its own cannot be told: \/proc\/7\/mountinfo is not there/);
    });

    it("does not judge the hosts of a stack, whose declarations cannot show a partition", () => {
        assert.deepEqual(messages(control, hardenedHost()), []);
    });

    it("honours excludeNames", () => {
        const out = evaluateStack(
            control,
            { ...buildStackModel([]), dockerHosts: [scanned({ state: "shared", on: "/", source: "x" })] },
            { ...SETTINGS, excludeNames: ["node-*"] },
        );
        assert.deepEqual(out.violations, []);
    });
});
