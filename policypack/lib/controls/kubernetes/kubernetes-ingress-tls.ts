import { Finding, resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { isSettled, show, UNKNOWN } from "../../kernel/values";

/** Does a TLS host entry cover `host`? Exact, or a `*.example.com` wildcard covering one label. */
function covers(tlsHost: string, host: string): boolean {
    if (tlsHost === host) return true;
    if (!tlsHost.startsWith("*.")) return false;
    const dot = host.indexOf(".");
    return dot > 0 && host.slice(dot) === tlsHost.slice(1);
}

/** No CIS id: part of the catalog's network-isolation row (traffic from outside reaches workloads through ingresses). */
export default resourceControl<"kubernetesIngress", Record<string, never>>({
    id: "kubernetes-ingress-tls",
    title: "Ingresses serve every host over TLS",
    description:
        "Information disclosure: a host of an Ingress without a TLS entry is served over plain HTTP, so session cookies, credentials and data cross the network readable and modifiable by anyone on the path.",
    stride: "I",
    targets: ["kubernetes"],
    refs: {},
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Add `spec.tls: [{ hosts: [<every rule host>], secretName: <certificate Secret> }]` (cert-manager can issue the certificate from an annotation).",
        "Rules without a host and a defaultBackend need a TLS entry without hosts (the controller's default certificate).",
        "Redirect HTTP to HTTPS in the ingress controller (e.g. ingress-nginx `ssl-redirect`, on by default with TLS).",
    ],
    config: {},
    scope: "resource",
    subject: "kubernetesIngress",
    check(ing) {
        const findings: Finding[] = [];
        if (!isSettled(ing.tls)) return [unsettled("spec.tls", ing.tls) as Finding];
        if (!isSettled(ing.rules)) return [unsettled("spec.rules", ing.rules) as Finding];
        const hosts: string[] = [];
        let defaultCert = false;
        let unknownTls = false;
        for (const t of ing.tls ?? []) {
            if (t.hosts === UNKNOWN) unknownTls = true;
            else if (!isSettled(t.hosts)) findings.push(unsettled(t.path, t.hosts) as Finding);
            else if (t.hosts === undefined || t.hosts.length === 0) defaultCert = true;
            else hosts.push(...t.hosts);
        }
        const rules = ing.rules ?? [];
        for (const r of rules) {
            const h = r.host;
            if (!isSettled(h)) {
                findings.push(unsettled(r.path, h) as Finding);
                continue;
            }
            if (h === undefined || h === "" ? defaultCert : hosts.some((t) => covers(t, h))) continue;
            if (unknownTls) {
                findings.push({ field: "spec.tls", unknown: true, message: "is unknown at preview, so whether every host has TLS cannot be checked yet." });
                break;
            }
            const which = h === undefined || h === "" ? "a rule without a host (every host name)" : `host ${show(h)}`;
            findings.push({ field: r.path, message: `${which} has no TLS entry, so it is served over plain HTTP. Add it to spec.tls[].hosts.` });
        }
        if (rules.length === 0 && ing.hasDefaultBackend && !defaultCert && hosts.length === 0) {
            findings.push(
                unknownTls
                    ? { field: "spec.tls", unknown: true, message: "is unknown at preview, so whether the default backend has TLS cannot be checked yet." }
                    : { field: "spec.tls", message: "is missing: the default backend is served over plain HTTP for every host name. Add a TLS entry." },
            );
        }
        return findings;
    },
});
