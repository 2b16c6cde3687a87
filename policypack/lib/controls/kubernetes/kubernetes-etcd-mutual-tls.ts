import { stackControl } from "../../contract/control";
import { itemsOf } from "../../adapters/kubernetes/flags";
import { checkFlagRules, equals, FlagRule, Judge, notTrue, present } from "../shared/control-plane-rules";

const E = "etcd" as const;
const A = "kube-apiserver" as const;

/** Every URL of a URL-list flag is https; unset means etcd's default, plain http on localhost. */
export function httpsOnly(defaultUrl?: string): Judge {
    return (v, all) => {
        if (v === undefined) return defaultUrl ? `is unset (the default is ${defaultUrl})` : undefined;
        const plain = itemsOf(all).filter((u) => !/^(https|unixs):\/\//i.test(u));
        return plain.length > 0 ? `has ${plain.length} URL(s) without TLS (${plain.map((u) => u.replace(/\/\/[^@/]*@/, "//")).join(", ")})` : undefined;
    };
}

/** CIS Kubernetes 2.1–2.7 (etcd), 1.2.23 and 1.2.26 (the API server as etcd client). */
export const ETCD_TLS_RULES: readonly FlagRule[] = [
    {
        kind: E,
        flag: "cert-file",
        cis: "2.1",
        judge: present,
        why: "clients talk to etcd in plain text, so every Secret crosses the network readable",
        fix: "--cert-file=/etc/kubernetes/pki/etcd/server.crt",
    },
    {
        kind: E,
        flag: "key-file",
        cis: "2.1",
        judge: present,
        why: "etcd cannot serve TLS without its key",
        fix: "--key-file=/etc/kubernetes/pki/etcd/server.key",
    },
    {
        kind: E,
        flag: "client-cert-auth",
        cis: "2.2",
        judge: equals("true", "the default is false"),
        why: "anyone who reaches port 2379 can read and write the whole cluster state, Secrets included",
        fix: "--client-cert-auth=true",
    },
    {
        kind: E,
        flag: "auto-tls",
        cis: "2.3",
        judge: notTrue,
        why: "self-signed, unverified certificates let anyone on the path impersonate etcd",
        fix: "--auto-tls=false (or remove it)",
    },
    {
        kind: E,
        flag: "peer-cert-file",
        cis: "2.4",
        judge: present,
        why: "etcd members replicate the cluster state to each other in plain text",
        fix: "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt",
    },
    {
        kind: E,
        flag: "peer-key-file",
        cis: "2.4",
        judge: present,
        why: "etcd members cannot use peer TLS without a key",
        fix: "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key",
    },
    {
        kind: E,
        flag: "peer-client-cert-auth",
        cis: "2.5",
        judge: equals("true", "the default is false"),
        why: "any host can join as a member and receive the whole cluster state",
        fix: "--peer-client-cert-auth=true",
    },
    {
        kind: E,
        flag: "peer-auto-tls",
        cis: "2.6",
        judge: notTrue,
        why: "self-signed, unverified peer certificates let anyone impersonate a member",
        fix: "--peer-auto-tls=false (or remove it)",
    },
    {
        kind: E,
        flag: "trusted-ca-file",
        cis: "2.7",
        judge: present,
        why: "without its own CA etcd cannot verify client certificates (use a CA dedicated to etcd, so cluster certificates do not open etcd)",
        fix: "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
    },
    {
        kind: E,
        flag: "listen-client-urls",
        judge: httpsOnly("http://localhost:2379"),
        why: "clients on those URLs talk to etcd without TLS or client certificates",
        fix: "--listen-client-urls with https:// URLs only",
    },
    {
        kind: E,
        flag: "advertise-client-urls",
        judge: httpsOnly(),
        why: "clients are told to connect without TLS",
        fix: "--advertise-client-urls with https:// URLs only",
    },
    {
        kind: E,
        flag: "listen-peer-urls",
        judge: httpsOnly("http://localhost:2380"),
        why: "members replicate over those URLs without TLS",
        fix: "--listen-peer-urls with https:// URLs only",
    },
    {
        kind: A,
        flag: "etcd-certfile",
        cis: "1.2.23",
        judge: present,
        why: "the API server cannot authenticate to etcd, which must then accept unauthenticated clients",
        fix: "--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt",
    },
    {
        kind: A,
        flag: "etcd-keyfile",
        cis: "1.2.23",
        judge: present,
        why: "the API server cannot authenticate to etcd",
        fix: "--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key",
    },
    {
        kind: A,
        flag: "etcd-cafile",
        cis: "1.2.26",
        judge: present,
        why: "the API server does not verify etcd's certificate, so an impostor can serve it forged cluster state",
        fix: "--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt",
    },
    {
        kind: A,
        flag: "etcd-servers",
        judge: httpsOnly(),
        why: "the API server sends the cluster state, Secrets included, to etcd without TLS",
        fix: "--etcd-servers with https:// URLs only",
    },
];

export default stackControl<Record<string, never>>({
    id: "kubernetes-etcd-mutual-tls",
    title: "etcd serves and peers over mutual TLS, and the API server uses it",
    description:
        "Information disclosure: etcd holds every Secret. Without TLS and client certificate authentication on its client and peer ports, anyone who reaches them reads or rewrites the cluster state.",
    stride: "I",
    targets: ["kubernetes"],
    refs: { kubernetes: ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "1.2.23", "1.2.26"] },
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "etcd: set `--cert-file`, `--key-file`, `--client-cert-auth=true`, `--trusted-ca-file`, `--peer-cert-file`, `--peer-key-file`, `--peer-client-cert-auth=true`, https:// client and peer URLs, and no `--auto-tls`/`--peer-auto-tls` (kubeadm's local etcd does all of this).",
        "kube-apiserver: set `--etcd-certfile`, `--etcd-keyfile`, `--etcd-cafile` and https:// `--etcd-servers` (kubeadm: `etcd.external.{certFile,keyFile,caFile}` for an external etcd).",
    ],
    config: {},
    scope: "stack",
    check(stack) {
        return checkFlagRules(stack.controlPlane, ETCD_TLS_RULES);
    },
});
