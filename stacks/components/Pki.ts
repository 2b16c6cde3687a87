/**
 * A certificate authority and the certificates it issues, made with @pulumi/tls. Private keys are Pulumi
 * secrets (also in the SDK's own view, not only the engine's), so they never land in state in plaintext.
 */
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";

export type KeyAlgorithm = "ECDSA" | "RSA";

export interface CertificateAuthorityArgs {
    commonName: string;
    organization?: string;
    algorithm?: KeyAlgorithm;
    /** Validity in hours (default 10 years). */
    validityHours?: number;
}

export interface IssueArgs {
    commonName: string;
    organizations?: string[];
    dnsNames?: pulumi.Input<pulumi.Input<string>[]>;
    ipAddresses?: pulumi.Input<pulumi.Input<string>[]>;
    /** Extended key usages: "server_auth", "client_auth". */
    usages: ("server_auth" | "client_auth")[];
    algorithm?: KeyAlgorithm;
    /** Validity in hours (default 1 year). */
    validityHours?: number;
}

export interface KeyPair {
    certPem: pulumi.Output<string>;
    /** Secret. */
    keyPem: pulumi.Output<string>;
}

function keyArgs(algorithm: KeyAlgorithm): tls.PrivateKeyArgs {
    return algorithm === "ECDSA" ? { algorithm: "ECDSA", ecdsaCurve: "P256" } : { algorithm: "RSA", rsaBits: 2048 };
}

export class CertificateAuthority extends pulumi.ComponentResource implements KeyPair {
    readonly certPem: pulumi.Output<string>;
    readonly keyPem: pulumi.Output<string>;
    private readonly key: tls.PrivateKey;
    private readonly cert: tls.SelfSignedCert;
    private readonly algorithm: KeyAlgorithm;

    constructor(name: string, args: CertificateAuthorityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("stride-guard:pki:CertificateAuthority", name, {}, opts);
        this.algorithm = args.algorithm ?? "ECDSA";
        this.key = new tls.PrivateKey(`${name}-key`, keyArgs(this.algorithm), { parent: this, additionalSecretOutputs: ["privateKeyPem"] });
        this.cert = new tls.SelfSignedCert(
            `${name}-cert`,
            {
                privateKeyPem: this.key.privateKeyPem,
                isCaCertificate: true,
                subject: { commonName: args.commonName, organization: args.organization },
                validityPeriodHours: args.validityHours ?? 24 * 365 * 10,
                allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
            },
            { parent: this },
        );
        this.certPem = this.cert.certPem;
        this.keyPem = pulumi.secret(this.key.privateKeyPem);
        this.registerOutputs({ certPem: this.certPem });
    }

    /** Issues a certificate (key generated here, never leaves state unencrypted). */
    issue(name: string, args: IssueArgs): KeyPair {
        const key = new tls.PrivateKey(`${name}-key`, keyArgs(args.algorithm ?? this.algorithm), { parent: this, additionalSecretOutputs: ["privateKeyPem"] });
        const csr = new tls.CertRequest(
            `${name}-csr`,
            {
                privateKeyPem: key.privateKeyPem,
                subject: { commonName: args.commonName, organization: args.organizations?.join(", ") },
                dnsNames: args.dnsNames,
                ipAddresses: args.ipAddresses,
            },
            { parent: this },
        );
        const cert = new tls.LocallySignedCert(
            `${name}-cert`,
            {
                certRequestPem: csr.certRequestPem,
                caPrivateKeyPem: this.keyPem,
                caCertPem: this.certPem,
                validityPeriodHours: args.validityHours ?? 24 * 365,
                allowedUses: ["digital_signature", "key_encipherment", ...args.usages],
            },
            { parent: this },
        );
        return { certPem: cert.certPem, keyPem: pulumi.secret(key.privateKeyPem) };
    }
}

/** A bare key pair (e.g. the Kubernetes service-account signing key). */
export function keyPair(
    name: string,
    algorithm: KeyAlgorithm,
    parent: pulumi.Resource,
): { publicKeyPem: pulumi.Output<string>; privateKeyPem: pulumi.Output<string> } {
    const key = new tls.PrivateKey(name, keyArgs(algorithm), { parent, additionalSecretOutputs: ["privateKeyPem"] });
    return { publicKeyPem: key.publicKeyPem, privateKeyPem: pulumi.secret(key.privateKeyPem) };
}
