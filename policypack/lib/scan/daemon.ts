/**
 * The daemon's own settings as `GET /info` exposes them, checked by the daemon controls that read
 * `stack.dockerHosts` (the same controls that check a daemon.json a stack writes).
 *
 * /info exposes: user-namespace remapping (`SecurityOptions` "name=userns"), live restore
 * (`LiveRestoreEnabled`), insecure registries (`RegistryConfig`), the default log driver and, on newer
 * engines, "name=no-new-privileges". Settings it does not expose (icc, userland-proxy, log options, TLS,
 * and no-new-privileges on engines that do not list it) are unknown here and are not reported.
 */
import { Control } from "../core/control";
import { evaluateStack, Settings } from "../core/evaluate";
import { CommonSettings } from "../core/settings";
import { buildStackModel, StackModel } from "../core/stack";
import { UNKNOWN, V } from "../core/values";
import { DaemonSettings, DockerHostModel } from "../model/docker-daemon";
import { PolicyConfigEntry } from "../config/reconcile";
import { defaultsOf, settingsFrom } from "../pack";
import { findingOf, ReportFinding } from "../check/report";

/** Daemon controls whose every reading of a host is a daemon setting (no files, no containers). */
export const ENGINE_DAEMON_CONTROLS: readonly string[] = ["docker-daemon-hardening", "docker-daemon-icc-disabled"];

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Registries a default engine always treats as insecure: loopback. */
const LOOPBACK = new Set(["127.0.0.0/8", "::1/128"]);

/** /info → daemon settings, UNKNOWN where /info says nothing. */
export function daemonSettingsOfInfo(info: Record<string, unknown>): DaemonSettings {
    const secOpts = Array.isArray(info["SecurityOptions"]) ? (info["SecurityOptions"] as unknown[]).filter((s): s is string => typeof s === "string") : undefined;
    const names = new Set((secOpts ?? []).map((s) => /(?:^|,)name=([^,]+)/.exec(s)?.[1]).filter((s): s is string => s !== undefined));
    const rc = info["RegistryConfig"];
    let insecure: V<readonly string[]> = UNKNOWN;
    if (isRecord(rc)) {
        const list: string[] = [];
        for (const cidr of Array.isArray(rc["InsecureRegistryCIDRs"]) ? rc["InsecureRegistryCIDRs"] : []) {
            if (typeof cidr === "string" && !LOOPBACK.has(cidr)) list.push(cidr);
        }
        if (isRecord(rc["IndexConfigs"])) {
            for (const [name, ic] of Object.entries(rc["IndexConfigs"])) if (isRecord(ic) && ic["Secure"] === false) list.push(name);
        }
        insecure = list;
    }
    const live = info["LiveRestoreEnabled"];
    const logDriver = info["LoggingDriver"];
    return {
        icc: UNKNOWN,
        userlandProxy: UNKNOWN,
        usernsRemap: secOpts === undefined ? UNKNOWN : names.has("userns") ? "(remapped)" : undefined,
        noNewPrivileges: names.has("no-new-privileges") ? true : UNKNOWN,
        liveRestore: typeof live === "boolean" ? live : UNKNOWN,
        insecureRegistries: insecure,
        hosts: UNKNOWN,
        tls: UNKNOWN,
        tlsVerify: UNKNOWN,
        tlsCaCert: UNKNOWN,
        tlsCert: UNKNOWN,
        tlsKey: UNKNOWN,
        logDriver: typeof logDriver === "string" && logDriver !== "" ? logDriver : UNKNOWN,
        logOpts: UNKNOWN,
    };
}

export interface EngineDaemonResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
}

/** Findings of the daemon controls on the engine's /info; settings /info does not expose are passed over. */
export function checkEngineDaemon(
    info: Record<string, unknown>,
    resource: EngineDaemonResource,
    controls: readonly Control[],
    config: Readonly<Record<string, PolicyConfigEntry>> | undefined,
): ReportFinding[] {
    const host: DockerHostModel = {
        host: resource.name,
        hostname: undefined,
        daemon: { state: "parsed", settings: daemonSettingsOfInfo(info) },
        anchor: { urn: resource.urn, name: resource.name },
        files: [],
    };
    const stack: StackModel = { ...buildStackModel([]), dockerHosts: [host] };
    const findings: ReportFinding[] = [];
    for (const c of controls) {
        if (c.scope !== "stack" || !ENGINE_DAEMON_CONTROLS.includes(c.id)) continue;
        const entry = config?.[c.id];
        const level = entry?.enforcementLevel ?? c.enforcementLevel;
        if (level === "disabled") continue;
        // What /info cannot tell is not a finding: the settings are the live daemon's, not a preview's unknowns.
        const settings = { ...settingsFrom(defaultsOf(c), entry?.properties), unknownValues: "pass" } as Settings<CommonSettings>;
        const out = evaluateStack(c, stack, settings);
        for (const v of out.violations) findings.push(findingOf(c, level === "advisory" ? "advisory" : "mandatory", { urn: resource.urn, type: resource.type, name: resource.name }, v.message));
    }
    return findings;
}
