import { at, field, Invalid, isObj, str, strList, UNKNOWN } from "../../core/values";
import { IngressRuleHost, IngressTls, KubernetesIngressModel } from "../../model/kubernetes-ingress";
import { KubernetesNamespaceModel, PSS_ENFORCE_LABEL } from "../../model/kubernetes-namespace";
import { KubernetesSecretModel, SecretPayload } from "../../model/kubernetes-secret";
import { ConfigMapEntry, KubernetesConfigMapModel } from "../../model/kubernetes-configmap";
import { KubernetesServiceModel } from "../../model/kubernetes-service";
import { entryList, entryStr, kindIn, kindOrPatchIn, objectMeta, objList } from "./cluster-meta";

export const ENFORCE_PATH = `metadata.labels["${PSS_ENFORCE_LABEL}"]`;

export function namespaceModelOf(type: string, props: unknown, resourceName: string): KubernetesNamespaceModel | undefined {
    const k = type.startsWith("kubernetes:core/") ? kindOrPatchIn(type, ["Namespace"]) : undefined;
    if (k === undefined) return undefined;
    return {
        patch: k.patch,
        name: objectMeta(props, resourceName).name,
        enforce: str(field(at(props, "metadata.labels"), PSS_ENFORCE_LABEL)),
        paths: { enforce: ENFORCE_PATH },
    };
}

export function serviceModelOf(type: string, props: unknown, resourceName: string): KubernetesServiceModel | undefined {
    const k = type.startsWith("kubernetes:core/") ? kindOrPatchIn(type, ["Service"]) : undefined;
    if (k === undefined) return undefined;
    const { name, namespace } = objectMeta(props, resourceName);
    const spec = field(props, "spec");
    return {
        patch: k.patch,
        name,
        namespace,
        type: str(field(spec, "type")),
        externalIPs: strList(field(spec, "externalIPs")),
        paths: { type: "spec.type", externalIPs: "spec.externalIPs" },
    };
}

export function ingressModelOf(type: string, props: unknown, resourceName: string): KubernetesIngressModel | undefined {
    if (!/^kubernetes:(networking\.k8s\.io|extensions)\//.test(type) || kindIn(type, ["Ingress"]) === undefined) return undefined;
    const { name, namespace } = objectMeta(props, resourceName);
    const spec = field(props, "spec");
    const backend = (k: string) => {
        const b = field(spec, k);
        return b !== undefined && b !== null;
    };
    return {
        name,
        namespace,
        rules: objList(field(spec, "rules"), "spec.rules", (e, path): IngressRuleHost => ({ path: `${path}.host`, host: entryStr(e, "host") })),
        tls: objList(field(spec, "tls"), "spec.tls", (e, path): IngressTls => ({ path: `${path}.hosts`, hosts: entryList(e, "hosts") })),
        hasDefaultBackend: backend("defaultBackend") || backend("backend"),
    };
}

/**
 * A Secret's payloads. `secretValues` are the strings that arrived as Pulumi secrets, when the source keeps the
 * markers; without them (the pack's Analyze) every payload is "undecidable".
 */
export function secretModelOf(
    type: string,
    props: unknown,
    resourceName: string,
    secretValues: readonly string[] | undefined,
): KubernetesSecretModel | undefined {
    if (!type.startsWith("kubernetes:core/")) return undefined;
    const kind = kindIn(type, ["Secret", "SecretPatch"]);
    if (kind === undefined) return undefined;
    const { name, namespace } = objectMeta(props, resourceName);
    const secretSet = secretValues === undefined ? undefined : new Set(secretValues);
    const payload = (f: "data" | "stringData"): SecretPayload | undefined => {
        const v = field(props, f);
        if (v === undefined || v === null) return undefined;
        if (v === UNKNOWN || v instanceof Invalid) return { field: f, plaintextKeys: v };
        if (!isObj(v)) return { field: f, plaintextKeys: new Invalid("a map of keys to strings", Array.isArray(v) ? "an array" : typeof v) };
        if (secretSet === undefined) return { field: f, plaintextKeys: "undecidable" };
        const plain: string[] = [];
        for (const [k, value] of Object.entries(v)) {
            // An unknown or empty value carries nothing to leak; a value is plaintext unless it arrived as a secret.
            if (typeof value === "string" && value !== "" && !secretSet.has(value)) plain.push(k);
        }
        return { field: f, plaintextKeys: plain };
    };
    const payloads: SecretPayload[] = [];
    for (const f of ["data", "stringData"] as const) {
        const p = payload(f);
        if (p) payloads.push(p);
    }
    return { kind, name, namespace, payloads };
}

/** A ConfigMap's `data` entries (keys as written; a key with an unusual name is shown as `data`). */
export function configMapModelOf(type: string, props: unknown, resourceName: string): KubernetesConfigMapModel | undefined {
    if (!type.startsWith("kubernetes:core/")) return undefined;
    const kind = kindIn(type, ["ConfigMap", "ConfigMapPatch"]);
    if (kind === undefined) return undefined;
    const { name, namespace } = objectMeta(props, resourceName);
    const v = field(props, "data");
    let data: KubernetesConfigMapModel["data"];
    if (v === undefined || v === null) data = undefined;
    else if (v === UNKNOWN || v instanceof Invalid) data = v;
    else if (!isObj(v)) data = new Invalid("a map of keys to strings", Array.isArray(v) ? "an array" : typeof v);
    else {
        const entries: ConfigMapEntry[] = [];
        for (const [key, value] of Object.entries(v)) {
            const path = /^[\w.-]{1,253}$/.test(key) ? `data["${key}"]` : "data";
            entries.push({
                key,
                value: value === UNKNOWN ? UNKNOWN : typeof value === "string" ? value : value === null ? undefined : new Invalid("a string", typeof value),
                path,
            });
        }
        data = entries;
    }
    return { kind, name, namespace, data };
}
