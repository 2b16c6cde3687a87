import { Control } from "../../core/control";
import kubernetesApparmorNotUnconfined from "./kubernetes-apparmor-not-unconfined";
import kubernetesContainerCapabilities from "./kubernetes-container-capabilities";
import kubernetesContainerResources from "./kubernetes-container-resources";
import kubernetesHardcodedCredentials from "./kubernetes-hardcoded-credentials";
import kubernetesImagePinned from "./kubernetes-image-pinned";
import kubernetesNoHostNamespaces from "./kubernetes-no-host-namespaces";
import kubernetesNoHostPorts from "./kubernetes-no-host-ports";
import kubernetesNoHostpathVolumes from "./kubernetes-no-hostpath-volumes";
import kubernetesNoHostprocess from "./kubernetes-no-hostprocess";
import kubernetesNoPrivilegeEscalation from "./kubernetes-no-privilege-escalation";
import kubernetesNoPrivilegedContainers from "./kubernetes-no-privileged-containers";
import kubernetesNoServiceAccountTokenAutomount from "./kubernetes-no-service-account-token-automount";
import kubernetesNoUnsafeSysctls from "./kubernetes-no-unsafe-sysctls";
import kubernetesPodSecurityDefaults from "./kubernetes-pod-security-defaults";
import kubernetesProcMountDefault from "./kubernetes-proc-mount-default";
import kubernetesReadOnlyRootFilesystem from "./kubernetes-read-only-root-filesystem";
import kubernetesRestrictedVolumeTypes from "./kubernetes-restricted-volume-types";
import kubernetesRunAsNonRoot from "./kubernetes-run-as-non-root";
import kubernetesSeccompProfile from "./kubernetes-seccomp-profile";
import kubernetesSecretsNotInEnv from "./kubernetes-secrets-not-in-env";
import kubernetesSelinuxRestricted from "./kubernetes-selinux-restricted";

/** Controls over pod templates and their containers, by STRIDE: S, T, I, D, then E (PSS baseline, then restricted). */
export const KUBERNETES_WORKLOAD_CONTROLS: readonly Control[] = [
    kubernetesNoServiceAccountTokenAutomount,
    kubernetesNoHostpathVolumes,
    kubernetesImagePinned,
    kubernetesReadOnlyRootFilesystem,
    kubernetesSecretsNotInEnv,
    kubernetesHardcodedCredentials,
    kubernetesContainerResources,
    kubernetesNoPrivilegedContainers,
    kubernetesNoHostNamespaces,
    kubernetesNoHostPorts,
    kubernetesNoHostprocess,
    kubernetesContainerCapabilities,
    kubernetesSeccompProfile,
    kubernetesNoUnsafeSysctls,
    kubernetesProcMountDefault,
    kubernetesApparmorNotUnconfined,
    kubernetesSelinuxRestricted,
    kubernetesPodSecurityDefaults,
    kubernetesNoPrivilegeEscalation,
    kubernetesRunAsNonRoot,
    kubernetesRestrictedVolumeTypes,
];
