import { HostModel } from "../model/host";

/** A resource of the stack as stack controls see it (cleaned props, parent and dependencies by URN). */
export interface StackResourceInput {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: unknown;
    readonly parent?: string;
    readonly dependencies?: readonly string[];
    /** URN of the resource's provider (explicit or default), when the engine says. */
    readonly provider?: string;
}

/**
 * Everything a stack control sees, indexed once per AnalyzeStack call. Domains add their part by
 * augmenting this interface beside their model, and a builder in engine/stack-model.ts.
 */
export interface StackModel {
    readonly resources: readonly StackResourceInput[];
    /** Machines the stack writes files to (daemon.json, audit rules, manifests, keys). */
    readonly hosts: readonly HostModel[];
}
