import * as fs from "fs";
import { Control } from "../contract/control";
import { PolicyConfigEntry, reconcilePolicyConfig } from "../config/reconcile";
import { packOf } from "../engine/analyze";

/** The command line is wrong: the message is followed by the usage. */
export class UsageError extends Error {}
/** An input (config file, project, stack) is wrong or unreadable: exit 2 with the message alone. */
export class InputError extends Error {}

/** Reads a `--policy-pack-config` style JSON file and reconciles it like the engine (defaults, validation). */
export function loadPolicyConfig(file: string | undefined, controls: readonly Control[]): Record<string, PolicyConfigEntry> {
    let user: unknown = {};
    if (file !== undefined) {
        let text: string;
        try {
            text = fs.readFileSync(file, "utf8");
        } catch (e) {
            throw new InputError(`cannot read config file ${file}: ${(e as NodeJS.ErrnoException).code ?? "error"}`);
        }
        try {
            user = JSON.parse(text);
        } catch (e) {
            throw new InputError(`config file ${file} is not valid JSON: ${(e as Error).message}`);
        }
    }
    const result = reconcilePolicyConfig(packOf(controls), user);
    if (!result.ok) throw new InputError(result.message);
    return result.config;
}
