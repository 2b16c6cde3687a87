import { Finding, resourceControl } from "../../core/control";
import { unsettled } from "../../core/check";
import { ConfigMapEntry } from "../../model/kubernetes-configmap";
import { CREDENTIAL_NAME_SETTINGS, credentialFormat, CredentialNamesConfig, isCredentialName } from "../shared/credentials";

const shownKey = (k: string) => (/^[\w.-]{1,64}$/.test(k) ? `"${k}"` : "(a key with an unusual name)");

/**
 * CIS Kubernetes 5.4.1 area (Kubescape C-0012): credentials kept in a ConfigMap. The names are those of
 * kubernetes-hardcoded-credentials and docker-container-env-secrets (controls/shared/credentials.ts).
 */
export default resourceControl<"kubernetesConfigMap", CredentialNamesConfig>({
    id: "kubernetes-configmap-credentials",
    title: "Kubernetes ConfigMaps hold no credentials",
    description:
        "Information disclosure: a ConfigMap is meant for non-confidential data: RBAC grants read on ConfigMaps far more widely than on Secrets, it is never covered by encryption at rest unless configured for it, and tools print it freely; a password, token or key kept in one is readable by anyone who can read configuration.",
    stride: "I",
    targets: ["kubernetes"],
    refs: { kubernetes: ["5.4.1"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Move the value into a Secret (a Pulumi secret in the program) and mount it as a file, or reference it with `secretKeyRef`; keep only non-confidential settings in the ConfigMap.",
        "Rotate every credential that was kept in a ConfigMap.",
        "If a key only looks like a credential (a key id, a public key, a path), add its name pattern to `allowNames`.",
    ],
    config: CREDENTIAL_NAME_SETTINGS,
    scope: "resource",
    subject: "kubernetesConfigMap",
    check(m, cfg) {
        const u = unsettled("data", m.data);
        if (u) return [u];
        const findings: Finding[] = [];
        for (const e of (m.data as readonly ConfigMapEntry[] | undefined) ?? []) {
            const v = unsettled(e.path, e.value);
            if (v) {
                if (isCredentialName(cfg, e.key)) findings.push(v);
                continue;
            }
            if (typeof e.value !== "string" || e.value.trim() === "") continue;
            if (isCredentialName(cfg, e.key)) {
                findings.push({
                    field: e.path,
                    message: `key ${shownKey(e.key)} holds a credential (by its name) in a ConfigMap. Keep it in a Secret instead.`,
                });
                continue;
            }
            const format = credentialFormat(e.value);
            if (format)
                findings.push({
                    field: e.path,
                    message: `key ${shownKey(e.key)} holds what looks like ${format}. Keep it in a Secret instead, and rotate it.`,
                });
        }
        return findings;
    },
});
