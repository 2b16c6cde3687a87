import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Temp programs resolve @pulumi/* through a link to the repo's node_modules. */
const NODE_MODULES = path.resolve(require.resolve("@pulumi/pulumi/package.json"), "../../..");
import { loadProject, SECRET_PLACEHOLDER } from "stride-guard/lib/runner/project";
import { runProgram } from "stride-guard/lib/runner/run";
import { isWireSecret } from "stride-guard/lib/runner/types";

describe("runner/loadProject: Pulumi.yaml + Pulumi.<stack>.yaml", () => {
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "sg-project-"));
        fs.symlinkSync(NODE_MODULES, path.join(dir, "node_modules"), "dir");
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("reads name, runtime, main, stackConfigDir and all config value forms", async () => {
        fs.writeFileSync(
            path.join(dir, "Pulumi.yaml"),
            "name: shop\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: app/\nstackConfigDir: stacks\n",
        );
        fs.mkdirSync(path.join(dir, "app"));
        fs.mkdirSync(path.join(dir, "stacks"));
        fs.writeFileSync(path.join(dir, "app", "package.json"), JSON.stringify({ main: "main.js" }));
        fs.writeFileSync(
            path.join(dir, "app", "main.js"),
            `const pulumi = require("@pulumi/pulumi"); const docker = require("@pulumi/docker");
             const c = new pulumi.Config();
             new docker.Container("web", { image: c.require("image"), envs: [c.requireSecret("apiKey")], memory: c.requireNumber("mem") });
             module.exports = { tags: c.requireObject("tags") };`,
        );
        fs.writeFileSync(
            path.join(dir, "stacks", "Pulumi.prod.yaml"),
            [
                "config:",
                "  image: nginx:1.27", // no namespace → project namespace
                "  shop:mem: 256", // number
                "  shop:apiKey:",
                "    secure: v1:AAAABBBBCCCC", // no key here: placeholder, marked secret
                "  shop:tags:",
                "    - a",
                "    - b",
                "  docker:host:",
                "    value: unix:///var/run/docker.sock", // {value: ...} form
                "  shop:creds:",
                "    user: admin",
                "    password:",
                "      secure: v1:DDDD",
            ].join("\n") + "\n",
        );
        const p = loadProject(dir, "prod");
        assert.strictEqual(p.project, "shop");
        assert.strictEqual(p.stack, "prod");
        assert.strictEqual(p.runtime, "nodejs");
        assert.deepStrictEqual(p.runtimeOptions, { typescript: false });
        assert.strictEqual(p.program, path.join(dir, "app", "main.js"));
        assert.deepStrictEqual(p.config, {
            "shop:image": "nginx:1.27",
            "shop:mem": "256",
            "shop:apiKey": SECRET_PLACEHOLDER,
            "shop:tags": '["a","b"]',
            "docker:host": "unix:///var/run/docker.sock",
            "shop:creds": `{"user":"admin","password":"${SECRET_PLACEHOLDER}"}`,
        });
        assert.deepStrictEqual(p.secretConfigKeys.sort(), ["shop:apiKey", "shop:creds"]);
        assert.ok(!JSON.stringify(p).includes("v1:AAAA"), "ciphertext is not exposed");

        const run = await runProgram(p.program, p);
        const web = run.resources.find((r) => r.name === "web");
        assert.ok(web);
        assert.strictEqual(web.props.image, "nginx:1.27");
        assert.strictEqual(web.props.memory, 256);
        assert.ok(isWireSecret((web.props.envs as unknown[])[0]));
        assert.deepStrictEqual(run.outputs.tags, ["a", "b"]);
        assert.strictEqual(web.provider?.props.host, "unix:///var/run/docker.sock");

        const withPlain = loadProject(dir, "prod", { secrets: { "shop:apiKey": "k-123" } });
        assert.strictEqual(withPlain.config["shop:apiKey"], "k-123");
    });

    it("picks the only stack when none is named and defaults main to the folder", () => {
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: mini\nruntime: nodejs\n");
        fs.writeFileSync(path.join(dir, "index.js"), "");
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  mini:x: 1\n");
        const p = loadProject(dir);
        assert.strictEqual(p.stack, "dev");
        assert.strictEqual(p.program, path.join(dir, "index.js"));
        assert.deepStrictEqual(p.config, { "mini:x": "1" });
        fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), "");
        assert.throws(() => loadProject(dir), /stack name is required/);
        assert.deepStrictEqual(loadProject(dir, "prod").config, {}, "empty stack file → no config");
        assert.deepStrictEqual(loadProject(dir, "staging").config, {}, "missing stack file → no config");
    });

    it("names file:line:column of a malformed stack config, never the line (it may hold a password)", () => {
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: mini\nruntime: nodejs\n");
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  mini:dbPassword: hunter2-SECRET: yes\n");
        assert.throws(
            () => loadProject(dir, "dev"),
            (e: Error) => e.message.startsWith(`${path.join(dir, "Pulumi.dev.yaml")}:2:20: invalid YAML: `) && !e.message.includes("hunter2"),
        );
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  mini:a: *hunter2\n");
        assert.throws(
            () => loadProject(dir, "dev"),
            (e: Error) => /Pulumi\.dev\.yaml:1: cannot read the document: an alias names no anchor/.test(e.message) && !e.message.includes("hunter2"),
        );
    });

    it("reads the stack config as a regular file only: a FIFO is refused, not waited on", () => {
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: mini\nruntime: nodejs\n");
        try {
            require("child_process").execFileSync("mkfifo", [path.join(dir, "Pulumi.dev.yaml")]);
        } catch {
            return; // no mkfifo here
        }
        assert.throws(() => loadProject(dir, "dev"), /Pulumi\.dev\.yaml: cannot read: not a regular file \(a FIFO\)/);
    });

    it("rejects folders that are not Pulumi projects", () => {
        assert.throws(() => loadProject(dir), /no Pulumi.yaml/);
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "runtime: nodejs\n");
        assert.throws(() => loadProject(dir), /missing a 'name'/);
    });
});
