/**
 * API server audit Policy (CIS Kubernetes 3.2.1, 3.2.2). Pure.
 */
import { stringify } from "yaml";

export type AuditLevel = "None" | "Metadata" | "Request" | "RequestResponse";

export interface AuditPolicyOptions {
    /** Level for Secrets, ConfigMaps and TokenReviews: their bodies hold credentials, so never above Metadata. */
    sensitive: AuditLevel;
    /** Level for create/update/patch/delete of everything else. */
    changes: AuditLevel;
    /** Level for everything else (reads, watches). */
    rest: AuditLevel;
}

export const HARDENED_AUDIT_POLICY: AuditPolicyOptions = { sensitive: "Metadata", changes: "Request", rest: "Metadata" };

export const MUTATING_VERBS = ["create", "update", "patch", "delete", "deletecollection"];

export function auditPolicyObject(o: AuditPolicyOptions): Record<string, unknown> {
    return {
        apiVersion: "audit.k8s.io/v1",
        kind: "Policy",
        omitStages: ["RequestReceived"],
        rules: [
            {
                level: o.sensitive,
                resources: [
                    { group: "", resources: ["secrets", "configmaps"] },
                    { group: "authentication.k8s.io", resources: ["tokenreviews"] },
                ],
            },
            { level: o.changes, verbs: [...MUTATING_VERBS] },
            { level: o.rest },
        ],
    };
}

export function renderAuditPolicy(o: AuditPolicyOptions): string {
    return stringify(auditPolicyObject(o));
}
