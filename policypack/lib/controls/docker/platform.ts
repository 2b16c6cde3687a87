import { Control } from "../../core/control";
import dockerDaemonAuditing from "./docker-daemon-auditing";
import dockerDaemonHardening from "./docker-daemon-hardening";
import dockerDaemonIccDisabled from "./docker-daemon-icc-disabled";
import dockerDaemonSwarmMode from "./docker-daemon-swarm-mode";
import dockerEndpointMutualTls from "./docker-endpoint-mutual-tls";
import dockerHostConfigured from "./docker-host-configured";
import dockerHostDataRootPartition from "./docker-host-data-root-partition";
import dockerImageCopyNotAdd from "./docker-image-copy-not-add";
import dockerImageNoBuildSecrets from "./docker-image-no-build-secrets";
import dockerImageNonRootUser from "./docker-image-non-root-user";
import dockerImagePinned from "./docker-image-pinned";
import dockerLoggingConfigured from "./docker-logging-configured";
import dockerNetworkIccDisabled from "./docker-network-icc-disabled";
import dockerProviderTls from "./docker-provider-tls";
import dockerRegistryTls from "./docker-registry-tls";

/** Controls over Docker daemons and hosts, providers and endpoints, images and networks (STRIDE order). */
export const DOCKER_PLATFORM_CONTROLS: readonly Control[] = [
    dockerProviderTls,
    dockerEndpointMutualTls,
    dockerRegistryTls,
    dockerImagePinned,
    dockerImageCopyNotAdd,
    dockerDaemonAuditing,
    dockerLoggingConfigured,
    dockerDaemonIccDisabled,
    dockerNetworkIccDisabled,
    dockerDaemonSwarmMode,
    dockerImageNoBuildSecrets,
    dockerHostDataRootPartition,
    dockerImageNonRootUser,
    dockerDaemonHardening,
    dockerHostConfigured,
];
