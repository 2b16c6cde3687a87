/**
 * Cluster-object fixtures: RBAC, namespaces, network policies, services, ingresses, secrets, quotas, service
 * accounts and providers, each hardened by default, plus a whole hardened namespace for the stack controls.
 */
import type * as k8s from "@pulumi/kubernetes";
import { podSpec, workload } from "./fixtures";
import type { Control } from "stride-guard/lib/contract/control";
import type { Outcome } from "stride-guard/lib/engine/evaluate";
import { Res, run, urnOf } from "./run-control";

type Loose<T> = { [K in keyof T]?: unknown };
type Rule = Loose<k8s.types.input.rbac.v1.PolicyRule>;
type Subject = Loose<k8s.types.input.rbac.v1.Subject>;

export const RBAC = "kubernetes:rbac.authorization.k8s.io/v1";

function object(type: string, name: string, namespace: unknown, body: Record<string, unknown>, labels?: Record<string, string>, resourceName = name): Res {
    const metadata = { name, ...(namespace !== undefined ? { namespace } : {}), ...(labels ? { labels } : {}) };
    return { type, name: resourceName, props: { metadata, ...body } };
}

export function clusterRole(name: string, rules: readonly unknown[] | unknown, extra: Record<string, unknown> = {}): Res {
    return object(`${RBAC}:ClusterRole`, name, undefined, { rules, ...extra });
}

export function role(name: string, namespace: string, rules: readonly unknown[] | unknown): Res {
    return object(`${RBAC}:Role`, name, namespace, { rules });
}

export const READ_CONFIGMAPS: Rule = { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] };

export const user = (name: string): Subject => ({ kind: "User", name, apiGroup: "rbac.authorization.k8s.io" });
export const group = (name: string): Subject => ({ kind: "Group", name, apiGroup: "rbac.authorization.k8s.io" });
export const serviceAccountSubject = (namespace: string, name: string): Subject => ({ kind: "ServiceAccount", name, namespace });

export function clusterRoleBinding(name: string, roleName: unknown, subjects: unknown, roleKind: unknown = "ClusterRole"): Res {
    return object(`${RBAC}:ClusterRoleBinding`, name, undefined, {
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: roleKind, name: roleName },
        subjects,
    });
}

export function roleBinding(name: string, namespace: string, roleName: unknown, subjects: unknown, roleKind: unknown = "Role"): Res {
    return object(`${RBAC}:RoleBinding`, name, namespace, { roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: roleKind, name: roleName }, subjects });
}

export function namespaceRes(name: string, labels: Record<string, string> | undefined = { "pod-security.kubernetes.io/enforce": "restricted" }): Res {
    return object("kubernetes:core/v1:Namespace", name, undefined, {}, labels);
}

export function networkPolicy(name: string, namespace: string, spec: unknown): Res {
    return object("kubernetes:networking.k8s.io/v1:NetworkPolicy", name, namespace, { spec });
}

export const DENY_ALL = { podSelector: {}, policyTypes: ["Ingress", "Egress"] };

export function service(name: string, namespace: string, spec: Record<string, unknown> = {}): Res {
    return object("kubernetes:core/v1:Service", name, namespace, { spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }], ...spec } });
}

export function ingress(name: string, namespace: string, spec: unknown, type = "kubernetes:networking.k8s.io/v1:Ingress"): Res {
    return object(type, name, namespace, { spec });
}

const backend = { service: { name: "web", port: { number: 80 } } };
export const ingressRule = (host?: unknown) => ({ ...(host !== undefined ? { host } : {}), http: { paths: [{ path: "/", pathType: "Prefix", backend }] } });

export function secretRes(name: string, namespace: string, body: Record<string, unknown>, kind = "Secret"): Res {
    return object(`kubernetes:core/v1:${kind}`, name, namespace, { type: "Opaque", ...body });
}

export function resourceQuota(namespace: string): Res {
    return object("kubernetes:core/v1:ResourceQuota", `quota-${namespace}`, namespace, {
        spec: { hard: { "requests.cpu": "4", "requests.memory": "8Gi", pods: "50" } },
    });
}

export function limitRange(namespace: string): Res {
    return object("kubernetes:core/v1:LimitRange", `limits-${namespace}`, namespace, {
        spec: { limits: [{ type: "Container", default: { memory: "256Mi" }, defaultRequest: { cpu: "100m", memory: "128Mi" } }] },
    });
}

export function serviceAccount(namespace: string, name: string, automount?: unknown): Res {
    const body = automount === undefined ? {} : { automountServiceAccountToken: automount };
    return object("kubernetes:core/v1:ServiceAccount", name, namespace, body, undefined, `${namespace}-${name}`);
}

/** A hardened namespace: PSS restricted, default-deny both ways, quota, limit range, default SA without token, one workload. */
export function hardenedNamespace(ns = "shop", workloadName = "api"): Res[] {
    return [
        namespaceRes(ns),
        networkPolicy(`deny-all-${ns}`, ns, DENY_ALL),
        resourceQuota(ns),
        limitRange(ns),
        serviceAccount(ns, "default", false),
        workload("Deployment", podSpec(), workloadName, ns),
    ];
}

/** A Res that depends on others (by URN), as the engine reports. */
export function dependingOn(r: Res, ...deps: Res[]): Res {
    return { ...r, dependencies: deps.map(urnOf) };
}

export interface KubeconfigOptions {
    server?: string;
    insecure?: boolean;
    user?: Record<string, unknown>;
    currentContext?: string;
    extraClusters?: { name: string; server: string; insecure?: boolean }[];
}

/** Kubeconfig text: one cluster "prod" reached through context "prod" as user "deployer" (an exec plugin by default). */
export function kubeconfigYaml(o: KubeconfigOptions = {}): string {
    const cluster = (name: string, server: string, insecure?: boolean) =>
        `- name: ${name}\n  cluster:\n    server: ${server}\n` +
        (insecure ? `    insecure-skip-tls-verify: true\n` : `    certificate-authority-data: ${Buffer.from("ca").toString("base64")}\n`);
    const userBody = o.user ?? {
        exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", "prod"] },
    };
    return [
        "apiVersion: v1",
        "kind: Config",
        `current-context: ${o.currentContext ?? "prod"}`,
        "clusters:",
        cluster("prod", o.server ?? "https://prod.example.com:6443", o.insecure),
        ...(o.extraClusters ?? []).map((c) => cluster(c.name, c.server, c.insecure)),
        "contexts:",
        "- name: prod\n  context:\n    cluster: prod\n    user: deployer",
        "users:",
        `- name: deployer\n  user: ${JSON.stringify(userBody)}`,
        "",
    ].join("\n");
}

export function provider(props: Record<string, unknown>, name = "prod"): Res {
    return { type: "pulumi:providers:kubernetes", name, props };
}

/** What a control decided: its violations and unknown paths (the evaluator may add bookkeeping beside them). */
export function outcome(control: Control, resources: Res | readonly Res[], settings: object = {}): Pick<Outcome, "violations" | "unknownPaths"> {
    const o = run(control, resources, settings);
    return { violations: o.violations, unknownPaths: o.unknownPaths };
}
