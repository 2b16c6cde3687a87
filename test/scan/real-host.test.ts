// `scan host` against a real dockerd (test/real, in its own namespaces), found through the machine's real
// /proc: the command line `dockerd --config-file FILE` (the space form, which docker-bench does not follow)
// names the daemon.json to read, and each daemon setting is judged from that file. `--pid` keeps the scan to
// this daemon, whatever else runs on the machine. Under CI a missing dockerd fails; locally it skips.
import assert from "assert/strict";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { scanDocker } from "stride-guard/lib/scan/index";
import { scanHost } from "stride-guard/lib/scan/host";
import { Report } from "stride-guard/lib/check/report";
import { requireRealParts } from "../real/available";
import { Dockerd, startDockerd } from "../real/dockerd";

const messages = (r: Report, control: string) => r.findings.filter((f) => f.control === control).map((f) => f.message);

describe("scan host: a real dockerd found through its command line", function () {
    this.timeout(180_000);
    let d: Dockerd | undefined;

    before(async function () {
        requireRealParts(this, ["dockerd"]);
        // icc and userland-proxy off, no-new-privileges and live-restore on, no userns-remap: one setting fails.
        d = await startDockerd({ daemonJson: { icc: false, "userland-proxy": false, "no-new-privileges": true, "live-restore": true } });
    });

    after(async function () {
        this.timeout(60_000);
        await d?.stop();
    });

    it("reads the daemon.json its --config-file names and judges it with the daemon controls", async () => {
        const dd = d as Dockerd;
        const r = await scanHost({ root: "/", pids: [dd.pid] }, { controls: CONTROLS });
        assert.deepEqual(r.errors, []);
        assert.match(r.target, /1 Docker daemon/);
        assert.deepEqual(messages(r, "docker-daemon-icc-disabled"), []);
        const hardening = messages(r, "docker-daemon-hardening");
        assert.equal(hardening.length, 1, hardening.join("\n"));
        assert.match(
            hardening[0],
            new RegExp(`\\(dockerd pid ${dd.pid}\\): ${dd.daemonJsonPath.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} "userns-remap": is unset`),
        );
        // Audit targets are the daemon's own: its binary (from /proc/PID/exe) and its data root.
        const audit = messages(r, "docker-daemon-auditing").join("\n");
        assert.match(audit, /the Docker daemon at \/\S*\/dockerd \(1\.1\.3\)/);
        assert.ok(audit.includes(`/var/lib/docker at ${dd.daemonJson["data-root"] as string} (1.1.5)`), audit);
        assert.ok(audit.includes(`/etc/docker/daemon.json at ${dd.daemonJsonPath} (1.1.11)`), audit);
        // The engine API sees what /info shows of the same daemon: userns-remap unset as well, but not icc.
        const api = await scanDocker({ host: `unix://${dd.unixSocket}` }, { controls: CONTROLS });
        assert.deepEqual(api.errors, []);
        assert.equal(messages(api, "docker-daemon-hardening").length, 1);
        assert.deepEqual(messages(api, "docker-daemon-icc-disabled"), []);
    });
});
