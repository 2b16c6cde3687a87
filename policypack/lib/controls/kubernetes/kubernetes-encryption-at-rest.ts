import { stackControl, StackFinding } from "../../contract/control";
import { arr, field, isObj, str } from "../../kernel/values";
import { Component, ControlPlaneModel } from "../../model/control-plane";
import { checkFlag, componentFinding, present, problemFindings, referencedDocuments } from "../shared/control-plane-rules";

export interface EncryptionConfig {
    /** Accept aesgcm first (it needs a key rotation every 200k writes, which this control cannot see). */
    readonly allowAesgcm: boolean;
}

const STRONG = new Set(["aescbc", "kms", "secretbox"]);
const PROVIDERS = new Set(["aescbc", "aesgcm", "secretbox", "kms", "identity"]);

/** Whether a `resources` entry of an EncryptionConfiguration covers Secrets. */
function coversSecrets(resources: readonly unknown[]): boolean {
    return resources.some((r) => r === "secrets" || r === "*." || r === "*.*");
}

/** Base64 of exactly 32 bytes, without ever returning the value. */
function is32ByteKey(secret: unknown): boolean {
    if (typeof secret !== "string" || !/^[A-Za-z0-9+/]+={0,2}$/.test(secret) || secret.length % 4 !== 0) return false;
    return Buffer.from(secret, "base64").length === 32;
}

function checkEncryptionFile(model: ControlPlaneModel, c: Component, cfg: EncryptionConfig): StackFinding[] {
    const ref = referencedDocuments(model, c, "encryption-provider-config", "encryption configuration");
    if (Array.isArray(ref)) return ref;
    const fail = (message: string) => [componentFinding(c, ref.at, `${message} (1.2.28).`)];
    const doc = ref.docs.find((d) => isObj(d) && field(d, "kind") === "EncryptionConfiguration");
    if (doc === undefined) return fail("the file holds no apiserver.config.k8s.io/v1 EncryptionConfiguration");
    const entries = arr(field(doc, "resources"));
    if (!Array.isArray(entries)) return fail("the EncryptionConfiguration has no `resources` list");
    const entry = entries.find((e) => {
        const rs = arr(field(e, "resources"));
        return Array.isArray(rs) && coversSecrets(rs);
    });
    if (entry === undefined) return fail("no `resources` entry covers secrets, so Secrets are stored in plain text; add one with `resources: [secrets]`");
    const providers = arr(field(entry, "providers"));
    if (!Array.isArray(providers) || providers.length === 0) return fail("the secrets entry has no providers");
    const first = providers[0];
    const type = isObj(first) ? Object.keys(first).find((k) => PROVIDERS.has(k)) : undefined;
    if (type === undefined) return fail("the first provider for secrets is not one of aescbc, aesgcm, secretbox, kms, identity");
    if (type === "identity")
        return fail("the first provider for secrets is identity, so new Secrets are written unencrypted; put aescbc, secretbox or kms first");
    if (type === "aesgcm" && !cfg.allowAesgcm) {
        return fail(
            "the first provider for secrets is aesgcm, which is only safe with a key rotation every 200,000 writes; use aescbc, secretbox or kms (or set allowAesgcm when rotation is automated)",
        );
    }
    if (!STRONG.has(type) && type !== "aesgcm") return fail(`the first provider for secrets is ${type}`);
    if (type === "kms") return [];
    const keys = arr(field(field(first, type), "keys"));
    if (!Array.isArray(keys) || keys.length === 0) return fail(`the ${type} provider has no keys`);
    const weak = keys
        .map((k, i) => ({ name: str(field(k, "name")), ok: is32ByteKey(field(k, "secret")), i }))
        .filter((k) => !k.ok)
        .map((k) => (typeof k.name === "string" ? `"${k.name}"` : `#${k.i + 1}`));
    return weak.length > 0
        ? fail(`the ${type} key(s) ${weak.join(", ")} are not base64 of 32 random bytes; generate each with \`head -c 32 /dev/urandom | base64\``)
        : [];
}

/** CIS Kubernetes 1.2.27, 1.2.28. */
export default stackControl<EncryptionConfig>({
    id: "kubernetes-encryption-at-rest",
    title: "The API server encrypts Secrets in etcd with aescbc, secretbox or KMS",
    description:
        "Information disclosure: without an encryption provider, Secrets sit in etcd and its backups in plain text; whoever copies a snapshot or the data directory reads every credential of the cluster.",
    stride: "I",
    targets: ["kubernetes"],
    refs: { kubernetes: ["1.2.27", "1.2.28"] },
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Write an apiserver.config.k8s.io/v1 EncryptionConfiguration to the control-plane hosts (mode 0600, as a Pulumi secret): `resources: [{resources: [secrets], providers: [{aescbc: {keys: [{name: key1, secret: <32 random bytes, base64>}]}}, {identity: {}}]}]`, or a KMS v2 provider.",
        "Set `--encryption-provider-config` to its path (mounted into the kube-apiserver static Pod), then rewrite existing Secrets: `kubectl get secrets -A -o json | kubectl replace -f -`.",
    ],
    config: {
        allowAesgcm: { type: "boolean", default: false, description: "Accept aesgcm as first provider (only with automated key rotation)." },
    },
    scope: "stack",
    check(stack, cfg) {
        const model = stack.controlPlane;
        const findings = problemFindings(model, new Set(["kube-apiserver"]));
        for (const c of model.components) {
            if (c.kind !== "kube-apiserver") continue;
            const f = checkFlag(c, {
                kind: "kube-apiserver",
                flag: "encryption-provider-config",
                cis: "1.2.27",
                judge: present,
                why: "Secrets are stored in etcd in plain text",
                fix: "--encryption-provider-config=/etc/kubernetes/encryption.yaml",
            });
            if (f) findings.push(f);
            findings.push(...checkEncryptionFile(model, c, cfg));
        }
        return findings;
    },
});
