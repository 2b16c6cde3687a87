/**
 * AdmissionConfiguration for --admission-control-config-file: EventRateLimit (CIS Kubernetes 1.2.9) and
 * PodSecurity defaults for namespaces without labels. Pure.
 */
import { stringify } from "yaml";

export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

export interface AdmissionConfigOptions {
    /** Default Pod Security level (enforce, audit and warn) for namespaces that set none. */
    podSecurity: PodSecurityLevel;
    /** Namespaces exempt from Pod Security (system add-ons such as kube-proxy and the CNI need privileges). */
    exemptNamespaces: string[];
    eventRateLimits: { type: "Server" | "Namespace" | "User" | "SourceAndObject"; qps: number; burst: number; cacheSize?: number }[];
}

export const HARDENED_ADMISSION: AdmissionConfigOptions = {
    podSecurity: "restricted",
    exemptNamespaces: ["kube-system"],
    eventRateLimits: [
        { type: "Server", qps: 50, burst: 100 },
        { type: "Namespace", qps: 10, burst: 50, cacheSize: 2000 },
    ],
};

export function admissionConfigObject(o: AdmissionConfigOptions): Record<string, unknown> {
    const level = o.podSecurity;
    return {
        apiVersion: "apiserver.config.k8s.io/v1",
        kind: "AdmissionConfiguration",
        plugins: [
            {
                name: "EventRateLimit",
                configuration: {
                    apiVersion: "eventratelimit.admission.k8s.io/v1alpha1",
                    kind: "Configuration",
                    limits: o.eventRateLimits.map((l) => ({ ...l })),
                },
            },
            {
                name: "PodSecurity",
                configuration: {
                    apiVersion: "pod-security.admission.config.k8s.io/v1",
                    kind: "PodSecurityConfiguration",
                    defaults: {
                        enforce: level,
                        "enforce-version": "latest",
                        audit: level,
                        "audit-version": "latest",
                        warn: level,
                        "warn-version": "latest",
                    },
                    exemptions: { usernames: [], runtimeClasses: [], namespaces: [...o.exemptNamespaces] },
                },
            },
        ],
    };
}

export function renderAdmissionConfig(o: AdmissionConfigOptions): string {
    return stringify(admissionConfigObject(o));
}
