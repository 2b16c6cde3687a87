import { Control } from "../../core/control";
import kubernetesIngressTls from "./kubernetes-ingress-tls";
import kubernetesNamespacePodSecurity from "./kubernetes-namespace-pod-security";
import kubernetesNetworkDefaultDeny from "./kubernetes-network-default-deny";
import kubernetesProviderKubeconfig from "./kubernetes-provider-kubeconfig";
import kubernetesQuotaNamespaceLimits from "./kubernetes-quota-namespace-limits";
import kubernetesRbacAnonymousBinding from "./kubernetes-rbac-anonymous-binding";
import kubernetesRbacBroadSubjects from "./kubernetes-rbac-broad-subjects";
import kubernetesRbacClusterAdminBinding from "./kubernetes-rbac-cluster-admin-binding";
import kubernetesRbacEscalationPermissions from "./kubernetes-rbac-escalation-permissions";
import kubernetesRbacWildcards from "./kubernetes-rbac-wildcards";
import kubernetesSecretDataPulumiSecret from "./kubernetes-secret-data-pulumi-secret";
import kubernetesConfigmapCredentials from "./kubernetes-configmap-credentials";
import kubernetesServiceExposure from "./kubernetes-service-exposure";
import kubernetesServiceaccountDefaultAutomount from "./kubernetes-serviceaccount-default-automount";

/** Controls over cluster objects: providers, RBAC and service accounts, namespaces, network exposure, secrets, quotas. */
export const KUBERNETES_CLUSTER_CONTROLS: readonly Control[] = [
    kubernetesProviderKubeconfig,
    kubernetesServiceaccountDefaultAutomount,
    kubernetesRbacClusterAdminBinding,
    kubernetesRbacAnonymousBinding,
    kubernetesRbacWildcards,
    kubernetesRbacEscalationPermissions,
    kubernetesRbacBroadSubjects,
    kubernetesNamespacePodSecurity,
    kubernetesNetworkDefaultDeny,
    kubernetesServiceExposure,
    kubernetesIngressTls,
    kubernetesSecretDataPulumiSecret,
    kubernetesConfigmapCredentials,
    kubernetesQuotaNamespaceLimits,
];
