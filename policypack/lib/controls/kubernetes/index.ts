import { Control } from "../../contract/control";
import { KUBERNETES_CLUSTER_CONTROLS } from "./cluster";
import { KUBERNETES_CONTROL_PLANE_CONTROLS } from "./control-plane";
import { KUBERNETES_WORKLOAD_CONTROLS } from "./workloads";

/** Kubernetes controls, in catalog order: control plane, workloads, cluster objects. */
export const KUBERNETES_CONTROLS: readonly Control[] = [...KUBERNETES_CONTROL_PLANE_CONTROLS, ...KUBERNETES_WORKLOAD_CONTROLS, ...KUBERNETES_CLUSTER_CONTROLS];
