/**
 * A kubeconfig for a client certificate. Pure; the result holds a private key, so callers keep it secret.
 */
import { stringify } from "yaml";

export interface KubeconfigOptions {
    clusterName: string;
    /** https://HOST:6443 */
    server: string;
    /** CA the client trusts; required unless insecureSkipTlsVerify. */
    caPem?: string;
    /** Skip server certificate verification (only the insecure demo does this). */
    insecureSkipTlsVerify?: boolean;
    certPem: string;
    keyPem: string;
    userName: string;
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

export function renderKubeconfig(o: KubeconfigOptions): string {
    if (!o.server.startsWith("https://")) throw new Error(`kubeconfig server must be https: ${o.server}`);
    if (!o.caPem && !o.insecureSkipTlsVerify) throw new Error("kubeconfig needs the cluster CA");
    const cluster: Record<string, unknown> = { server: o.server };
    if (o.insecureSkipTlsVerify) cluster["insecure-skip-tls-verify"] = true;
    else cluster["certificate-authority-data"] = b64(o.caPem!);
    const context = `${o.userName}@${o.clusterName}`;
    return stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: o.clusterName, cluster }],
        users: [{ name: o.userName, user: { "client-certificate-data": b64(o.certPem), "client-key-data": b64(o.keyPem) } }],
        contexts: [{ name: context, context: { cluster: o.clusterName, user: o.userName } }],
        "current-context": context,
    });
}
