/** Finding helpers of the Docker daemon stack controls: a host's daemon settings, or the finding that they cannot be judged. */
import type { StackFinding } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { V } from "../../kernel/values";
import { DaemonSetting, DaemonSettings, DAEMON_JSON, DockerHostModel, dockerHostSubject, NO_DAEMON_SETTINGS, settingField } from "../../model/docker-daemon";

/** Names a host's findings go by beside their resource's, for the exemption settings: the host and the resource that configures it. */
export function hostNames(h: DockerHostModel): readonly string[] {
    return [h.host, h.anchor.name];
}

/**
 * The settings dockerd runs with on a host (all defaults when the stack writes no daemon.json),
 * or the one finding that says why they cannot be judged.
 */
export function daemonSettings(h: DockerHostModel): { settings: DaemonSettings; written: boolean } | { finding: StackFinding } {
    const base = { urn: h.anchor.urn, subject: dockerHostSubject(h), names: hostNames(h), field: DAEMON_JSON };
    const d = h.daemon;
    switch (d.state) {
        case "absent":
            return { settings: NO_DAEMON_SETTINGS, written: false };
        case "parsed":
            return { settings: d.settings, written: d.written ?? true };
        case "unknown":
            return { finding: { ...base, unknown: true, message: "content is unknown at preview, so it cannot be checked yet." } };
        case "unreadable":
            return {
                finding: { ...base, message: `cannot be checked: ${d.why}. Write it with content the policy can read (stdin, a heredoc, or a string asset).` },
            };
        case "invalid":
            return { finding: { ...base, message: `is not valid daemon configuration (${d.why}); dockerd refuses to start with it. Fix the file.` } };
        default: {
            const never: never = d;
            return never;
        }
    }
}

/** "(the stack writes no daemon.json, so dockerd's default applies)" or "". */
export function defaultNote(written: boolean): string {
    return written ? "" : ` (the stack sets it neither in ${DAEMON_JSON} nor as a dockerd flag, so dockerd's default applies)`;
}

/** A finding on one daemon.json setting of a host. */
export function settingFinding(h: DockerHostModel, key: DaemonSetting, message: string, unknown = false): StackFinding {
    return { urn: h.anchor.urn, subject: dockerHostSubject(h), names: hostNames(h), field: settingField(h, key), message, ...(unknown ? { unknown } : {}) };
}

/** The finding for a setting that is unknown at preview or malformed, else undefined. */
export function unsettledSetting(h: DockerHostModel, key: DaemonSetting, v: V<unknown>): StackFinding | undefined {
    const u = unsettled(settingField(h, key), v);
    return u ? settingFinding(h, key, u.message, u.unknown === true) : undefined;
}

/**
 * Runs `check` over the daemon settings of every Docker host; a host whose daemon.json cannot be judged
 * (unknown, unreadable, invalid) gets that one finding instead. Every finding carries the host's names.
 */
export function eachDaemon(
    hosts: readonly DockerHostModel[],
    check: (h: DockerHostModel, settings: DaemonSettings, note: string) => readonly StackFinding[],
): StackFinding[] {
    const findings: StackFinding[] = [];
    for (const h of hosts) {
        const d = daemonSettings(h);
        if ("finding" in d) findings.push(d.finding);
        else for (const f of check(h, d.settings, defaultNote(d.written))) findings.push(f.names ? f : { ...f, names: hostNames(h) });
    }
    return findings;
}
