import { stackControl } from "../../contract/control";
import { show } from "../../kernel/values";
import { checkFlagRules, ciphersWithin, FlagRule, Judge, present } from "../shared/control-plane-rules";

/** CIS Kubernetes 1.2.29: the ciphers kube-bench accepts (TLS 1.3 suites and ECDHE with AEAD). */
export const STRONG_CIPHER_SUITES: readonly string[] = [
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
];

const TLS_VERSIONS = ["VersionTLS10", "VersionTLS11", "VersionTLS12", "VersionTLS13"];

export interface ApiserverTlsConfig {
    readonly minVersion: string;
    readonly allowedCipherSuites: readonly string[];
    /** Require `--tls-cipher-suites` to be set (CIS 1.2.29 as kube-bench checks it); unset means Go's defaults. */
    readonly requireCipherSuites: boolean;
}

function minVersion(min: string): Judge {
    const floor = TLS_VERSIONS.indexOf(min);
    return (v) => {
        if (v === undefined) return floor <= TLS_VERSIONS.indexOf("VersionTLS12") ? undefined : `is unset (the default is VersionTLS12)`;
        const i = TLS_VERSIONS.indexOf(v);
        if (i < 0) return `is not one of ${TLS_VERSIONS.join(", ")}`;
        return i < floor ? `is ${show(v)}` : undefined;
    };
}

export default stackControl<ApiserverTlsConfig>({
    id: "kubernetes-apiserver-tls",
    title: "The API server serves TLS with its own certificate, TLS 1.2 or later and strong ciphers",
    description:
        "Information disclosure: without a configured serving certificate the API server falls back to a self-signed one clients learn to skip verifying; old protocol versions and CBC/RSA-kex ciphers expose tokens and Secrets in transit.",
    stride: "I",
    targets: ["kubernetes"],
    refs: { kubernetes: ["1.2.24", "1.2.29"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Set `--tls-cert-file` and `--tls-private-key-file` (kubeadm sets them).",
        "Set `--tls-min-version=VersionTLS12` (or VersionTLS13) and `--tls-cipher-suites` to ECDHE-AEAD suites, e.g. TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384.",
    ],
    config: {
        minVersion: { type: "string", enum: TLS_VERSIONS, default: "VersionTLS12", description: "Lowest TLS version the API server may accept." },
        allowedCipherSuites: {
            type: "array",
            items: { type: "string", minLength: 1 },
            uniqueItems: true,
            default: STRONG_CIPHER_SUITES,
            description: "Cipher suites considered strong.",
        },
        requireCipherSuites: { type: "boolean", default: false, description: "Fail when --tls-cipher-suites is unset (Go's default list then applies)." },
    },
    scope: "stack",
    check(stack, cfg) {
        const A = "kube-apiserver" as const;
        const rules: FlagRule[] = [
            {
                kind: A,
                flag: "tls-cert-file",
                cis: "1.2.24",
                judge: present,
                why: "the API server generates a self-signed certificate that clients cannot verify",
                fix: "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt",
            },
            {
                kind: A,
                flag: "tls-private-key-file",
                cis: "1.2.24",
                judge: present,
                why: "the API server cannot serve its own certificate without the key",
                fix: "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key",
            },
            {
                kind: A,
                flag: "tls-min-version",
                cis: "1.2.29",
                judge: minVersion(cfg.minVersion),
                why: "clients can negotiate a protocol version with known attacks",
                fix: `--tls-min-version=${cfg.minVersion}`,
            },
            {
                kind: A,
                flag: "tls-cipher-suites",
                cis: "1.2.29",
                judge: ciphersWithin(cfg.allowedCipherSuites, cfg.requireCipherSuites),
                why: "clients can negotiate ciphers without forward secrecy or with CBC",
                fix: "--tls-cipher-suites with ECDHE-AEAD suites only",
            },
        ];
        return checkFlagRules(stack.controlPlane, rules);
    },
});
