// The toolchain's pins (tools/toolchain/versions.json) against what the project runs with: the Pulumi CLI and
// language host must be the version of @pulumi/pulumi in package.json, the Kubernetes provider is pinned next to
// the @pulumi/kubernetes version it stands for, and each wrapper module's go.mod requires exactly the pinned version.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const REPO = ((): string => {
    for (let d = __dirname; d !== path.dirname(d); d = path.dirname(d)) if (fs.existsSync(path.join(d, "Pulumi.yaml"))) return d;
    throw new Error(`no Pulumi.yaml above ${__dirname}`);
})();
const TOOLCHAIN = path.join(REPO, "tools", "toolchain");

interface Component {
    npm?: string;
    npmVersion?: string;
    module: string;
    version: string;
    package: string;
    binaries: string[];
    ldflags: string[];
}

const versions = JSON.parse(fs.readFileSync(path.join(TOOLCHAIN, "versions.json"), "utf8")) as { go: string; components: Record<string, Component> };
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { dependencies: Record<string, string> };

/** The version go.mod requires for a module (a `require` line, single or in a block), or undefined. */
function required(goMod: string, module: string): string | undefined {
    const esc = module.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(`^\\s*(?:require\\s+)?${esc}\\s+(v\\S+)`, "m").exec(goMod)?.[1];
}

describe("toolchain pins", () => {
    it("the Pulumi CLI and the language host are @pulumi/pulumi's version", () => {
        const want = `v${pkg.dependencies["@pulumi/pulumi"]}`;
        assert.strictEqual(versions.components.pulumi.version, want);
        assert.strictEqual(versions.components["language-nodejs"].version, want);
        assert.ok(
            versions.components.pulumi.ldflags.some((f) => f.endsWith(`version.Version=${want}`)),
            "the CLI reports the pinned version",
        );
    });

    it("the Kubernetes provider stands for @pulumi/kubernetes's version", () => {
        const k = versions.components.kubernetes;
        assert.strictEqual(k.npm, "@pulumi/kubernetes");
        assert.strictEqual(k.npmVersion, pkg.dependencies["@pulumi/kubernetes"], "bump tools/toolchain (kubernetes) with @pulumi/kubernetes");
        assert.ok(
            k.ldflags.some((f) => f.endsWith(`version.Version=${k.version.replace(/^v/, "")}`)),
            "the provider reports the version it was built from",
        );
    });

    it("each wrapper module requires exactly the pinned version, and no go.mod replaces into a local path", () => {
        for (const [name, c] of Object.entries(versions.components)) {
            const goMod = fs.readFileSync(path.join(TOOLCHAIN, name, "go.mod"), "utf8");
            assert.strictEqual(required(goMod, c.module), c.version, `${name}: go.mod requires ${c.module}`);
            assert.ok(fs.existsSync(path.join(TOOLCHAIN, name, "go.sum")), `${name}: go.sum is committed`);
            assert.ok(!/=>\s*\.{0,2}\//.test(goMod), `${name}: a replace into a local path cannot be built from the proxy`);
        }
    });

    it("kube-apiserver's staging modules are mapped to the released k8s.io versions of the same minor", () => {
        const c = versions.components["kube-apiserver"];
        const goMod = fs.readFileSync(path.join(TOOLCHAIN, "kube-apiserver", "go.mod"), "utf8");
        const staging = `v0.${c.version.replace(/^v1\./, "")}`;
        const replaces = [...goMod.matchAll(/^\s*(k8s\.io\/[a-z-]+) => (k8s\.io\/[a-z-]+) (v\S+)$/gm)];
        assert.ok(replaces.length >= 20, `expected the staging replacements, found ${replaces.length}`);
        for (const [, from, to, v] of replaces) {
            assert.strictEqual(from, to);
            assert.strictEqual(v, staging, `${from} mapped to ${v}`);
        }
    });
});
