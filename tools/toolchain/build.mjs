#!/usr/bin/env node
// npm run toolchain: builds the real Pulumi CLI, its Node.js language host, the Kubernetes provider,
// kube-apiserver, etcd and kube-bench from the Go module proxy, each from a small wrapper module in this folder
// (their own go.mod files carry `replace` directives, so `go install pkg@version` refuses them), into a cache
// outside the checkout keyed by everything that goes into the build, and links the binaries as .toolchain/bin.
//
// Idempotent: a component whose key is already in the cache is not rebuilt, so CI's fresh clone on a machine that
// built once only relinks. Exit 0 only when every component is linked; 2 with a one-line reason otherwise.
//
//   node tools/toolchain/build.mjs [--only NAME[,NAME]] [--print-key] [--times]
//
// Environment: STRIDE_GUARD_TOOLCHAIN_CACHE (default /var/cache/stride-guard/toolchain, else
// ~/.cache/stride-guard/toolchain), GO (default: go on PATH, else /usr/local/go/bin/go).
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
const versions = JSON.parse(fs.readFileSync(path.join(here, "versions.json"), "utf8"));
// Bumped when the way a component is built changes, so old cache entries are not reused.
const RECIPE = "1";

function fail(msg) {
    process.stderr.write(`toolchain: ${msg}\n`);
    process.exit(2);
}

function findGo() {
    if (process.env.GO) return process.env.GO;
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        if (dir && fs.existsSync(path.join(dir, "go"))) return path.join(dir, "go");
    }
    if (fs.existsSync("/usr/local/go/bin/go")) return "/usr/local/go/bin/go";
    return fail("no Go toolchain: install Go 1.26 (/usr/local/go/bin/go) or set GO");
}

function cacheRoot() {
    const candidates = [
        process.env.STRIDE_GUARD_TOOLCHAIN_CACHE,
        "/var/cache/stride-guard/toolchain",
        path.join(os.homedir(), ".cache", "stride-guard", "toolchain"),
    ];
    for (const c of candidates) {
        if (!c) continue;
        try {
            fs.mkdirSync(c, { recursive: true });
            fs.accessSync(c, fs.constants.W_OK);
            return c;
        } catch {
            // not writable for this user: try the next one
        }
    }
    return fail("no writable cache directory (set STRIDE_GUARD_TOOLCHAIN_CACHE)");
}

const go = findGo();
const goVersion = execFileSync(go, ["env", "GOVERSION"], { encoding: "utf8" }).trim();
if (!goVersion.startsWith(`go${versions.go}`)) fail(`versions.json wants Go ${versions.go}, ${go} is ${goVersion}`);

/** Everything that decides a component's binary: versions entry, the wrapper's files, Go version, recipe. */
function componentKey(name, spec) {
    const h = createHash("sha256");
    h.update(`${RECIPE}\0${goVersion}\0${JSON.stringify(spec)}\0`);
    const dir = path.join(here, name);
    for (const f of fs.readdirSync(dir).sort()) {
        h.update(`${f}\0`);
        h.update(fs.readFileSync(path.join(dir, f)));
    }
    return `${name}-${spec.version}-${h.digest("hex").slice(0, 16)}`;
}

function goEnv(extra = {}) {
    // GOFLAGS=-mod=readonly: a go.sum that does not match what the proxy serves is an error, never rewritten.
    return { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=readonly", ...extra };
}

function run(cmd, args, opts) {
    const r = spawnSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", maxBuffer: 64 << 20, ...opts });
    if (r.status !== 0) {
        const tail = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n").slice(-15).join("\n");
        return { ok: false, tail: tail || String(r.error ?? `exit ${r.status}`) };
    }
    return { ok: true, stdout: r.stdout };
}

/** Directory of a module in GOMODCACHE, downloading it if needed (verified against the wrapper's go.sum). */
function moduleDir(wrapper, module) {
    const r = run(go, ["list", "-m", "-f", "{{.Dir}}", module], { cwd: wrapper, env: goEnv() });
    if (!r.ok) fail(`cannot locate ${module}: ${r.tail.split("\n").pop()}`);
    const dir = r.stdout.trim();
    if (!dir || !fs.existsSync(dir)) {
        const d = run(go, ["mod", "download", module], { cwd: wrapper, env: goEnv() });
        if (!d.ok) fail(`cannot download ${module}: ${d.tail.split("\n").pop()}`);
        return run(go, ["list", "-m", "-f", "{{.Dir}}", module], { cwd: wrapper, env: goEnv() }).stdout.trim();
    }
    return dir;
}

/**
 * The Kubernetes provider's main package embeds schema-embed.json, which its repository generates at build time
 * and so is not in the module: build its main package from a scratch copy (outside the checkout) with the schema
 * stamped with the version, as the provider's own generate step does.
 */
function prepareEmbedSchema(name, spec, scratch) {
    const wrapper = path.join(here, name);
    const src = path.join(moduleDir(wrapper, spec.module), path.relative(spec.module, spec.package));
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.mkdirSync(scratch, { recursive: true });
    for (const f of ["go.mod", "go.sum"]) fs.copyFileSync(path.join(wrapper, f), path.join(scratch, f));
    fs.copyFileSync(path.join(src, "main.go"), path.join(scratch, "main.go"));
    const schema = JSON.parse(fs.readFileSync(path.join(src, "schema.json"), "utf8"));
    schema.version = spec.version.replace(/^v/, "");
    fs.writeFileSync(path.join(scratch, "schema-embed.json"), JSON.stringify(schema));
    const mapping = JSON.parse(fs.readFileSync(path.join(src, "terraform-mapping.json"), "utf8"));
    fs.writeFileSync(path.join(scratch, "terraform-mapping-embed.json"), JSON.stringify(mapping));
    return { cwd: scratch, pkg: "." };
}

function build(name, spec, dest) {
    const wrapper = path.join(here, name);
    const tmp = `${dest}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    let where = { cwd: wrapper, pkg: spec.package };
    if (spec.embedSchema) where = prepareEmbedSchema(name, spec, path.join(tmp, "src"));
    // -checklinkname=0: Go 1.26 refuses some dependencies' old //go:linkname pulls; the flag restores 1.22's rule.
    const ldflags = ["-s", "-w", "-checklinkname=0", ...spec.ldflags].join(" ");
    const started = Date.now();
    for (const bin of spec.binaries) {
        const r = run("nice", ["-n", "10", go, "build", "-trimpath", `-ldflags=${ldflags}`, "-o", path.join(tmp, bin), where.pkg], {
            cwd: where.cwd,
            env: goEnv(),
        });
        if (!r.ok) {
            fs.rmSync(tmp, { recursive: true, force: true });
            fail(`${name} ${spec.version} did not build:\n${r.tail}`);
        }
    }
    if (spec.copyDir) {
        const src = path.join(moduleDir(wrapper, spec.module), spec.copyDir);
        fs.cpSync(src, path.join(tmp, spec.copyDir), { recursive: true });
        // Module cache files are read-only; kube-bench never writes its cfg, but make the copy ours.
        execFileSync("chmod", ["-R", "u+w", path.join(tmp, spec.copyDir)]);
    }
    fs.rmSync(path.join(tmp, "src"), { recursive: true, force: true });
    const seconds = Math.round((Date.now() - started) / 1000);
    fs.writeFileSync(
        path.join(tmp, "build.json"),
        JSON.stringify({ component: name, version: spec.version, goVersion, seconds, builtAt: new Date().toISOString() }, null, 2),
    );
    fs.rmSync(dest, { recursive: true, force: true });
    fs.renameSync(tmp, dest);
    return seconds;
}

function main(argv) {
    let only = null;
    let printKey = false;
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--only") only = new Set((argv[++i] ?? "").split(","));
        else if (argv[i] === "--print-key") printKey = true;
        else fail(`unknown argument ${JSON.stringify(argv[i]).slice(0, 40)}`);
    }
    const entries = Object.entries(versions.components).filter(([n]) => !only || only.has(n));
    if (only) for (const n of only) if (!versions.components[n]) fail(`no component ${n}`);
    if (printKey) {
        for (const [n, s] of entries) process.stdout.write(`${componentKey(n, s)}\n`);
        return;
    }
    const root = cacheRoot();
    const lock = path.join(root, ".lock");
    // One build at a time per cache; a lock whose owner is gone (killed mid-build) is taken over.
    for (let attempt = 0; ; attempt++) {
        try {
            fs.mkdirSync(lock);
            fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
            break;
        } catch {
            let owner = NaN;
            try {
                owner = Number(fs.readFileSync(path.join(lock, "pid"), "utf8"));
            } catch {
                // no pid yet: the owner is between mkdir and write, or died there
            }
            let alive = false;
            try {
                alive = Number.isInteger(owner) && owner > 0 && process.kill(owner, 0);
            } catch {
                alive = false;
            }
            if (alive) fail(`another build (pid ${owner}) holds ${lock}`);
            if (attempt > 0) fail(`cannot take over the stale lock ${lock}`);
            fs.rmSync(lock, { recursive: true, force: true });
        }
    }
    process.on("exit", () => fs.rmSync(lock, { recursive: true, force: true }));
    const bin = path.join(repo, ".toolchain", "bin");
    fs.mkdirSync(bin, { recursive: true });
    const links = [];
    for (const [name, spec] of entries) {
        const key = componentKey(name, spec);
        const dest = path.join(root, key);
        if (fs.existsSync(path.join(dest, "build.json"))) {
            process.stdout.write(`    ${name} ${spec.version}: cached (${key})\n`);
        } else {
            process.stdout.write(`    ${name} ${spec.version}: building…\n`);
            const secs = build(name, spec, dest);
            process.stdout.write(`    ${name} ${spec.version}: built in ${secs}s\n`);
        }
        for (const b of spec.binaries) links.push([path.join(dest, b), path.join(bin, b)]);
        if (spec.copyDir) links.push([path.join(dest, spec.copyDir), path.join(repo, ".toolchain", name, spec.copyDir)]);
    }
    for (const [target, link] of links) {
        fs.mkdirSync(path.dirname(link), { recursive: true });
        fs.rmSync(link, { recursive: true, force: true });
        fs.symlinkSync(target, link);
    }
    process.stdout.write(`    linked ${links.length} into .toolchain/ from ${root}\n`);
}

main(process.argv.slice(2));
