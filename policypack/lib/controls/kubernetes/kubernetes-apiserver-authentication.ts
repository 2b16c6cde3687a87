import { stackControl } from "../../contract/control";
import { absent, checkFlagRules, equals, excludes, FlagRule, includes, present } from "../shared/control-plane-rules";

const K = "kube-apiserver" as const;

/** CIS Kubernetes 1.2.1, 1.2.2, 1.2.4–1.2.8, 1.2.25: who may talk to the API server, and as whom. */
export const APISERVER_AUTH_RULES: readonly FlagRule[] = [
    {
        kind: K,
        flag: "anonymous-auth",
        cis: "1.2.1",
        judge: equals("false", "the default is true"),
        why: "unauthenticated requests are served as system:anonymous, and any RBAC binding to it or system:unauthenticated is open to the network",
        fix: "--anonymous-auth=false",
    },
    {
        kind: K,
        flag: "token-auth-file",
        cis: "1.2.2",
        judge: absent,
        why: "static bearer tokens never expire and cannot be revoked without restarting the API server",
        fix: "no --token-auth-file (use client certificates, OIDC or webhook authentication)",
    },
    {
        kind: K,
        flag: "basic-auth-file",
        judge: absent,
        why: "static passwords cannot be rotated or revoked (the flag was removed in 1.19; its presence means an outdated, spoofable setup)",
        fix: "no --basic-auth-file",
    },
    {
        kind: K,
        flag: "kubelet-client-certificate",
        cis: "1.2.4",
        judge: present,
        why: "without a client certificate the API server cannot authenticate to kubelets, which must then accept anonymous requests",
        fix: "--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt",
    },
    {
        kind: K,
        flag: "kubelet-client-key",
        cis: "1.2.4",
        judge: present,
        why: "without a client key the API server cannot authenticate to kubelets",
        fix: "--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key",
    },
    {
        kind: K,
        flag: "kubelet-certificate-authority",
        cis: "1.2.5",
        judge: present,
        why: "the API server does not verify kubelet serving certificates, so anyone on the path can impersonate a kubelet and read exec/attach/log streams",
        fix: "--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt (with kubelet serving certificates signed by it)",
    },
    {
        kind: K,
        flag: "authorization-mode",
        cis: "1.2.6",
        judge: excludes("AlwaysAllow"),
        why: "AlwaysAllow authorizes every authenticated request",
        fix: "--authorization-mode=Node,RBAC",
    },
    {
        kind: K,
        flag: "authorization-mode",
        cis: "1.2.7",
        judge: includes("Node", "the default is AlwaysAllow"),
        why: "without the Node authorizer a kubelet's credentials can read every Secret in the cluster",
        fix: "--authorization-mode=Node,RBAC",
    },
    {
        kind: K,
        flag: "authorization-mode",
        cis: "1.2.8",
        judge: includes("RBAC", "the default is AlwaysAllow"),
        why: "without RBAC permissions cannot be scoped to roles",
        fix: "--authorization-mode=Node,RBAC",
    },
    {
        kind: K,
        flag: "client-ca-file",
        cis: "1.2.25",
        judge: present,
        why: "without a client CA the API server cannot authenticate client certificates (kubelets, controllers, administrators)",
        fix: "--client-ca-file=/etc/kubernetes/pki/ca.crt",
    },
];

export default stackControl<Record<string, never>>({
    id: "kubernetes-apiserver-authentication",
    title: "The API server authenticates every client and authorizes with Node and RBAC",
    description:
        "Spoofing: an API server that accepts anonymous requests, static token files, or AlwaysAllow authorization lets anyone who reaches port 6443 act as a user; without kubelet client certificates and CA, either side of the API server–kubelet link can be impersonated.",
    stride: "S",
    targets: ["kubernetes"],
    refs: { kubernetes: ["1.2.1", "1.2.2", "1.2.4", "1.2.5", "1.2.6", "1.2.7", "1.2.8", "1.2.25"] },
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "In the kube-apiserver flags (static Pod manifest command, or kubeadm ClusterConfiguration `apiServer.extraArgs`) set `--anonymous-auth=false` and `--authorization-mode=Node,RBAC`.",
        "Remove `--token-auth-file` and `--basic-auth-file`; authenticate people with OIDC or client certificates.",
        "Set `--client-ca-file`, `--kubelet-client-certificate`, `--kubelet-client-key` and `--kubelet-certificate-authority` (kubeadm sets all but the last; add `kubelet-certificate-authority: /etc/kubernetes/pki/ca.crt` and enable kubelet `serverTLSBootstrap`).",
    ],
    config: {},
    scope: "stack",
    check(stack) {
        return checkFlagRules(stack.controlPlane, APISERVER_AUTH_RULES);
    },
});
