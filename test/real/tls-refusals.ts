/**
 * The mutual-TLS refusals every Docker TCP listener under test must show, as mocha tests: a plaintext
 * client, a client without a certificate and one with a certificate from another CA are refused; a
 * client with a certificate from the daemon's CA is served. Shared by the infrastructure's own tests
 * and the tests of the daemon.json the stacks render.
 */
import * as assert from "assert";
import type { Dockerd } from "./dockerd";
import type { Pki } from "./pki";

const VERSION = ["version", "--format", "{{.Server.Version}}"];

export function itRefusesAllButMutualTls(get: () => { daemon: Dockerd | undefined; rogue: Pki }): void {
    it("refuses a plaintext client on the TCP listener", async function () {
        const r = await get().daemon!.exec(VERSION, { tls: "none" });
        assert.notStrictEqual(r.code, 0, r.stdout);
        assert.match(r.stderr, /HTTP request to an HTTPS server|malformed HTTP response|Client sent an HTTP request/i);
    });

    it("refuses a TLS client without a certificate", async function () {
        const r = await get().daemon!.exec(VERSION, { tls: "ca-only" });
        assert.notStrictEqual(r.code, 0, r.stdout);
        assert.match(r.stderr, /bad certificate|certificate required|tls/i);
    });

    it("refuses a client certificate signed by another CA", async function () {
        const { daemon, rogue } = get();
        const r = await daemon!.exec(VERSION, { tls: "client", client: rogue.clients.intruder });
        assert.notStrictEqual(r.code, 0, r.stdout);
        assert.match(r.stderr, /bad certificate|unknown certificate authority|tls/i);
    });

    it("serves a client with a certificate signed by the CA", async function () {
        const v = await get().daemon!.docker(VERSION, { tls: "client" });
        assert.match(v.trim(), /^\d+\.\d+/);
    });
}
