import { AdapterTable } from "../../core/subject";

/** Subjects of cluster objects (RBAC, namespaces, services, ingresses, secrets, providers). */
export const KUBERNETES_CLUSTER_ADAPTERS: AdapterTable<never> = {};
