import { Finding } from "./control";
import { Invalid, UNKNOWN, V } from "../kernel/values";

/**
 * The finding for a field that cannot be judged: unknown at preview, or malformed.
 * Returns undefined when the value is settled (present or absent), so checks read:
 * `const u = unsettled("memoryBytes", c.memoryBytes); if (u) return [u];`
 */
export function unsettled(fieldName: string, v: V<unknown>): Finding | undefined {
    if (v === UNKNOWN) return { field: fieldName, unknown: true, message: "is unknown at preview, so it cannot be checked yet." };
    if (v instanceof Invalid) return { field: fieldName, message: `is malformed: expected ${v.expected}, got ${v.got}.` };
    return undefined;
}

export const MIB = 1024 * 1024;
