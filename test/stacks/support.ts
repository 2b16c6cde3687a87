/**
 * Runs the stacks program (compiled, in dist/stacks) under mocks with the config of stacks/Pulumi.<stack>.yaml,
 * and reads what it registers: resources by type, files written to machines (read with the policy pack's own
 * host-file adapter), and plaintext search that skips values marked secret.
 */
import * as fs from "fs";
import * as path from "path";
import { CapturedResource, isWireSecret, loadProject, RunResult, runProgram } from "stride-guard/lib/runner/index";
import { hostsOf } from "stride-guard/lib/adapters/host-files";
import { clean } from "stride-guard/lib/kernel/clean";
import { HostFile } from "stride-guard/lib/model/host";

/** The repository root: the nearest ancestor with the project file (dist/test/stacks → the repo). */
export const REPO = ((): string => {
    for (let d = __dirname; d !== path.dirname(d); d = path.dirname(d)) if (fs.existsSync(path.join(d, "Pulumi.yaml"))) return d;
    throw new Error(`no Pulumi.yaml above ${__dirname}`);
})();
export const PROGRAM = path.resolve(__dirname, "../../stacks");
export const PROJECT = "stride-guard-stacks";

/** Fake but recognizable material: every mocked private key contains this marker (so leaks can be searched for). */
export const KEY_MARKER = "FAKE-PRIVATE-KEY";
export const KEY32_B64 = Buffer.alloc(32, 7).toString("base64");

const pem = (kind: string, name: string) => `-----BEGIN ${kind}-----\n${name}\n-----END ${kind}-----\n`;

/** Mocks that give the tls and random resources plausible outputs. */
export const mocks = {
    newResource(args: { type: string; name: string; inputs: Record<string, unknown> }) {
        const state: Record<string, unknown> = { ...args.inputs };
        switch (args.type) {
            case "tls:index/privateKey:PrivateKey":
                state.privateKeyPem = pem("PRIVATE KEY", `${KEY_MARKER} ${args.name}`);
                state.publicKeyPem = pem("PUBLIC KEY", `public ${args.name}`);
                break;
            case "tls:index/selfSignedCert:SelfSignedCert":
            case "tls:index/locallySignedCert:LocallySignedCert":
                state.certPem = pem("CERTIFICATE", `cert ${args.name}`);
                break;
            case "tls:index/certRequest:CertRequest":
                state.certRequestPem = pem("CERTIFICATE REQUEST", `csr ${args.name}`);
                break;
            case "random:index/randomBytes:RandomBytes":
                state.base64 = KEY32_B64;
                state.hex = Buffer.alloc(32, 7).toString("hex");
                break;
        }
        return { id: `${args.name}_id`, state };
    },
};

export type StackName = "docker-host" | "kubernetes-cluster" | "insecure-demo";

export interface StackRun extends RunResult {
    ofType(type: string): CapturedResource[];
    one(type: string, name: string): CapturedResource;
    /** Files written to machines, as the policy pack reads them (last write per path). */
    files: Map<string, HostFile>;
    /** The resource writing a file. */
    writer(path: string): CapturedResource;
}

export interface RunStackOptions {
    extraConfig?: Record<string, string>;
    secretConfigKeys?: string[];
    /** Default false (an update: every output known). */
    preview?: boolean;
    /** Give tls/random resources outputs (default true). Without them, a preview sees them unknown, as the first preview of a new stack does. */
    outputs?: boolean;
}

export async function runStack(stack: StackName, opts: RunStackOptions = {}): Promise<StackRun> {
    const loaded = loadProject(REPO, stack);
    const result = await runProgram(PROGRAM, {
        project: loaded.project,
        stack,
        config: { ...loaded.config, ...opts.extraConfig },
        secretConfigKeys: [...loaded.secretConfigKeys, ...(opts.secretConfigKeys ?? [])],
        preview: opts.preview ?? false,
        mocks: opts.outputs === false ? undefined : mocks,
    });
    const files = new Map<string, HostFile>();
    const inputs = result.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: clean(r.props).value, parent: r.parent }));
    for (const h of hostsOf(inputs)) for (const f of h.files) files.set(f.path, f);
    const ofType = (type: string) => result.resources.filter((r) => r.type === type);
    return {
        ...result,
        files,
        ofType,
        one(type, name) {
            const found = ofType(type).filter((r) => r.name === name);
            if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
            return found[0];
        },
        writer(p) {
            const f = files.get(p);
            if (!f) throw new Error(`no file ${p} written; files: ${[...files.keys()].join(", ")}`);
            return result.resources.find((r) => r.urn === f.source.urn)!;
        },
    };
}

/** The string values of a wire value that are NOT inside a secret (where a leaked key would show up in state). */
export function plaintextStrings(v: unknown, out: string[] = []): string[] {
    if (isWireSecret(v)) return out;
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) for (const x of v) plaintextStrings(x, out);
    else if (v && typeof v === "object") for (const x of Object.values(v)) plaintextStrings(x, out);
    return out;
}

/** Unwraps a wire value (secrets → their value) into ordinary JSON data, for reading props in assertions. */
export function plain<T = any>(v: unknown): T {
    return JSON.parse(JSON.stringify(clean(v).value ?? null)) as T;
}
