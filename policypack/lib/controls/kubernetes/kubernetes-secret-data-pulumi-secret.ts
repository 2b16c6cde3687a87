import { Finding, resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { isSettled, show } from "../../kernel/values";

/**
 * No CIS id (closest: 5.4.2, external secret storage). What can be told, and where:
 *  - @pulumi/kubernetes (every language) wraps `data` and `stringData` of Secret and SecretPatch in secrets and
 *    marks them additionalSecretOutputs, so Secrets declared through the SDK classes (YAML ConfigFile/ConfigGroup
 *    and Helm v3 Chart children included) pass;
 *  - values are judged only where the source keeps Pulumi's secret markers: the in-process runner
 *    (`stride-guard check`), the test runner, manifests (no markers at all: every value is plaintext);
 *  - in `pulumi preview --policy-pack`, @pulumi/policy unwraps secrets before Analyze, so this control cannot tell
 *    and reports nothing there (no false claim either way).
 */
export default resourceControl<"kubernetesSecret", Record<string, never>>({
    id: "kubernetes-secret-data-pulumi-secret",
    title: "Secret data is held as Pulumi secrets",
    description:
        "Information disclosure: a Secret value that is not a Pulumi secret is stored in plaintext in the Pulumi state and shown in previews and diffs; anyone with read access to the state backend (or CI logs) reads it. " +
        "Decided only where Pulumi's secret markers survive (`stride-guard check`, the test runner, manifests); in `pulumi preview --policy-pack` @pulumi/policy unwraps secrets before policies run, so this control reports nothing there. @pulumi/kubernetes marks Secret and SecretPatch data/stringData secret itself, so Secrets declared through it (YAML and Helm v3 children included) pass.",
    stride: "I",
    targets: ["kubernetes"],
    refs: {},
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Read the value with `config.requireSecret(...)` or wrap it with `pulumi.secret(...)` before putting it in `data`/`stringData`.",
        "Declare Secrets through the @pulumi/kubernetes classes (they mark data and stringData secret), not as raw manifests.",
        "Better: keep the value out of the stack (External Secrets Operator, Secrets Store CSI driver, SOPS-encrypted files).",
    ],
    config: {},
    scope: "resource",
    subject: "kubernetesSecret",
    check(s) {
        const findings: Finding[] = [];
        for (const p of s.payloads) {
            const keys = p.plaintextKeys;
            if (keys === "undecidable") continue;
            if (!isSettled(keys)) findings.push(unsettled(p.field, keys) as Finding);
            else if (keys !== undefined && keys.length > 0) {
                findings.push({
                    field: p.field,
                    message: `holds ${keys.length} value(s) that are not Pulumi secrets (keys ${keys.map(show).join(", ")}), so they are stored in plaintext in the Pulumi state (and, for a manifest, in the file). Wrap them with pulumi.secret() or read them with config.requireSecret().`,
                });
            }
        }
        return findings;
    },
});
