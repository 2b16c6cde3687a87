// `scan docker` against a real dockerd (test/real): containers started the hardened way and the insecure
// ways with `docker run` / `docker create`, scanned over the unix socket and over TCP with mutual TLS. Every
// finding must match how its container was started; the hardened one must pass every container control
// that `docker run` can satisfy. Under CI a missing dockerd fails; locally it skips.
import assert from "assert/strict";
import * as path from "path";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { DOCKER_CONTAINER_CONTROLS } from "stride-guard/lib/controls/docker/containers";
import { scanDocker } from "stride-guard/lib/scan/index";
import { Report } from "stride-guard/lib/check/report";
import { requireRealParts } from "../real/available";
import { makeTempDir, removeDirSync } from "../real/cleanup";
import { Dockerd, importBusyboxImage, startDockerd } from "../real/dockerd";
import { BUSYBOX_TAG, hardenedDaemonJson, HARDENED_RUN_FLAGS } from "../real/fixtures";
import { makePki, Pki } from "../real/pki";
import { run } from "../real/proc";

const ALL = DOCKER_CONTAINER_CONTROLS.map((c) => c.id).sort();
const SECRET = "planted-real-engine-secret-Vx93";

/** Every container control can be satisfied with `docker run` flags: the hardened container passes them all. */
const HARDENED_PASSES = ALL;
const HARDENED_EXTRA = ["--cpus", "0.5", "--health-cmd", "true", "--health-interval", "30s", "--network", "sg-scan-net"];

interface Case {
    readonly name: string;
    readonly how: "run" | "create";
    readonly flags: readonly string[];
    /** The container controls that must report, and no others. */
    readonly fails: readonly string[];
}

// With userns-remap (the hardened daemon), host namespaces and privileged need --userns host.
const CASES: readonly Case[] = [
    { name: "hardened", how: "run", flags: [...HARDENED_RUN_FLAGS, ...HARDENED_EXTRA], fails: [] },
    {
        name: "defaults",
        how: "run",
        flags: [],
        fails: [
            "docker-container-capabilities",
            "docker-container-cpu-limit",
            "docker-container-default-bridge",
            "docker-container-healthcheck",
            "docker-container-memory-limit",
            "docker-container-no-new-privileges",
            "docker-container-non-root-user",
            "docker-container-pids-limit",
            "docker-container-read-only-rootfs",
            "docker-container-restart-on-failure",
        ],
    },
    {
        // hardened except: no --memory, --cap-add, -v /etc, --restart always, --userns host, a password in env
        name: "insecure",
        how: "run",
        flags: [
            "--restart",
            "always",
            "--user",
            "1000:1000",
            "--read-only",
            "--pids-limit",
            "64",
            "--security-opt",
            "no-new-privileges",
            "--cap-drop",
            "ALL",
            "--cap-add",
            "SYS_ADMIN",
            "-v",
            "/etc:/host/etc",
            "--userns",
            "host",
            "--cpus",
            "0.5",
            "--health-cmd",
            "true",
            "-e",
            `DB_PASSWORD=${SECRET}`,
        ],
        fails: [
            "docker-container-capabilities",
            "docker-container-default-bridge",
            "docker-container-env-secrets",
            "docker-container-host-namespaces",
            "docker-container-memory-limit",
            "docker-container-restart-on-failure",
            "docker-container-sensitive-host-paths",
        ],
    },
    {
        // hardened except: root user and too many retries
        name: "root-retries",
        how: "run",
        flags: [
            "--memory",
            "64m",
            "--restart",
            "on-failure:10",
            "--user",
            "0:0",
            "--read-only",
            "--pids-limit",
            "64",
            "--security-opt",
            "no-new-privileges",
            "--cap-drop",
            "ALL",
            ...HARDENED_EXTRA,
        ],
        fails: ["docker-container-non-root-user", "docker-container-restart-on-failure"],
    },
    {
        // created only: runc cannot start a privileged container in this sandbox
        name: "privileged",
        how: "create",
        flags: [
            "--privileged",
            "--userns",
            "host",
            "--pid",
            "host",
            "--security-opt",
            "seccomp=unconfined",
            "-v",
            "/:/host",
            "-v",
            "/var/run/docker.sock:/var/run/docker.sock:ro",
            ...HARDENED_RUN_FLAGS.filter((f) => f !== "--read-only"),
            ...HARDENED_EXTRA,
        ],
        fails: [
            "docker-container-docker-socket",
            "docker-container-host-namespaces",
            "docker-container-not-privileged",
            "docker-container-read-only-rootfs",
            "docker-container-security-profiles",
            "docker-container-sensitive-host-paths",
        ],
    },
];

/** The container controls that reported on a container (image and logging controls are checked on their own). */
function containerControls(r: Report, name: string): string[] {
    return [...new Set(r.findings.filter((f) => f.resource.name === `sg-scan-${name}` && ALL.includes(f.control)).map((f) => f.control))].sort();
}

describe("scan docker: a real dockerd", function () {
    this.timeout(180_000);
    let d: Dockerd | undefined;
    let pki: Pki;
    let tmp: string;
    let report: Report;

    before(async function () {
        requireRealParts(this, ["dockerd"]);
        tmp = makeTempDir("scan-pki");
        pki = makePki(path.join(tmp, "pki"), { serverNames: ["localhost"], serverIps: ["127.0.0.1"], clients: ["scanner"] });
        const tls = { ca: pki.ca.cert, cert: pki.server.cert, key: pki.server.key };
        d = await startDockerd({ daemonJson: hardenedDaemonJson(tls), tls, clientCert: pki.clients.scanner });
        await importBusyboxImage(d, BUSYBOX_TAG);
        // A user-defined network: containers on it are not on the default bridge (CIS 5.30).
        await d.docker(["network", "create", "sg-scan-net"]);
        for (const c of CASES) {
            const args = c.how === "run" ? ["run", "-d"] : ["create"];
            await d.docker([...args, "--name", `sg-scan-${c.name}`, ...c.flags, BUSYBOX_TAG, "sleep", "3600"]);
        }
        report = await scanDocker({ host: `unix://${d.unixSocket}` }, { controls: CONTROLS });
    });

    after(async function () {
        this.timeout(60_000);
        await d?.stop();
        if (tmp) removeDirSync(tmp);
    });

    it("scans every container, running or only created", async () => {
        assert.deepEqual(report.errors, []);
        assert.equal(report.resources, CASES.length);
        const states = await d!.inspect(`sg-scan-privileged`, `sg-scan-hardened`);
        assert.deepEqual(
            states.map((s) => s.State.Status),
            ["created", "running"],
        );
    });

    it(`the hardened container passes every container control: ${HARDENED_PASSES.join(", ")}`, () => {
        assert.deepEqual(
            report.findings.filter((f) => f.resource.name === "sg-scan-hardened" && ALL.includes(f.control)).map((f) => `${f.control}: ${f.message}`),
            [],
        );
    });

    for (const c of CASES.filter((x) => x.name !== "hardened")) {
        it(`${c.how} ${c.flags.join(" ") || "(no flags)"} → ${c.fails.join(", ")}`, () => {
            assert.deepEqual(containerControls(report, c.name), [...c.fails].sort());
        });
    }

    it("names the inspect field of each finding", () => {
        const msg = (name: string, control: string) =>
            report.findings.filter((f) => f.resource.name === `sg-scan-${name}` && f.control === control).map((f) => f.message);
        assert.match(msg("defaults", "docker-container-memory-limit")[0], /^Docker container "sg-scan-defaults": HostConfig\.Memory: no memory limit is set/);
        assert.match(msg("insecure", "docker-container-sensitive-host-paths")[0], /Mounts\["\/host\/etc"\]: binds the sensitive host path "\/etc"/);
        assert.match(msg("insecure", "docker-container-host-namespaces")[0], /HostConfig\.UsernsMode: shares the host's user namespace/);
        assert.match(msg("insecure", "docker-container-restart-on-failure")[0], /HostConfig\.RestartPolicy\.Name: the restart policy is "always"/);
        assert.match(msg("root-retries", "docker-container-restart-on-failure")[0], /10 retries exceed the maximum of 5/);
        assert.match(msg("root-retries", "docker-container-non-root-user")[0], /Config\.User: is "0:0"/);
        assert.match(msg("privileged", "docker-container-not-privileged")[0], /HostConfig\.Privileged: is true/);
        assert.ok(msg("insecure", "docker-container-env-secrets").every((m) => /"DB_PASSWORD"/.test(m) && !m.includes(SECRET)));
    });

    it("checks images and logging too: a local tag is not pinned; the daemon's rotating json-file default reaches every container", () => {
        const at = (control: string) =>
            report.findings
                .filter((f) => f.control === control)
                .map((f) => f.resource.name)
                .sort();
        assert.deepEqual(at("docker-image-pinned"), CASES.map((c) => `sg-scan-${c.name}`).sort());
        assert.deepEqual(at("docker-logging-configured"), []);
    });

    it("checks the daemon's /info: the hardened daemon (userns-remap, live-restore, no insecure registries) passes", () => {
        assert.deepEqual(
            report.findings.filter((f) => f.resource.type === "docker:engine/daemon"),
            [],
        );
    });

    it("over TCP with mutual TLS (from inside the daemon's network namespace) finds the same; refused without a client certificate", async () => {
        const main = path.resolve(__dirname, "../../../policypack/bin/lib/cli/main.js");
        const scan = (tls: string[]) =>
            run(
                [
                    "nsenter",
                    `--net=/proc/${d!.initPid}/ns/net`,
                    "--",
                    process.execPath,
                    main,
                    "scan",
                    "docker",
                    "--host",
                    d!.tcpUrl!,
                    ...tls,
                    "--format",
                    "json",
                ],
                { timeoutMs: 60_000 },
            );
        const ok = await scan(["--tls-ca", pki.ca.cert, "--tls-cert", pki.clients.scanner.cert, "--tls-key", pki.clients.scanner.key]);
        assert.equal(ok.code, 1, ok.stderr);
        const tcp: Report = JSON.parse(ok.stdout).reports[0];
        assert.deepEqual(tcp.errors, []);
        const key = (r: Report) => r.findings.map((f) => `${f.resource.name} ${f.control} ${f.message}`).sort();
        assert.deepEqual(key(tcp), key(report));
        assert.ok(!ok.stdout.includes(SECRET) && !ok.stderr.includes(SECRET));
        const refused = await scan(["--tls-ca", pki.ca.cert]);
        assert.equal(refused.code, 2);
        assert.match(refused.stderr, /nothing could be read:\n {2}cannot reach the Docker engine at tcp:\/\/127\.0\.0\.1:\d+: /);
        const plain = await scan([]);
        assert.equal(plain.code, 2);
        assert.match(plain.stderr, /cannot reach the Docker engine at tcp:\/\/127\.0\.0\.1:\d+: |answered .* (400|with)/);
    });
});
