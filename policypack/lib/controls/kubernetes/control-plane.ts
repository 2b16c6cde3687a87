import { Control } from "../../contract/control";
import kubernetesApiserverAdmissionPlugins from "./kubernetes-apiserver-admission-plugins";
import kubernetesApiserverAdmissionRecommended from "./kubernetes-apiserver-admission-recommended";
import kubernetesApiserverAuthentication from "./kubernetes-apiserver-authentication";
import kubernetesApiserverServiceAccountTokens from "./kubernetes-apiserver-service-account-tokens";
import kubernetesApiserverTls from "./kubernetes-apiserver-tls";
import kubernetesAuditLogging from "./kubernetes-audit-logging";
import kubernetesControlPlaneDosProtection from "./kubernetes-control-plane-dos-protection";
import kubernetesControlPlaneProfilingAndBinds from "./kubernetes-control-plane-profiling-and-binds";
import kubernetesControllerManagerHardening from "./kubernetes-controller-manager-hardening";
import kubernetesEncryptionAtRest from "./kubernetes-encryption-at-rest";
import kubernetesEtcdMutualTls from "./kubernetes-etcd-mutual-tls";
import kubernetesFilesPermissions from "./kubernetes-files-permissions";
import kubernetesKubeletAuthentication from "./kubernetes-kubelet-authentication";
import kubernetesKubeletCertificateRotation from "./kubernetes-kubelet-certificate-rotation";
import kubernetesKubeletPodPidsLimit from "./kubernetes-kubelet-pod-pids-limit";
import kubernetesKubeletTls from "./kubernetes-kubelet-tls";

/** Controls over kube-apiserver, etcd, controller-manager, scheduler and kubelet settings, and control-plane files; in STRIDE order. */
export const KUBERNETES_CONTROL_PLANE_CONTROLS: readonly Control[] = [
    kubernetesApiserverAuthentication,
    kubernetesKubeletAuthentication,
    kubernetesApiserverServiceAccountTokens,
    kubernetesFilesPermissions,
    kubernetesApiserverAdmissionPlugins,
    kubernetesApiserverAdmissionRecommended,
    kubernetesAuditLogging,
    kubernetesEncryptionAtRest,
    kubernetesEtcdMutualTls,
    kubernetesApiserverTls,
    kubernetesKubeletTls,
    kubernetesControlPlaneProfilingAndBinds,
    kubernetesControlPlaneDosProtection,
    kubernetesKubeletPodPidsLimit,
    kubernetesControllerManagerHardening,
    kubernetesKubeletCertificateRotation,
];
