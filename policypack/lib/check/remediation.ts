/**
 * The remediation steps a finding shows, in the syntax of the source that was scanned: controls write
 * their steps for Pulumi inputs first and add one step per other syntax ("Compose: …; docker run: …").
 * A finding on a Compose service or an engine's container moves that step to the front, so the fix a
 * reader sees first (`fix:` in text output) is one they can apply to what they scanned.
 */
const SOURCE_STEP: Readonly<Record<string, (step: string) => boolean>> = {
    "compose:service": (s) => s.startsWith("Compose:"),
    "docker:engine/container": (s) => s.includes("docker run:"),
};

const cache = new WeakMap<readonly string[], Map<string, readonly string[]>>();

/** `steps` with the one written for `resourceType`'s syntax first (the same array when there is none). */
export function remediationFor(steps: readonly string[], resourceType: string): readonly string[] {
    const isOwn = Object.prototype.hasOwnProperty.call(SOURCE_STEP, resourceType) ? SOURCE_STEP[resourceType] : undefined;
    if (isOwn === undefined) return steps;
    let byType = cache.get(steps);
    if (byType === undefined) cache.set(steps, (byType = new Map()));
    let out = byType.get(resourceType);
    if (out === undefined) {
        const i = steps.findIndex(isOwn);
        out = i <= 0 ? steps : [steps[i], ...steps.slice(0, i), ...steps.slice(i + 1)];
        byType.set(resourceType, out);
    }
    return out;
}
