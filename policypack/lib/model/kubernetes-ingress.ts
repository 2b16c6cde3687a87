import { V } from "../kernel/values";

export interface IngressRuleHost {
    readonly path: string;
    /** undefined: the rule has no host and serves every host name. */
    readonly host: V<string>;
}

export interface IngressTls {
    readonly path: string;
    /** undefined or empty: the certificate serves the controller's default (wildcard) host. */
    readonly hosts: V<readonly string[]>;
}

/** An Ingress: the hosts it serves and the hosts its TLS entries cover. */
export interface KubernetesIngressModel {
    readonly name: string;
    readonly namespace: V<string>;
    readonly rules: V<readonly IngressRuleHost[]>;
    readonly tls: V<readonly IngressTls[]>;
    /** spec.defaultBackend (v1) or spec.backend (v1beta1) is set. */
    readonly hasDefaultBackend: boolean;
}

declare module "../contract/subject" {
    interface SubjectModels {
        /** Ingresses (networking.k8s.io v1 and v1beta1, extensions/v1beta1). */
        readonly kubernetesIngress: KubernetesIngressModel;
    }
}
