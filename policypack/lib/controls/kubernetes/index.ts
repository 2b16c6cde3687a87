import { Control } from "../../core/control";
import kubernetesNoPrivilegedContainers from "./kubernetes-no-privileged-containers";

/** Kubernetes controls, in catalog order. */
export const KUBERNETES_CONTROLS: readonly Control[] = [kubernetesNoPrivilegedContainers];
