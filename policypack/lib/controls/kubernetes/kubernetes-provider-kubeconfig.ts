import { Finding, resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { isSettled, show } from "../../kernel/values";

/**
 * No CIS id. The kubeconfig is read from the provider's `kubeconfig` input (content, YAML or JSON; a file path or
 * none means the file is on the machine running Pulumi and is not checked). Only the cluster and user the provider
 * would use are judged (`context`/`cluster` inputs, else current-context); all of them when that cannot be resolved.
 */
export default resourceControl<"kubernetesProvider", Record<string, never>>({
    id: "kubernetes-provider-kubeconfig",
    title: "Kubernetes providers connect over verified TLS without static passwords",
    description:
        "Spoofing: a provider that talks to the API server over http or with insecure-skip-tls-verify can be pointed at an impostor that collects its credentials; basic-auth passwords (removed in Kubernetes 1.19) and credentials in a kubeconfig that is not a Pulumi secret end up in plaintext in the state. " +
        "Reads kubeconfig content given to the provider (a path, or none, is a file on the machine running Pulumi and is not read); whether it is a Pulumi secret is decided only where secret markers survive (`stride-guard check`), not in `pulumi preview --policy-pack`.",
    stride: "S",
    targets: ["kubernetes"],
    refs: {},
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Use an `https://` server with `certificate-authority-data`; remove `insecure-skip-tls-verify`.",
        "Authenticate with short-lived credentials: an exec plugin (aws eks get-token, gke-gcloud-auth-plugin, kubelogin) or client certificates; never username/password.",
        'Pass the kubeconfig as a secret: `kubeconfig: config.requireSecret("kubeconfig")` or `pulumi config set --secret kubernetes:kubeconfig`.',
    ],
    config: {},
    scope: "resource",
    subject: "kubernetesProvider",
    check(p) {
        const kc = p.kubeconfig;
        if (!isSettled(kc)) return [unsettled("kubeconfig", kc) as Finding];
        if (kc === undefined) return [];
        const findings: Finding[] = [];
        for (const c of kc.clusters) {
            const name = `cluster ${show(c.name)}`;
            if (typeof c.server !== "string")
                findings.push({
                    field: "kubeconfig",
                    message: `${name} has no server URL (or not a string), so where the provider connects cannot be checked.`,
                });
            else if (!/^https:\/\//i.test(c.server.trim()))
                findings.push({
                    field: "kubeconfig",
                    message: `${name} is reached over ${c.server.trim().toLowerCase().startsWith("http://") ? "plain http" : "a URL that is not https"}: requests and credentials can be read and forged on the way. Use an https:// server.`,
                });
            if (c.insecureSkipTlsVerify === true)
                findings.push({
                    field: "kubeconfig",
                    message: `${name} sets insecure-skip-tls-verify: any server can impersonate the API server. Remove it and set certificate-authority-data.`,
                });
        }
        for (const u of kc.users) {
            if (u.basicAuth)
                findings.push({
                    field: "kubeconfig",
                    message: `user ${show(u.name)} authenticates with username/password (basic auth, removed in Kubernetes 1.19). Use an exec plugin or client certificates.`,
                });
        }
        if (p.kubeconfigIsSecret === false) {
            const embedded = kc.allUsers.filter((u) => u.embeddedCredentials.length > 0);
            if (embedded.length > 0) {
                const list = embedded.map((u) => `${show(u.name)} (${u.embeddedCredentials.join(", ")})`).join(", ");
                findings.push({
                    field: "kubeconfig",
                    message: `is not a Pulumi secret but embeds credentials of user(s) ${list}, so they are stored in plaintext in the Pulumi state. Pass it with config.requireSecret() or pulumi.secret().`,
                });
            }
        }
        return findings;
    },
});
