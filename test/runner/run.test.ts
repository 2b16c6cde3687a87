import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Temp programs resolve @pulumi/* through a link to the repo's node_modules. */
const NODE_MODULES = path.resolve(require.resolve("@pulumi/pulumi/package.json"), "../../..");
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import { runProgram } from "stride-guard/lib/runner/run";
import { CapturedResource, SECRET_SIG, SIG_KEY, UNKNOWN, isWireSecret } from "stride-guard/lib/runner/types";

const byName = (rs: CapturedResource[], name: string): CapturedResource => {
    const r = rs.find((x) => x.name === name);
    assert.ok(r, `no resource named ${name} in ${rs.map((x) => x.name).join(", ")}`);
    return r;
};

const base = { project: "proj", stack: "dev" };

describe("runner/runProgram: capture resources as the engine sees them", () => {
    it("keeps secrets marked on the wire (config secrets, pulumi.secret, derived values)", async () => {
        const r = await runProgram(
            () => {
                const cfg = new pulumi.Config();
                const pw = cfg.requireSecret("dbPassword");
                new docker.Container("db", {
                    image: "postgres:16",
                    envs: [pulumi.interpolate`POSTGRES_PASSWORD=${pw}`, "PGDATA=/data"],
                    labels: [{ label: "token", value: pulumi.secret("abc") }],
                });
                return { pw };
            },
            { ...base, config: { "proj:dbPassword": "s3cret" }, secretConfigKeys: ["proj:dbPassword"] },
        );
        const db = byName(r.resources, "db");
        const envs = db.props.envs as unknown[];
        assert.deepStrictEqual(envs[0], { [SIG_KEY]: SECRET_SIG, value: "POSTGRES_PASSWORD=s3cret" });
        assert.strictEqual(envs[1], "PGDATA=/data");
        assert.ok(isWireSecret((db.props.labels as Array<Record<string, unknown>>)[0].value));
        assert.ok(isWireSecret(r.outputs.pw), "stack outputs keep secrets marked");
    });

    it("passes unknown outputs of other resources into dependent inputs on preview (and lets tests force unknowns)", async () => {
        const program = () => {
            const img = new docker.RemoteImage("img", { name: "nginx:1.27" });
            const net = new docker.Network("net", { name: "backend" });
            new docker.Container("web", { image: img.imageId, networksAdvanced: [{ name: net.name }], memory: 256 });
        };
        const prev = await runProgram(program, { ...base, preview: true, unknownOutputs: { net: ["name"] } });
        const web = byName(prev.resources, "web");
        assert.strictEqual(web.props.image, UNKNOWN, "imageId is computed by the provider → unknown in preview");
        assert.deepStrictEqual(web.props.networksAdvanced, [{ name: UNKNOWN }], "forced unknown flows into nested inputs");
        assert.strictEqual(web.props.memory, 256);

        const up = await runProgram(program, {
            ...base,
            preview: false,
            mocks: { newResource: (a) => ({ id: `${a.name}-id`, state: { ...a.inputs, imageId: "sha256:abc" } }) },
        });
        const web2 = byName(up.resources, "web");
        assert.strictEqual(web2.props.image, "sha256:abc");
        assert.deepStrictEqual(web2.props.networksAdvanced, [{ name: "backend" }]);
    });

    it("captures explicit and default providers (from stack config) and links them", async () => {
        const r = await runProgram(
            () => {
                const remote = new docker.Provider("remote", { host: "ssh://ops@build-host" });
                new docker.RemoteImage("pinned", { name: "redis:7" }, { provider: remote });
                new docker.RemoteImage("defaulted", { name: "redis:7" });
                new k8s.core.v1.Namespace("ns", { metadata: { name: "apps" } });
            },
            {
                ...base,
                config: {
                    "docker:host": "tcp://127.0.0.1:2376",
                    "docker:caMaterial": "-----BEGIN CERTIFICATE-----",
                    "docker:sshOpts": '["-o","StrictHostKeyChecking=yes"]',
                    "kubernetes:context": "kind",
                },
                secretConfigKeys: ["docker:caMaterial"],
            },
        );
        const explicit = byName(r.resources, "remote");
        assert.strictEqual(explicit.type, "pulumi:providers:docker");
        assert.strictEqual(explicit.urn, "urn:pulumi:dev::proj::pulumi:providers:docker::remote");
        assert.strictEqual(explicit.props.host, "ssh://ops@build-host");
        assert.strictEqual(explicit.props.version, "5.2.0");
        assert.deepStrictEqual(byName(r.resources, "pinned").provider, { type: explicit.type, name: "remote", urn: explicit.urn, props: explicit.props });

        const dflt = r.resources.find((x) => x.type === "pulumi:providers:docker" && x.kind === "default-provider");
        assert.ok(dflt);
        assert.strictEqual(dflt.name, "default_5_2_0");
        assert.deepStrictEqual(dflt.props, {
            host: "tcp://127.0.0.1:2376",
            caMaterial: { [SIG_KEY]: SECRET_SIG, value: "-----BEGIN CERTIFICATE-----" },
            sshOpts: ["-o", "StrictHostKeyChecking=yes"],
            version: "5.2.0",
        });
        assert.strictEqual(byName(r.resources, "defaulted").provider?.urn, dflt.urn);
        assert.ok(r.resources.indexOf(dflt) < r.resources.indexOf(byName(r.resources, "defaulted")), "default provider precedes its first user");

        const k = byName(r.resources, "ns").provider;
        assert.ok(k && k.type === "pulumi:providers:kubernetes" && k.name.startsWith("default_4_"));
        assert.strictEqual(k.props.context, "kind");
        assert.strictEqual(r.resources.filter((x) => x.kind === "default-provider").length, 2, "one default provider per package");
        assert.strictEqual(explicit.provider, undefined, "providers have no provider");
    });

    it("records parent, dependencies, property dependencies, options and engine-style URNs", async () => {
        class App extends pulumi.ComponentResource {
            constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
                super("stride:test:App", name, {}, opts);
                const net = new docker.Network(`${name}-net`, {}, { parent: this });
                new docker.Container(
                    `${name}-c`,
                    { image: "busybox", networksAdvanced: [{ name: net.name }] },
                    {
                        parent: this,
                        protect: true,
                        ignoreChanges: ["image"],
                        deleteBeforeReplace: true,
                        aliases: [{ name: "old-c" }],
                        additionalSecretOutputs: ["envs"],
                        customTimeouts: { create: "2m" },
                    },
                );
                this.registerOutputs({ ok: true });
            }
        }
        const r = await runProgram(() => {
            const vol = new docker.Volume("vol", {});
            new App("app", { dependsOn: [vol] });
        }, base);
        const stack = r.resources.find((x) => x.type === "pulumi:pulumi:Stack");
        assert.ok(stack && stack.parent === undefined && stack.urn === "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev");
        const app = byName(r.resources, "app");
        assert.strictEqual(app.custom, false);
        assert.strictEqual(app.parent, stack.urn);
        assert.strictEqual(app.urn, "urn:pulumi:dev::proj::stride:test:App::app");
        assert.deepStrictEqual(app.dependencies, ["urn:pulumi:dev::proj::docker:index/volume:Volume::vol"]);
        assert.deepStrictEqual(app.outputs, { ok: true });
        const c = byName(r.resources, "app-c");
        assert.strictEqual(c.urn, "urn:pulumi:dev::proj::stride:test:App$docker:index/container:Container::app-c");
        assert.strictEqual(c.parent, app.urn);
        const netUrn = "urn:pulumi:dev::proj::stride:test:App$docker:index/network:Network::app-net";
        assert.ok(c.dependencies.includes(netUrn));
        assert.deepStrictEqual(c.propertyDependencies.networksAdvanced, [netUrn]);
        assert.strictEqual(c.options.protect, true);
        assert.deepStrictEqual(c.options.ignoreChanges, ["image"]);
        assert.strictEqual(c.options.deleteBeforeReplace, true);
        assert.deepStrictEqual(c.options.additionalSecretOutputs, ["envs"]);
        assert.deepStrictEqual(c.options.aliases, ["urn:pulumi:dev::proj::stride:test:App$docker:index/container:Container::old-c"]);
        assert.deepStrictEqual(c.options.customTimeouts, { create: "2m" });
        assert.strictEqual(byName(r.resources, "vol").options.deleteBeforeReplace, undefined);
    });

    it("captures reads (.get) with their ID", async () => {
        const r = await runProgram(() => {
            docker.Network.get("existing", "net-123");
        }, base);
        const n = byName(r.resources, "existing");
        assert.strictEqual(n.kind, "read");
        assert.strictEqual(n.id, "net-123");
    });

    it("makes stack config visible to new pulumi.Config() (project and provider namespaces)", async () => {
        let seen: unknown;
        await runProgram(
            () => {
                const c = new pulumi.Config();
                seen = {
                    name: c.require("name"),
                    n: c.requireNumber("replicas"),
                    obj: c.requireObject("limits"),
                    docker: new pulumi.Config("docker").get("host"),
                    project: pulumi.getProject(),
                    stack: pulumi.getStack(),
                };
            },
            { project: "web", stack: "prod", config: { "web:name": "shop", "web:replicas": "3", "web:limits": '{"cpu":1}', "docker:host": "unix:///x" } },
        );
        assert.deepStrictEqual(seen, { name: "shop", n: 3, obj: { cpu: 1 }, docker: "unix:///x", project: "web", stack: "prod" });
    });

    it("isolates runs: a module program runs again with fresh config and state", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sg-runner-"));
        fs.symlinkSync(NODE_MODULES, path.join(dir, "node_modules"), "dir");
        try {
            fs.writeFileSync(
                path.join(dir, "index.js"),
                `const pulumi = require("@pulumi/pulumi");
                 const docker = require("@pulumi/docker");
                 globalThis.__sgLoads = (globalThis.__sgLoads || 0) + 1;
                 const c = new pulumi.Config();
                 new docker.Container(c.require("name"), { image: "busybox" });
                 exports.loads = globalThis.__sgLoads;`,
            );
            fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "p", main: "index.js" }));
            const a = await runProgram(dir, { project: "p", stack: "a", config: { "p:name": "first" } });
            const b = await runProgram(dir, { project: "p", stack: "b", config: { "p:name": "second" }, preview: false });
            assert.deepStrictEqual(
                a.resources.map((x) => x.name).filter((n) => !n.startsWith("default")),
                ["p-a", "first"],
            );
            assert.deepStrictEqual(
                b.resources.map((x) => x.name).filter((n) => !n.startsWith("default")),
                ["p-b", "second"],
            );
            assert.ok(b.resources.every((x) => !x.urn.includes("first") && x.urn.includes("::p::")));
            assert.strictEqual(a.outputs.loads, 1);
            assert.strictEqual(b.outputs.loads, 2, "module re-executed on the second run");
            // concurrent calls are serialized and still independent
            const [c1, c2] = await Promise.all([runProgram(() => new docker.Volume("v1", {}), base), runProgram(() => new docker.Volume("v2", {}), base)]);
            assert.deepStrictEqual(
                c1.resources.filter((x) => x.custom && x.kind === "register").map((x) => x.name),
                ["v1"],
            );
            assert.deepStrictEqual(
                c2.resources.filter((x) => x.custom && x.kind === "register").map((x) => x.name),
                ["v2"],
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
            delete (globalThis as Record<string, unknown>).__sgLoads;
        }
    });

    it("runs a TypeScript program folder (index.ts) like the Node.js host with typescript: true", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sg-runner-ts-"));
        fs.symlinkSync(NODE_MODULES, path.join(dir, "node_modules"), "dir");
        try {
            fs.writeFileSync(
                path.join(dir, "index.ts"),
                `import * as pulumi from "@pulumi/pulumi";
                 import * as docker from "@pulumi/docker";
                 const name: string = new pulumi.Config().get("name") ?? "web";
                 export const image = new docker.Container(name, { image: "busybox" as string }).image;`,
            );
            const r = await runProgram(dir, { project: "ts", stack: "dev", config: { "ts:name": "api" }, preview: false });
            assert.ok(r.resources.some((x) => x.urn === "urn:pulumi:dev::ts::docker:index/container:Container::api"));
            assert.strictEqual(r.outputs.image, "busybox");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("propagates program errors", async () => {
        await assert.rejects(
            runProgram(() => new pulumi.Config().require("missing"), base),
            /Missing required configuration variable 'proj:missing'/,
        );
        // and the next run is unaffected
        const r = await runProgram(() => new docker.Volume("after", {}), base);
        assert.ok(r.resources.some((x) => x.name === "after"));
    });
});
