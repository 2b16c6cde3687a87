/**
 * The Docker platform controls (stack controls) over what a scan reads: the daemon's own settings as
 * `GET /info` exposes them (`stack.dockerHosts`, as the controls read a daemon.json a stack writes), and
 * the log settings of containers and Compose services (`stack.dockerLogConfigs`).
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
import { Invalid, show, UNKNOWN, V } from "../core/values";
import { DaemonSettings, DockerHostModel } from "../model/docker-daemon";
import { DockerLogConfigModel } from "../model/docker-logging";
import { PolicyConfigEntry } from "../config/reconcile";
import { defaultsOf, settingsFrom } from "../pack";
import { findingOf, ReportFinding } from "../check/report";

/** Stack controls whose every reading is a daemon setting or a container's log settings (no files, no providers). */
export const SCAN_PLATFORM_CONTROLS: readonly string[] = [
    "docker-daemon-hardening",
    "docker-daemon-icc-disabled",
    "docker-logging-configured",
    "docker-daemon-swarm-mode",
];

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Registries a default engine always treats as insecure: loopback. */
const LOOPBACK = new Set(["127.0.0.0/8", "::1/128"]);

/** /info → daemon settings, UNKNOWN where /info says nothing. */
export function daemonSettingsOfInfo(info: Record<string, unknown>): DaemonSettings {
    const secOpts = Array.isArray(info["SecurityOptions"])
        ? (info["SecurityOptions"] as unknown[]).filter((s): s is string => typeof s === "string")
        : undefined;
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
    const driver = info["Driver"];
    const plugins = info["Plugins"];
    const authzList = isRecord(plugins) ? plugins["Authorization"] : undefined;
    // Engines list no Authorization key, or null, when no plugin is set.
    const authz: V<readonly string[]> = !isRecord(plugins)
        ? UNKNOWN
        : Array.isArray(authzList)
          ? authzList.filter((p): p is string => typeof p === "string")
          : authzList === undefined || authzList === null
            ? []
            : UNKNOWN;
    const seccomp = (secOpts ?? [])
        .map((s) => (/(?:^|,)name=seccomp(?:,|$)/.test(s) ? (/(?:^|,)profile=([^,]+)/.exec(s)?.[1] ?? "default") : undefined))
        .find((x) => x !== undefined);
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
        // /info says "Debug" only: debug is log-level debug; otherwise the level is not shown.
        logLevel: info["Debug"] === true ? "debug" : UNKNOWN,
        iptables: UNKNOWN,
        storageDriver: typeof driver === "string" && driver !== "" ? driver : UNKNOWN,
        authorizationPlugins: authz,
        // "name=seccomp,profile=builtin" (or "default"); "unconfined" when the daemon default is off.
        seccompProfile: seccomp === undefined ? UNKNOWN : seccomp === "builtin" || seccomp === "default" ? undefined : seccomp,
        experimental: typeof info["ExperimentalBuild"] === "boolean" ? info["ExperimentalBuild"] : UNKNOWN,
    };
}

/** `Swarm.LocalNodeState` of /info; UNKNOWN when the engine does not say. */
export function swarmStateOfInfo(info: Record<string, unknown>): V<string> {
    const swarm = info["Swarm"];
    const state = isRecord(swarm) ? swarm["LocalNodeState"] : undefined;
    return typeof state === "string" && state !== "" ? state : UNKNOWN;
}

/** Where /info shows each setting it exposes: findings name it, not a daemon.json that was never read. */
const INFO_FIELDS: Readonly<Partial<Record<keyof DaemonSettings, string>>> = {
    usernsRemap: "/info SecurityOptions (userns-remap)",
    noNewPrivileges: "/info SecurityOptions (no-new-privileges)",
    liveRestore: "/info LiveRestoreEnabled (live-restore)",
    insecureRegistries: "/info RegistryConfig (insecure-registries)",
    logDriver: "/info LoggingDriver (log-driver)",
    logLevel: "/info Debug (log-level)",
    storageDriver: "/info Driver (storage-driver)",
    authorizationPlugins: "/info Plugins.Authorization (authorization-plugins)",
    seccompProfile: "/info SecurityOptions (seccomp-profile)",
    experimental: "/info ExperimentalBuild (experimental)",
};

export type FindingResource = ReportFinding["resource"];

export interface PlatformInput {
    /** A live engine's /info and the resource its findings are reported on. */
    readonly daemon?: { readonly info: Record<string, unknown>; readonly resource: FindingResource };
    readonly logConfigs: readonly DockerLogConfigModel[];
}

/**
 * Findings of the platform controls. Settings /info does not expose are unknown and passed over: they are
 * the live daemon's, not a preview's unknowns. `resources` maps the URNs findings name to their resources.
 */
export function checkDockerPlatform(
    input: PlatformInput,
    resources: ReadonlyMap<string, FindingResource>,
    controls: readonly Control[],
    config: Readonly<Record<string, PolicyConfigEntry>> | undefined,
): ReportFinding[] {
    const hosts: DockerHostModel[] = [];
    if (input.daemon) {
        const r = input.daemon.resource;
        hosts.push({
            host: r.name,
            hostname: undefined,
            daemon: { state: "parsed", settings: daemonSettingsOfInfo(input.daemon.info), flags: INFO_FIELDS },
            anchor: { urn: r.urn, name: r.name },
            files: [],
            swarm: { state: swarmStateOfInfo(input.daemon.info), field: "/info Swarm.LocalNodeState" },
        });
    }
    if (hosts.length === 0 && input.logConfigs.length === 0) return [];
    const stack: StackModel = { ...buildStackModel([]), dockerHosts: hosts, dockerLogConfigs: input.logConfigs };
    const byUrn = new Map(resources);
    if (input.daemon) byUrn.set(input.daemon.resource.urn, input.daemon.resource);
    const findings: ReportFinding[] = [];
    for (const c of controls) {
        if (c.scope !== "stack" || !SCAN_PLATFORM_CONTROLS.includes(c.id)) continue;
        const entry = config?.[c.id];
        const level = entry?.enforcementLevel ?? c.enforcementLevel;
        if (level === "disabled") continue;
        const settings = { ...settingsFrom(defaultsOf(c), entry?.properties), unknownValues: "pass" } as Settings<CommonSettings>;
        for (const v of evaluateStack(c, stack, settings).violations) {
            findings.push(findingOf(c, level === "advisory" ? "advisory" : "mandatory", byUrn.get(v.urn) ?? { urn: v.urn, type: "", name: "" }, v.message));
        }
    }
    return findings;
}

/** Log options: a map of strings (numbers and booleans, which YAML makes of `max-file: 3`, are accepted as Compose does). */
export function logOptions(v: unknown): V<Readonly<Record<string, string>>> {
    if (v === undefined || v === null) return undefined;
    if (!isRecord(v)) return new Invalid("a map of log options", Array.isArray(v) ? "an array" : `a ${typeof v}`);
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) {
        if (typeof x === "string") out[k] = x;
        else if (typeof x === "number" || typeof x === "boolean") out[k] = String(x);
        else if (x !== null) return new Invalid("a map of strings", `${show(k)} holding ${Array.isArray(x) ? "an array" : `a ${typeof x}`}`);
    }
    return out;
}

/** A log driver name; YAML may give anything. */
export function logDriver(v: unknown): V<string> {
    if (v === undefined || v === null) return undefined;
    return typeof v === "string" ? v : new Invalid("a log driver name", Array.isArray(v) ? "an array" : `a ${typeof v}`);
}
