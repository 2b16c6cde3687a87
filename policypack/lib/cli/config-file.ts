import { Control } from "../contract/control";
import { PolicyConfigEntry, reconcilePolicyConfig } from "../config/reconcile";
import { packOf } from "../engine/analyze";
import { parseJsonText } from "../config/json-text";
import { readTextFile, unreadable } from "../scan/sources";

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
            // A regular file only, bounded while reading: `--config /dev/zero` or a FIFO must not hang the gate.
            text = readTextFile(file);
        } catch (e) {
            throw new InputError(`cannot read config file ${file}: ${unreadable(e)}`);
        }
        const parsed = parseJsonText(text);
        // file:line:column and what is wrong, never the text around it: a config may hold a credential.
        if (!parsed.ok) throw new InputError(`${file}:${parsed.line}:${parsed.column}: the config file is not valid JSON: ${parsed.problem}`);
        user = parsed.value;
        // The engine reads a JSON object; anything else is refused here rather than read as "no config".
        if (user === null || typeof user !== "object" || Array.isArray(user)) {
            throw new InputError(
                `config file ${file} must hold a JSON object ({"<control>": …}), not ${user === null ? "null" : Array.isArray(user) ? "an array" : `a ${typeof user}`}`,
            );
        }
    }
    const result = reconcilePolicyConfig(packOf(controls), user);
    if (!result.ok) throw new InputError(result.message);
    return result.config;
}
