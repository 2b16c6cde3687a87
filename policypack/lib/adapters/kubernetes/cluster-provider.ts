import { parse } from "yaml";
import { boolish, field, Invalid, isObj, str, UNKNOWN, V } from "../../kernel/values";
import { ResourceInput } from "../../contract/subject";
import { KubeconfigCluster, KubeconfigUser, KubeconfigView, KubernetesProviderModel } from "../../model/kubernetes-provider";

export const KUBERNETES_PROVIDER = "pulumi:providers:kubernetes";

/** Keys of a kubeconfig user (and its auth-provider config) that embed a credential. */
const EMBEDDED = ["token", "client-key-data", "password"] as const;
const AUTH_PROVIDER_EMBEDDED = ["client-secret", "id-token", "refresh-token", "access-token"] as const;

type Named = { name: string; body: unknown };

/** `clusters: [{name, cluster: {...}}]` → named bodies; entries without a string name are skipped. */
function namedList(doc: unknown, list: string, key: string): Named[] {
    const items = field(doc, list);
    if (!Array.isArray(items)) return [];
    const out: Named[] = [];
    for (const e of items) {
        const name = field(e, "name");
        if (typeof name === "string") out.push({ name, body: field(e, key) });
    }
    return out;
}

function readUser(u: Named, credentials: string[]): KubeconfigUser {
    const embedded: string[] = [];
    for (const k of EMBEDDED) {
        const v = field(u.body, k);
        if (typeof v === "string" && v !== "") {
            embedded.push(k);
            credentials.push(v);
        }
    }
    const apConfig = field(field(u.body, "auth-provider"), "config");
    for (const k of AUTH_PROVIDER_EMBEDDED) {
        const v = field(apConfig, k);
        if (typeof v === "string" && v !== "") {
            embedded.push(`auth-provider.config.${k}`);
            credentials.push(v);
        }
    }
    const username = field(u.body, "username");
    const password = field(u.body, "password");
    return {
        name: u.name,
        basicAuth: (typeof username === "string" && username !== "") || (typeof password === "string" && password !== ""),
        embeddedCredentials: embedded,
    };
}

function readCluster(c: Named): KubeconfigCluster {
    return { name: c.name, server: str(field(c.body, "server")), insecureSkipTlsVerify: boolish(field(c.body, "insecure-skip-tls-verify")) };
}

/** A kubeconfig document (already parsed) → what the provider would use; `credentials` collects embedded credential values. */
export function kubeconfigView(doc: unknown, contextInput: string | undefined, clusterInput: string | undefined, credentials: string[]): V<KubeconfigView> {
    if (!isObj(doc)) return new Invalid("a kubeconfig document", doc === null || doc === undefined ? "an empty document" : typeof doc);
    const clusters = namedList(doc, "clusters", "cluster");
    const users = namedList(doc, "users", "user");
    const contexts = namedList(doc, "contexts", "context");
    const current = field(doc, "current-context");
    const ctxName = contextInput ?? (typeof current === "string" && current !== "" ? current : undefined);
    const ctx = ctxName === undefined ? undefined : contexts.find((c) => c.name === ctxName);
    const clusterName = clusterInput ?? str(field(ctx?.body, "cluster"));
    const userName = str(field(ctx?.body, "user"));
    // A context or cluster that the file does not hold: every entry could be the one in use.
    const pick = <T extends Named>(all: T[], name: V<string>): T[] => {
        const found = typeof name === "string" ? all.filter((x) => x.name === name) : [];
        return found.length > 0 ? found : all;
    };
    const allUsers = users.map((u) => readUser(u, credentials));
    const usedUsers = new Set(pick(users, userName).map((u) => u.name));
    return {
        clusters: pick(clusters, clusterName).map(readCluster),
        users: allUsers.filter((u) => usedUsers.has(u.name)),
        allUsers,
    };
}

/** Parses kubeconfig text (YAML or JSON). Parser messages quote the input, so only the line number is kept. */
export function parseKubeconfig(text: string): unknown {
    try {
        return parse(text, { maxAliasCount: 50, prettyErrors: false, uniqueKeys: false });
    } catch (e) {
        const pos = (e as { pos?: number[] }).pos?.[0];
        const line = typeof pos === "number" ? text.slice(0, pos).split("\n").length : undefined;
        return new Invalid("kubeconfig YAML", line !== undefined ? `a document that does not parse (line ${line})` : "a document that does not parse");
    }
}

/** A kubeconfig input that is a file path rather than content. */
function isPath(s: string): boolean {
    return !s.includes("\n") && !/^\s*[{[]/.test(s) && !/^\s*apiVersion\s*:/.test(s);
}

export function providerModelOf(res: ResourceInput): KubernetesProviderModel | undefined {
    if (res.type !== KUBERNETES_PROVIDER) return undefined;
    const raw = field(res.props, "kubeconfig");
    const context = str(field(res.props, "context"));
    const cluster = str(field(res.props, "cluster"));
    const credentials: string[] = [];
    let kubeconfig: V<KubeconfigView>;
    let isSecret: boolean | "undecidable" = "undecidable";
    if (raw === undefined || raw === null || raw === "") kubeconfig = undefined;
    else if (raw === UNKNOWN || context === UNKNOWN || cluster === UNKNOWN) kubeconfig = UNKNOWN;
    else if (raw instanceof Invalid) kubeconfig = raw;
    else if (context instanceof Invalid || cluster instanceof Invalid) kubeconfig = context instanceof Invalid ? context : (cluster as Invalid);
    else if (typeof raw === "string" && isPath(raw)) kubeconfig = undefined;
    else {
        const doc = typeof raw === "string" ? parseKubeconfig(raw) : raw;
        kubeconfig = doc instanceof Invalid ? doc : kubeconfigView(doc, context, cluster, credentials);
        if (res.secretValues !== undefined) {
            const secrets = new Set(res.secretValues);
            isSecret = typeof raw === "string" ? secrets.has(raw) : credentials.every((c) => secrets.has(c));
        }
    }
    return { name: res.name, kubeconfig, kubeconfigIsSecret: isSecret, paths: { kubeconfig: "kubeconfig" } };
}
