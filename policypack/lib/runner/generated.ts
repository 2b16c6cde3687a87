/**
 * Placeholders for values that providers generate once and keep in the stack's state: keys and
 * certificates from @pulumi/tls, random values from @pulumi/random. On the preview of a deployed
 * stack the engine knows them; under mocks nothing generates them, so without these they would be
 * unknown and every check that reads them (a provider's TLS material, an encryption key) would be
 * reported as "cannot be checked at preview". The placeholders are well-formed but useless: a PEM
 * block naming the resource, 32 zero bytes. They never leave the process.
 */
import type * as pulumi from "@pulumi/pulumi";
import { parseAllDocuments } from "yaml";

const pem = (label: string, name: string) => `-----BEGIN ${label}-----\nstride-guard placeholder for ${name}\n-----END ${label}-----\n`;
const ZERO32 = Buffer.alloc(32);

/** Outputs a provider would have generated for this resource, or undefined when it generates none we model. */
export function generatedOutputs(type: string, name: string): Record<string, unknown> | undefined {
    switch (type) {
        case "tls:index/privateKey:PrivateKey":
            return {
                privateKeyPem: pem("PRIVATE KEY", name),
                privateKeyOpenssh: pem("OPENSSH PRIVATE KEY", name),
                publicKeyPem: pem("PUBLIC KEY", name),
                publicKeyOpenssh: `ssh-ed25519 placeholder ${name}`,
            };
        case "tls:index/selfSignedCert:SelfSignedCert":
        case "tls:index/locallySignedCert:LocallySignedCert":
            return { certPem: pem("CERTIFICATE", name) };
        case "tls:index/certRequest:CertRequest":
            return { certRequestPem: pem("CERTIFICATE REQUEST", name) };
        case "random:index/randomBytes:RandomBytes":
            return { base64: ZERO32.toString("base64"), hex: ZERO32.toString("hex") };
        case "random:index/randomPassword:RandomPassword":
        case "random:index/randomString:RandomString":
            return { result: "stride-guard-placeholder" };
        case "random:index/randomId:RandomId":
            return { hex: "00000000", b64Std: "AAAAAA==", b64Url: "AAAAAA", dec: "0" };
        default:
            return undefined;
    }
}

/**
 * Provider functions that client-side components call and that can be answered without the provider:
 * `kubernetes:yaml:decode` (k8s.yaml.ConfigFile / ConfigGroup), so that their children are registered and
 * checked. `kubernetes:helm:template` needs helm itself and is left unanswered (no children).
 */
export function answerCall(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
    if (token === "kubernetes:yaml:decode" && typeof inputs["text"] === "string") {
        return {
            result: parseAllDocuments(inputs["text"])
                .map((d) => d.toJSON() as unknown)
                .filter((o) => o !== null && typeof o === "object"),
        };
    }
    return {};
}

/** Mocks for the preview of a deployed stack: inputs echoed as state, generated values filled in. */
export const deployedStackMocks: Partial<pulumi.runtime.Mocks> = {
    newResource(args) {
        const generated = generatedOutputs(args.type, args.name);
        return { id: `${args.name}_id`, state: generated ? { ...args.inputs, ...generated } : { ...args.inputs } };
    },
    call(args) {
        return answerCall(args.token, args.inputs as Record<string, unknown>);
    },
};
