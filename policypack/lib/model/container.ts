import { V } from "../kernel/values";

export type ContainerRole = "container" | "initContainer" | "ephemeralContainer" | "serviceTask";

/**
 * What every container model has, whatever runs it. Every field is read through `V<T>`: a value,
 * nothing, an unknown preview value, or malformed input. `paths` names, for each field, where it
 * lives in the source, so that a message points at the exact field to change.
 */
export interface ContainerBase<F extends string> {
    readonly role: ContainerRole;
    /** Container name as the user knows it (Kubernetes container name, Docker container/service name). */
    readonly name: string;
    readonly image: V<string>;
    readonly privileged: V<boolean>;
    /** Source path of each field, e.g. `memory` or `spec.template.spec.containers[1].securityContext.privileged`. */
    readonly paths: Readonly<Partial<Record<F, string>>>;
}

export function describeContainer(c: { role: ContainerRole; name: string }): string {
    const role = c.role === "container" ? "container" : c.role === "serviceTask" ? "service task" : c.role;
    return `${role} "${c.name}"`;
}

/** A Linux capability as the runtimes read it: "cap_net_admin", " CAP_NET_ADMIN" and "NET_ADMIN" are the same one. */
export function capabilityName(c: string): string {
    const u = c.trim().toUpperCase();
    return u.startsWith("CAP_") ? u.slice(4) : u;
}
