import { hostsOf } from "../adapters/host-files";
import { dockerPlatformStack } from "../adapters/docker/stack";
import { controlPlaneOf } from "../adapters/kubernetes/control-plane";
import { kubernetesClusterOf } from "../adapters/kubernetes/cluster-index";
import { HostModel } from "../model/host";
import type {} from "../model/control-plane";

/** A resource of the stack as stack controls see it (cleaned props, parent and dependencies by URN). */
export interface StackResourceInput {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: unknown;
    readonly parent?: string;
    readonly dependencies?: readonly string[];
    /** URN of the resource's provider (explicit or default), when the engine says. */
    readonly provider?: string;
}

/**
 * Everything a stack control sees, indexed once per AnalyzeStack call. Domains add their part by
 * augmenting this interface and adding a builder below.
 */
export interface StackModel {
    readonly resources: readonly StackResourceInput[];
    /** Machines the stack writes files to (daemon.json, audit rules, manifests, keys). */
    readonly hosts: readonly HostModel[];
}

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
