import assert from "assert/strict";
import { stringify } from "yaml";
import control from "stride-guard/lib/controls/kubernetes/kubernetes-encryption-at-rest";
import { messages, run, secret, UNKNOWN_STRING } from "../../support/run-control";
import {
    AES_KEY,
    assertMalformedReported,
    assertUnknownWhenArgumentsUnknown,
    controlPlaneNode,
    encryptionConfig,
    hostFile,
    nodeWith,
    onlyMessage,
    outcome,
} from "../../support/control-plane-fixtures";

const FILE = "/etc/kubernetes/encryption.yaml";
const SHORT_KEY = Buffer.alloc(16, 9).toString("base64");
/** The file arrives as a secret, as it should. */
const withConfig = (providers: unknown[], resources = ["secrets"]) =>
    controlPlaneNode({ files: { [FILE]: hostFile(FILE, secret(stringify({ ...encryptionConfig(providers), resources: [{ resources, providers }] }))) } });
const aescbc = (secretValue: string, name = "key1") => ({ aescbc: { keys: [{ name, secret: secretValue }] } });

describe("kubernetes-encryption-at-rest", () => {
    it("passes aescbc, secretbox and kms first", () => {
        assert.deepEqual(outcome(run(control, controlPlaneNode())), { violations: [], unknownPaths: [] });
        assert.deepEqual(messages(control, withConfig([{ secretbox: { keys: [{ name: "k", secret: AES_KEY }] } }])), []);
        assert.deepEqual(messages(control, withConfig([{ kms: { apiVersion: "v2", name: "vault", endpoint: "unix:///run/kms.sock" } }, { identity: {} }])), []);
        assert.deepEqual(messages(control, withConfig([aescbc(AES_KEY)], ["*.*"])), []);
    });

    it("fails without --encryption-provider-config, naming the manifest", () => {
        onlyMessage(
            control,
            nodeWith("kube-apiserver", { "encryption-provider-config": null }),
            /^kube-apiserver \(static Pod \/etc\/kubernetes\/manifests\/kube-apiserver\.yaml on 10\.0\.0\.5\): spec\.containers\[0\]\.command: --encryption-provider-config is unset.*\(1\.2\.27\)/,
        );
    });

    const cases: [string, () => ReturnType<typeof withConfig>, RegExp][] = [
        ["identity first", () => withConfig([{ identity: {} }, aescbc(AES_KEY)]), /the first provider for secrets is identity/],
        ["aesgcm first", () => withConfig([{ aesgcm: { keys: [{ name: "g", secret: AES_KEY }] } }]), /aesgcm, which is only safe with a key rotation/],
        ["no secrets entry", () => withConfig([aescbc(AES_KEY)], ["configmaps"]), /no `resources` entry covers secrets/],
        ["a 16-byte key", () => withConfig([aescbc(SHORT_KEY, "old")]), /the aescbc key\(s\) "old" are not base64 of 32 random bytes/],
        ["a non-base64 key", () => withConfig([aescbc("not base64!!")]), /key\(s\) "key1" are not base64/],
        ["no keys", () => withConfig([{ aescbc: { keys: [] } }]), /the aescbc provider has no keys/],
        ["no providers", () => withConfig([]), /the secrets entry has no providers/],
        ["an unknown provider", () => withConfig([{ rot13: {} }]), /is not one of aescbc/],
    ];
    for (const [name, node, re] of cases) {
        it(`fails on ${name}, naming the file and never a key`, () => {
            const m = onlyMessage(control, node(), re);
            assert.match(m, /: \/etc\/kubernetes\/encryption\.yaml on 10\.0\.0\.5: .*\(1\.2\.28\)/);
            assert.ok(!m.includes(AES_KEY) && !m.includes(SHORT_KEY), m);
        });
    }

    it("accepts aesgcm when configured to", () => {
        assert.deepEqual(messages(control, withConfig([{ aesgcm: { keys: [{ name: "g", secret: AES_KEY }] } }]), { allowAesgcm: true }), []);
    });

    it("reports unknown content, and unknown arguments", () => {
        const out = run(control, controlPlaneNode({ files: { [FILE]: hostFile(FILE, UNKNOWN_STRING) } }));
        assert.deepEqual(outcome(out), { violations: [], unknownPaths: ["/etc/kubernetes/encryption.yaml on 10.0.0.5"] });
        assertUnknownWhenArgumentsUnknown(control, "kube-apiserver", "encryption-provider-config");
    });

    it("never shows the secret file, even when it is malformed", () => {
        const content = `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources: {secret: ${AES_KEY}}\n`;
        const msgs = messages(control, controlPlaneNode({ files: { [FILE]: hostFile(FILE, secret(content)) } }));
        assert.equal(msgs.length, 1);
        assert.match(msgs[0], /has no `resources` list/);
        assert.ok(!msgs[0].includes(AES_KEY));
    });

    it("reports malformed input clearly without throwing", () => {
        assertMalformedReported(control, "kube-apiserver");
        onlyMessage(
            control,
            controlPlaneNode({ files: { [FILE]: hostFile(FILE, "a: [") } }),
            /^\/etc\/kubernetes\/encryption\.yaml on 10\.0\.0\.5: stdin: cannot be checked: expected valid YAML/,
        );
        const elsewhere = "/opt/encryption.yaml";
        const node = [...nodeWith("kube-apiserver", { "encryption-provider-config": elsewhere }), hostFile(elsewhere, "a: [")];
        onlyMessage(control, node, /: \/opt\/encryption\.yaml on 10\.0\.0\.5: the encryption configuration cannot be read: expected valid YAML/);
        onlyMessage(
            control,
            controlPlaneNode({ files: { [FILE]: hostFile(FILE, "kind: Pod\n") } }),
            /holds no apiserver\.config\.k8s\.io\/v1 EncryptionConfiguration/,
        );
    });
});
