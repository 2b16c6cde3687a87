// `scan docker` against engines that misbehave on purpose, on unix sockets made here: one that trickles its
// answer a byte at a time (an idle timeout never fires), one whose answers are too large one by one or
// together, one whose error text carries terminal escape sequences.
import assert from "assert/strict";
import * as http from "http";
import * as path from "path";
import { CONTROLS } from "stride-guard/lib/controls/index";
import { scanDocker } from "stride-guard/lib/scan/index";
import { connectEngine, ENGINE_LIMITS } from "stride-guard/lib/scan/engine";
import { cli, tempDir } from "./helpers";

const ids = (n: number) => Array.from({ length: n }, (_, i) => i.toString(16).padStart(64, "a"));

async function listenUnix(handler: http.RequestListener): Promise<{ socket: string; host: string; close: () => Promise<void> }> {
    const socket = path.join(tempDir("sg-limits-"), "docker.sock");
    const srv = http.createServer(handler);
    await new Promise<void>((r) => srv.listen(socket, r));
    return {
        socket,
        host: `unix://${socket}`,
        close: () =>
            new Promise((r) => {
                srv.closeAllConnections();
                srv.close(() => r());
            }),
    };
}

/** Sends the headers, then one space every `everyMs`, never ending (JSON allows leading whitespace). */
function trickle(res: http.ServerResponse, everyMs: number): void {
    res.writeHead(200, { "Content-Type": "application/json" });
    const t = setInterval(() => res.write(" "), everyMs);
    res.on("close", () => clearInterval(t));
}

const container = (id: string, pad = 0) => ({ Id: id, Name: `/c${id.slice(-4)}`, HostConfig: { Memory: 0 }, Config: { Env: [] }, Pad: "x".repeat(pad) });

describe("scan docker: deadlines and size caps on what the engine sends", function () {
    this.timeout(30_000);

    it("has defaults that bound a whole scan", () => {
        assert.deepEqual(ENGINE_LIMITS, {
            responseDeadlineMs: 30_000,
            scanDeadlineMs: 120_000,
            maxResponseBytes: 16 * 1024 * 1024,
            maxTotalBytes: 128 * 1024 * 1024,
        });
    });

    it("gives up on a response that trickles a byte at a time, naming the endpoint and the request", async () => {
        const engine = await listenUnix((_req, res) => trickle(res, 50));
        try {
            const r = await scanDocker({ host: engine.host, limits: { responseDeadlineMs: 400 } }, { controls: CONTROLS });
            assert.deepEqual(r.errors, [`the Docker engine at ${engine.host} did not answer /containers/json?all=1 within 0.4 s`]);
        } finally {
            await engine.close();
        }
    });

    it("gives up on the whole scan at its deadline, saying so once however many requests were due", async () => {
        const list = ids(20);
        const engine = await listenUnix((req, res) => {
            if (req.url === "/containers/json?all=1") return void res.end(JSON.stringify(list.map((Id) => ({ Id }))));
            trickle(res, 50);
        });
        try {
            const r = await scanDocker({ host: engine.host, limits: { scanDeadlineMs: 600, responseDeadlineMs: 20_000 } }, { controls: CONTROLS });
            assert.deepEqual(r.errors, [`the Docker engine at ${engine.host} did not finish answering within the scan's 0.6 s`]);
        } finally {
            await engine.close();
        }
    });

    it("refuses a response larger than its cap, and answers that add up past the total, naming the endpoint", async () => {
        const list = ids(16);
        const engine = await listenUnix((req, res) => {
            if (req.url === "/containers/json?all=1") return void res.end(JSON.stringify(list.map((Id) => ({ Id }))));
            const m = /^\/containers\/([0-9a-f]+)\/json$/.exec(req.url ?? "");
            if (m) return void res.end(JSON.stringify(container(m[1], m[1] === list[0] ? 200_000 : 40_000)));
            res.end(JSON.stringify({}));
        });
        try {
            const one = await scanDocker({ host: engine.host, limits: { maxResponseBytes: 128 * 1024 } }, { controls: CONTROLS });
            assert.equal(one.resources, 15);
            assert.deepEqual(one.errors, [`the Docker engine at ${engine.host} sent more than 128 KiB for /containers/${list[0]}/json`]);
            const total = await scanDocker({ host: engine.host, limits: { maxResponseBytes: 1024 * 1024, maxTotalBytes: 300 * 1024 } }, { controls: CONTROLS });
            assert.ok(total.resources < 16);
            assert.deepEqual(total.errors, [`the Docker engine at ${engine.host} sent more than 300 KiB in total`]);
        } finally {
            await engine.close();
        }
    });

    it("strips escape sequences and line breaks from the engine's error text, and exits 2 naming the endpoint", async () => {
        const list = ids(2);
        const engine = await listenUnix((req, res) => {
            if (req.url === "/containers/json?all=1") return void res.end(JSON.stringify(list.map((Id) => ({ Id }))));
            if (req.url === `/containers/${list[1]}/json`) {
                res.writeHead(500, { "Content-Type": "application/json" });
                return void res.end(JSON.stringify({ message: "\u001b[2J\u001b]0;owned\u0007disk \u202efull\r\nstack" }));
            }
            const m = /^\/containers\/([0-9a-f]+)\/json$/.exec(req.url ?? "");
            if (m) return void res.end(JSON.stringify({ ...container(m[1]), Name: "/web\u001b[31m-red" }));
            res.end(JSON.stringify({}));
        });
        try {
            const r = await cli(["scan", "docker", "--host", engine.host, "--format", "json"]);
            assert.equal(r.code, 2);
            const report = JSON.parse(r.out).reports[0];
            assert.deepEqual(report.errors, [`the Docker engine at ${engine.host} answered /containers/${list[1]}/json with 500: [2J]0;owneddisk full`]);
            // eslint-disable-next-line no-control-regex -- looking for control characters is the point
            assert.ok(!/[\u0000-\u001f\u007f\u202e]/.test(r.out.replace(/\n/g, "")), "a control character reached the output");
            assert.ok(report.findings.some((f: { resource: { name: string } }) => f.resource.name === "web[31m-red"));
        } finally {
            await engine.close();
        }
    });

    it("reads TLS files as regular files only", () => {
        assert.throws(
            () => connectEngine({ host: "tcp://127.0.0.1:2376", tls: { ca: "/dev/zero" } }),
            /cannot read the TLS CA file \/dev\/zero: not a regular file \(a character device\)/,
        );
    });
});
