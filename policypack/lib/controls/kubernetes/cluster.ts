import { Control } from "../../core/control";

/** Controls over cluster objects: RBAC, namespaces, services, ingresses, secrets, providers. */
export const KUBERNETES_CLUSTER_CONTROLS: readonly Control[] = [];
