import { hostsOf, StackResourceInput } from "../adapters/host-files";
import { StackModel } from "./control";

/** Indexes the stack once; every stack control reads the same model. */
export function buildStackModel(resources: readonly StackResourceInput[]): StackModel {
    return { hosts: hostsOf(resources) };
}
