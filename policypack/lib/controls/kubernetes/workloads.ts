import { Control } from "../../core/control";
import kubernetesNoPrivilegedContainers from "./kubernetes-no-privileged-containers";

/** Controls over pod templates and their containers (PSS, resources, images, service accounts). */
export const KUBERNETES_WORKLOAD_CONTROLS: readonly Control[] = [kubernetesNoPrivilegedContainers];
