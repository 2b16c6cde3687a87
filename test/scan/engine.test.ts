// `scan docker` against Docker Engine API servers made here: a unix-socket engine serving the `docker
// inspect` and `docker info` output captured from a real dockerd (test/fixtures/scan/inspect), a TLS
// engine that demands a client certificate (real certificates from test/real/pki), and broken engines.
import assert from "assert/strict";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as path from "path";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { scanDocker } from "stride-guard/lib/scan/index";
import { connectEngine, EngineError } from "stride-guard/lib/scan/engine";
import { daemonSettingsOfInfo } from "stride-guard/lib/scan/daemon";
import { UNKNOWN } from "stride-guard/lib/core/values";
import { Report } from "stride-guard/lib/check/report";
import { makePki, Pki } from "../real/pki";
import { freePort } from "../real/proc";
import { cli, controlsOn, fixture, tempDir } from "./helpers";

const load = (f: string) => JSON.parse(fs.readFileSync(fixture("inspect", f), "utf8"));
const CONTAINERS: Record<string, unknown>[] = ["hardened", "insecure", "privileged"].map((n) => load(`${n}.inspect.json`)[0]);
const INFO: Record<string, unknown> = load("info.json");

type Handler = (path: string) => { status: number; body: unknown } | undefined;

/** An engine API: /containers/json?all=1, /containers/{id}/json, /info. */
function engineHandler(containers: Record<string, unknown>[], info: Record<string, unknown>, override: Handler = () => undefined): http.RequestListener {
    return (req, res) => {
        const url = req.url ?? "";
        const o = override(url);
        const send = (status: number, body: unknown) => {
            res.writeHead(status, { "Content-Type": "application/json" });
            res.end(typeof body === "string" ? body : JSON.stringify(body));
        };
        if (o) return send(o.status, o.body);
        if (url === "/containers/json?all=1")
            return send(
                200,
                containers.map((c) => ({ Id: c["Id"], Names: [c["Name"]] })),
            );
        const m = /^\/containers\/([0-9a-f]+)\/json$/.exec(url);
        if (m) {
            const c = containers.find((x) => x["Id"] === m[1]);
            return c ? send(200, c) : send(404, { message: `No such container: ${m[1]}` });
        }
        if (url === "/info") return send(200, info);
        send(404, { message: "page not found" });
    };
}

async function listenUnix(handler: http.RequestListener): Promise<{ socket: string; close: () => Promise<void> }> {
    const socket = path.join(tempDir("sg-engine-"), "docker.sock");
    const srv = http.createServer(handler);
    await new Promise<void>((r) => srv.listen(socket, r));
    return { socket, close: () => new Promise((r) => srv.close(() => r())) };
}

describe("scan docker: Engine API client", function () {
    this.timeout(60_000);

    describe("over a unix socket", () => {
        let engine: { socket: string; close: () => Promise<void> };
        let report: Report;
        before(async () => {
            engine = await listenUnix(engineHandler(CONTAINERS, INFO));
            report = await scanDocker({ host: `unix://${engine.socket}` }, { controls: CONTROLS });
        });
        after(() => engine.close());

        it("inspects every listed container and names them as the engine does", () => {
            assert.deepEqual(report.errors, []);
            assert.equal(report.resources, 3);
            assert.equal(report.target, `docker engine unix://${engine.socket} (3 containers)`);
            const f = report.findings.find((x) => x.resource.name === "sg-fixture-privileged" && x.control === "docker-container-not-privileged");
            assert.ok(f);
            assert.equal(f.resource.type, "docker:engine/container");
            assert.equal(f.resource.file, undefined);
            assert.equal(
                f.message,
                'Docker container "sg-fixture-privileged": HostConfig.Privileged: is true: the container has every capability and host device. Set it to false and grant only the capabilities it needs. [CIS Docker 5.5 (legacy 5.4)]',
            );
        });

        it("finds the same as a scan of the saved `docker inspect` output", async () => {
            const files = await scanDocker(
                { inspectFiles: ["hardened", "insecure", "privileged"].map((n) => fixture("inspect", `${n}.inspect.json`)) },
                { controls: CONTROLS },
            );
            const key = (r: Report) =>
                r.findings
                    .filter((f) => f.resource.type === "docker:engine/container")
                    .map((f) => `${f.resource.name} ${f.message}`)
                    .sort();
            assert.deepEqual(key(report), key(files));
            assert.ok(files.findings.every((f) => f.resource.line === 2 && f.resource.file?.endsWith(".inspect.json")));
        });

        it("reads the daemon's settings from /info: the hardened daemon (userns-remap, live-restore) passes", () => {
            assert.deepEqual(
                report.findings.filter((f) => f.resource.type === "docker:engine/daemon"),
                [],
            );
            const s = daemonSettingsOfInfo(INFO);
            assert.deepEqual([s.usernsRemap, s.liveRestore, s.insecureRegistries, s.logDriver], ["(remapped)", true, [], "json-file"]);
        });
    });

    it("reads aufs, an unconfined seccomp default, experimental and authorization plugins from /info (2.6, 2.17, 2.18, 2.12)", () => {
        const s = daemonSettingsOfInfo({
            ...INFO,
            Driver: "aufs",
            SecurityOptions: ["name=seccomp,profile=unconfined"],
            ExperimentalBuild: true,
            Plugins: { Authorization: ["opa-docker-authz"] },
            Debug: true,
        });
        assert.deepEqual(
            [s.storageDriver, s.seccompProfile, s.experimental, s.authorizationPlugins, s.logLevel, s.iptables],
            ["aufs", "unconfined", true, ["opa-docker-authz"], "debug", UNKNOWN],
        );
        const plain = daemonSettingsOfInfo({ ...INFO, SecurityOptions: ["name=seccomp,profile=builtin"], Plugins: { Authorization: null }, Debug: false });
        assert.deepEqual([plain.seccompProfile, plain.authorizationPlugins, plain.logLevel], [undefined, [], UNKNOWN]);
    });

    it("reports a daemon without userns-remap or live-restore and with insecure registries, and nothing /info cannot tell", async () => {
        const weak = {
            ...INFO,
            SecurityOptions: ["name=seccomp,profile=builtin"],
            LiveRestoreEnabled: false,
            RegistryConfig: {
                InsecureRegistryCIDRs: ["127.0.0.0/8", "10.0.0.0/8"],
                IndexConfigs: { "docker.io": { Name: "docker.io", Secure: true }, "registry.local:5000": { Name: "registry.local:5000", Secure: false } },
            },
        };
        const engine = await listenUnix(engineHandler([], weak));
        try {
            const r = await scanDocker({ host: `unix://${engine.socket}` }, { controls: CONTROLS });
            assert.deepEqual(r.errors, []);
            const daemon = r.findings.filter((f) => f.resource.type === "docker:engine/daemon");
            assert.deepEqual(
                controlsOn(r, () => true),
                ["docker-daemon-hardening"],
            );
            assert.deepEqual(
                daemon.map((f) => /: (\/info \w+) \(([\w-]+)\): /.exec(f.message)?.slice(1).join(" ")),
                ["/info SecurityOptions userns-remap", "/info LiveRestoreEnabled live-restore", "/info RegistryConfig insecure-registries"],
            );
            // The values came from /info: no daemon.json was read, so none is named.
            assert.ok(daemon.every((f) => !f.message.includes("daemon.json")));
            assert.match(daemon[2].message, /\(insecure-registries\): lists (2 registries|"10\.0\.0\.0\/8", "registry\.local:5000")/);
            assert.ok(daemon.every((f) => f.resource.name === `unix://${engine.socket}` && f.level === "mandatory"));
            // a config that skips 2.15 and allows the registries leaves only userns-remap
            const cfg = {
                "docker-daemon-hardening": {
                    enforcementLevel: "advisory" as const,
                    properties: { skip: ["2.15"], allowedInsecureRegistries: ["10.*", "registry.local:*"] },
                },
            };
            const r2 = await scanDocker({ host: `unix://${engine.socket}` }, { controls: CONTROLS, config: cfg });
            assert.deepEqual(
                r2.findings.map((f) => [f.level, /\(([\w-]+)\): /.exec(f.message)?.[1]]),
                [["advisory", "userns-remap"]],
            );
        } finally {
            await engine.close();
        }
    });

    it("skips a container removed between the list and its inspect, and names other failures while scanning the rest", async () => {
        const gone = "0".repeat(64);
        const broken = "f".repeat(64);
        const listed = [...CONTAINERS, { Id: gone, Name: "/gone" }, { Id: broken, Name: "/broken" }];
        const engine = await listenUnix(
            engineHandler(listed, INFO, (url) =>
                url === `/containers/${gone}/json`
                    ? { status: 404, body: { message: "No such container" } }
                    : url === `/containers/${broken}/json`
                      ? { status: 500, body: { message: "driver failed\nstack" } }
                      : undefined,
            ),
        );
        try {
            const r = await scanDocker({ host: `unix://${engine.socket}` }, { controls: CONTROLS });
            assert.equal(r.resources, 3);
            assert.deepEqual(r.errors, [`the Docker engine at unix://${engine.socket} answered /containers/${broken}/json with 500: driver failed`]);
        } finally {
            await engine.close();
        }
    });

    it("names a missing socket, a refused port, a non-engine and a malformed address; the CLI exits 2 when nothing was read", async () => {
        const dir = tempDir();
        const missing = await scanDocker({ host: `unix://${dir}/docker.sock` }, { controls: CONTROLS });
        assert.deepEqual(missing.errors, [`cannot reach the Docker engine at unix://${dir}/docker.sock: no socket at that path (is dockerd running?)`]);
        const port = await freePort();
        const refused = await scanDocker({ host: `tcp://127.0.0.1:${port}` }, { controls: CONTROLS });
        assert.deepEqual(refused.errors, [
            `cannot reach the Docker engine at tcp://127.0.0.1:${port}: connection refused (is dockerd running and listening there?)`,
        ]);
        const html = await listenUnix((_req, res) => {
            res.writeHead(200, { "Content-Type": "text/html" });
            res.end("<html>hello</html>");
        });
        try {
            const notEngine = await scanDocker({ host: `unix://${html.socket}` }, { controls: CONTROLS });
            assert.deepEqual(notEngine.errors, [
                `the Docker engine at unix://${html.socket} answered /containers/json?all=1 with 200 and a body that is not JSON (is this a Docker engine?)`,
            ]);
        } finally {
            await html.close();
        }
        assert.throws(
            () => connectEngine({ host: "docker.sock" }),
            (e: Error) => e instanceof EngineError && /is not an engine address: use unix:\/\/\/path\/to\/docker\.sock or tcp:\/\/HOST:PORT/.test(e.message),
        );
        assert.throws(() => connectEngine({ host: "ssh://me@host" }), /ssh:\/\/ endpoints are not supported/);
        assert.throws(() => connectEngine({ host: "unix://relative.sock" }), /needs an absolute path/);
        assert.throws(() => connectEngine({ host: "tcp://h:2376", tls: { cert: "/c.pem" } }), /needs both --tls-cert and --tls-key/);
        assert.throws(
            () => connectEngine({ host: "tcp://h:2376", tls: { ca: "/nonexistent/ca.pem" } }),
            /cannot read the TLS CA file \/nonexistent\/ca\.pem: ENOENT/,
        );
        const r = await cli(["scan", "docker", "--host", `unix://${dir}/docker.sock`]);
        assert.equal(r.code, 2);
        assert.match(r.err, /nothing could be read:\n {2}cannot reach the Docker engine at unix:\/\/.*docker\.sock: no socket/);
        const bad = await cli(["scan", "docker", "--host", "docker.sock", "--format", "json"]);
        assert.equal(bad.code, 2);
        assert.match(JSON.parse(bad.out).reports[0].errors[0], /is not an engine address/);
    });

    it("uses DOCKER_HOST when no --host is given", async () => {
        const engine = await listenUnix(engineHandler(CONTAINERS.slice(0, 1), INFO));
        try {
            const r = await scanDocker({ env: { DOCKER_HOST: `unix://${engine.socket}` } }, { controls: CONTROLS });
            assert.equal(r.resources, 1);
            assert.equal(r.target, `docker engine unix://${engine.socket} (1 container)`);
        } finally {
            await engine.close();
        }
    });

    describe("over TCP with TLS and a client certificate", () => {
        let pki: Pki;
        let rogue: Pki;
        let srv: https.Server;
        let url: string;
        before(async function () {
            this.timeout(60_000);
            const dir = tempDir("sg-engine-pki-");
            pki = makePki(path.join(dir, "pki"), { serverNames: ["localhost"], serverIps: ["127.0.0.1"], clients: ["scanner"] });
            rogue = makePki(path.join(dir, "rogue"), { serverNames: ["localhost"], serverIps: ["127.0.0.1"], clients: ["intruder"], caName: "rogue CA" });
            srv = https.createServer(
                {
                    ca: fs.readFileSync(pki.ca.cert),
                    cert: fs.readFileSync(pki.server.cert),
                    key: fs.readFileSync(pki.server.key),
                    requestCert: true,
                    rejectUnauthorized: true,
                },
                engineHandler(CONTAINERS, INFO),
            );
            await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
            url = `tcp://127.0.0.1:${(srv.address() as { port: number }).port}`;
        });
        after(() => new Promise<void>((r) => srv.close(() => r())));

        it("scans with the CA and a client certificate signed by it", async () => {
            const r = await cli([
                "scan",
                "docker",
                "--host",
                url,
                "--tls-ca",
                pki.ca.cert,
                "--tls-cert",
                pki.clients.scanner.cert,
                "--tls-key",
                pki.clients.scanner.key,
                "--format",
                "json",
            ]);
            const rep = JSON.parse(r.out).reports[0];
            assert.deepEqual(rep.errors, []);
            assert.equal(rep.resources, 3);
            assert.equal(r.code, 1);
        });

        it("is refused without a client certificate, or with one of another CA; names the endpoint", async () => {
            for (const tls of [{ ca: pki.ca.cert }, { ca: pki.ca.cert, cert: rogue.clients.intruder.cert, key: rogue.clients.intruder.key }]) {
                const r = await scanDocker({ host: url, tls }, { controls: CONTROLS });
                assert.equal(r.resources, 0);
                assert.equal(r.errors.length, 1);
                assert.ok(r.errors[0].startsWith(`cannot reach the Docker engine at ${url}: `), r.errors[0]);
            }
        });

        it("does not trust a server whose CA was not given", async () => {
            const r = await scanDocker(
                { host: url, tls: { ca: rogue.ca.cert, cert: pki.clients.scanner.cert, key: pki.clients.scanner.key } },
                { controls: CONTROLS },
            );
            assert.equal(r.resources, 0);
            assert.match(r.errors[0], /^cannot reach the Docker engine at tcp:\/\/127\.0\.0\.1:\d+: the server's certificate/);
        });

        it("takes the certificates from DOCKER_CERT_PATH when DOCKER_TLS_VERIFY is set", async () => {
            const dir = tempDir("sg-certpath-");
            fs.copyFileSync(pki.ca.cert, path.join(dir, "ca.pem"));
            fs.copyFileSync(pki.clients.scanner.cert, path.join(dir, "cert.pem"));
            fs.copyFileSync(pki.clients.scanner.key, path.join(dir, "key.pem"));
            const r = await scanDocker({ env: { DOCKER_HOST: url, DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: dir } }, { controls: CONTROLS });
            assert.deepEqual(r.errors, []);
            assert.equal(r.resources, 3);
        });
    });
});
