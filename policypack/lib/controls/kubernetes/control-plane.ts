import { Control } from "../../core/control";
import kubernetesApiserverAuthentication from "./kubernetes-apiserver-authentication";

/** Controls over kube-apiserver, etcd, controller-manager, scheduler and kubelet settings, and control-plane files. */
export const KUBERNETES_CONTROL_PLANE_CONTROLS: readonly Control[] = [kubernetesApiserverAuthentication];
