/** Builds the stack model every stack control of a call reads, from the domains' adapters. */
import { hostsOf } from "../adapters/host-files";
import { dockerPlatformStack } from "../adapters/docker/stack";
import { controlPlaneOf } from "../adapters/kubernetes/control-plane";
import { kubernetesClusterOf } from "../adapters/kubernetes/cluster-index";
import type { StackModel, StackResourceInput } from "../contract/stack";

export function buildStackModel(resources: readonly StackResourceInput[]): StackModel {
    const hosts = hostsOf(resources);
    return {
        resources,
        hosts,
        controlPlane: controlPlaneOf(resources, hosts),
        kubernetesCluster: kubernetesClusterOf(resources),
        ...dockerPlatformStack({ resources, hosts }),
    };
}
