import { stackControl } from "../../contract/control";
import { parseBool } from "../../adapters/kubernetes/flags";
import { STRONG_CIPHER_SUITES } from "./kubernetes-apiserver-tls";
import { checkFlag, ciphersWithin, componentFinding, isFinding, nameOf, problemFindings, settledValues } from "../shared/control-plane-rules";

/**
 * CIS Kubernetes 4.2.12 lists six ECDHE-AEAD suites by their short Go names; the same suites under
 * their full names (…_CHACHA20_POLY1305_SHA256) and the TLS 1.3 suites are as strong, so the kubelet
 * accepts the API server's list.
 */
export const KUBELET_STRONG_CIPHER_SUITES: readonly string[] = STRONG_CIPHER_SUITES;

export interface KubeletTlsConfig {
    readonly allowedCipherSuites: readonly string[];
    /** Require `tlsCipherSuites` to be set (CIS 4.2.12 as kube-bench checks it); unset means Go's defaults. */
    readonly requireCipherSuites: boolean;
}

/** CIS Kubernetes 4.2.9, 4.2.12. */
export default stackControl<KubeletTlsConfig>({
    id: "kubernetes-kubelet-tls",
    title: "Kubelets serve TLS with a certificate the API server can verify, and strong ciphers",
    description:
        "Information disclosure: a kubelet without a configured serving certificate (or server certificate bootstrap) uses a self-signed one, so the API server cannot verify it and exec, attach and log streams can be intercepted; weak ciphers expose them in transit.",
    stride: "I",
    targets: ["kubernetes"],
    refs: { kubernetes: ["4.2.9", "4.2.12"] },
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "In the KubeletConfiguration set `serverTLSBootstrap: true` (with a CSR approver) or `tlsCertFile` and `tlsPrivateKeyFile`.",
        "Set `tlsCipherSuites` to ECDHE-AEAD suites, e.g. [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384].",
    ],
    config: {
        allowedCipherSuites: {
            type: "array",
            items: { type: "string", minLength: 1 },
            uniqueItems: true,
            default: KUBELET_STRONG_CIPHER_SUITES,
            description: "Cipher suites considered strong.",
        },
        requireCipherSuites: { type: "boolean", default: false, description: "Fail when tlsCipherSuites is unset (Go's default list then applies)." },
    },
    scope: "stack",
    check(stack, cfg) {
        const model = stack.controlPlane;
        const findings = problemFindings(model, new Set(["kubelet"]));
        for (const c of model.components) {
            if (c.kind !== "kubelet") continue;
            const bootstrap = settledValues(c, "rotate-server-certificates");
            const cert = settledValues(c, "tls-cert-file");
            const key = settledValues(c, "tls-private-key-file");
            const bootstrapped = !isFinding(bootstrap) && bootstrap.values.length > 0 && parseBool(bootstrap.values[bootstrap.values.length - 1]) === true;
            if (!bootstrapped) {
                const pending = [bootstrap, cert, key].find(isFinding);
                const has = (s: typeof cert) => !isFinding(s) && s.values.length > 0 && s.values[s.values.length - 1] !== "";
                if (pending && !(has(cert) && has(key))) findings.push(pending);
                else if (!has(cert) || !has(key)) {
                    const missing = [!has(cert) && nameOf(c, "tls-cert-file"), !has(key) && nameOf(c, "tls-private-key-file")].filter(Boolean).join(" and ");
                    findings.push(
                        componentFinding(
                            c,
                            c.argsAt,
                            `${missing} ${missing.includes(" and ") ? "are" : "is"} unset and ${nameOf(c, "rotate-server-certificates")} is not true: the kubelet serves a self-signed certificate the API server cannot verify; set serverTLSBootstrap: true (or tlsCertFile and tlsPrivateKeyFile) (4.2.9).`,
                        ),
                    );
                }
            }
            const f = checkFlag(c, {
                kind: "kubelet",
                flag: "tls-cipher-suites",
                cis: "4.2.12",
                judge: ciphersWithin(cfg.allowedCipherSuites, cfg.requireCipherSuites),
                why: "clients can negotiate ciphers without forward secrecy or with CBC",
                fix: "tlsCipherSuites with ECDHE-AEAD suites only",
            });
            if (f) findings.push(f);
        }
        return findings;
    },
});
