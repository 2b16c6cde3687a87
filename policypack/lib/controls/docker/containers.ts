import { Control } from "../../core/control";
import dockerContainerCapabilities from "./docker-container-capabilities";
import dockerContainerCpuLimit from "./docker-container-cpu-limit";
import dockerContainerDefaultBridge from "./docker-container-default-bridge";
import dockerContainerDockerSocket from "./docker-container-docker-socket";
import dockerContainerEnvSecrets from "./docker-container-env-secrets";
import dockerContainerHealthcheck from "./docker-container-healthcheck";
import dockerContainerHostDevices from "./docker-container-host-devices";
import dockerContainerHostNamespaces from "./docker-container-host-namespaces";
import dockerContainerMemoryLimit from "./docker-container-memory-limit";
import dockerContainerMountPropagation from "./docker-container-mount-propagation";
import dockerContainerNoNewPrivileges from "./docker-container-no-new-privileges";
import dockerContainerNonRootUser from "./docker-container-non-root-user";
import dockerContainerNotPrivileged from "./docker-container-not-privileged";
import dockerContainerPidsLimit from "./docker-container-pids-limit";
import dockerContainerPublishedPorts from "./docker-container-published-ports";
import dockerContainerReadOnlyRootfs from "./docker-container-read-only-rootfs";
import dockerContainerRestartOnFailure from "./docker-container-restart-on-failure";
import dockerContainerSelinux from "./docker-container-selinux";
import dockerContainerSecurityProfiles from "./docker-container-security-profiles";
import dockerContainerSensitiveHostPaths from "./docker-container-sensitive-host-paths";
import dockerContainerUlimits from "./docker-container-ulimits";

/** Controls over Docker containers and Swarm service tasks, by STRIDE letter. */
export const DOCKER_CONTAINER_CONTROLS: readonly Control[] = [
    // T
    dockerContainerReadOnlyRootfs,
    dockerContainerMountPropagation,
    // I
    dockerContainerSensitiveHostPaths,
    dockerContainerDockerSocket,
    dockerContainerPublishedPorts,
    dockerContainerEnvSecrets,
    dockerContainerDefaultBridge,
    // D
    dockerContainerMemoryLimit,
    dockerContainerCpuLimit,
    dockerContainerPidsLimit,
    dockerContainerRestartOnFailure,
    dockerContainerHealthcheck,
    dockerContainerUlimits,
    // E
    dockerContainerNotPrivileged,
    dockerContainerNonRootUser,
    dockerContainerNoNewPrivileges,
    dockerContainerCapabilities,
    dockerContainerHostNamespaces,
    dockerContainerSecurityProfiles,
    dockerContainerSelinux,
    dockerContainerHostDevices,
];
