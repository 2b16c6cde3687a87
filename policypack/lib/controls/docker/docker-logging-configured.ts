import { unsettled } from "../../core/check";
import { stackControl, StackFinding } from "../../core/control";
import { CommonSettings, isExempt } from "../../core/settings";
import { Invalid, show, UNKNOWN, V } from "../../core/values";
import type { StackModel } from "../../core/stack";
import { parseEndpoint } from "../../adapters/docker/endpoint";
import { daemonSettings, DockerHostModel, hostExempt, settingFinding, unsettledSetting } from "../../model/docker-daemon";
import { DockerLogConfigModel } from "../../model/docker-logging";

export interface LoggingConfig {
    /** Drivers that ship logs off the container's storage (to a collector or the host journal). */
    readonly remoteDrivers: readonly string[];
}

type Opts = Readonly<Record<string, string>>;

const NO_OPTS: Opts = Object.freeze({});

/** A key for a container's own options: "" for none (most containers), else their JSON. */
function optsKey(own: Opts): string {
    for (const _ in own) return JSON.stringify(own);
    return "";
}

/** Why a driver with these options does not keep a bounded, collectable log; undefined when it does. */
function logProblem(driver: string, opts: Opts, cfg: LoggingConfig): string | undefined {
    switch (driver) {
        case "none":
            return 'is "none": the container leaves no logs at all';
        case "local":
            return undefined; // rotates by default (20m × 5 files)
        case "json-file": {
            const missing = ["max-size", "max-file"].filter((k) => opts[k] === undefined || opts[k] === "" || opts[k] === "-1");
            return missing.length > 0
                ? `is "json-file" without ${missing.join(" and ")}: its log grows without bound until the disk is full and old entries are never rotated out`
                : undefined;
        }
        default:
            return cfg.remoteDrivers.includes(driver)
                ? undefined
                : `is ${show(driver)}, which is not a rotating or remote driver this control knows (add it to remoteDrivers if it ships logs off the host)`;
    }
}

/** Daemon log options apply to a container when it uses the daemon's default driver (dockerd merges them). */
function merged(driver: string, own: Opts, daemonDriver: string, daemonOpts: Opts): Opts {
    return driver === daemonDriver ? { ...daemonOpts, ...own } : own;
}

/**
 * The daemons a container's default log settings come from: the declared host its provider connects
 * to (by host name); otherwise, since the policy cannot tell which machine runs it, every declared
 * Docker host (all must configure logging). Resolved once per provider and check.
 */
function daemonsOfProvider(
    stack: StackModel,
    provider: StackModel["dockerProviders"][number] | undefined,
    hostsByName: HostsByName,
): readonly DockerHostModel[] {
    if (provider && typeof provider.host === "string") {
        const ep = parseEndpoint(provider.host);
        if (typeof ep !== "string" && ep.hostname !== "") {
            const match = hostsByName.get(ep.hostname);
            if (match) return match;
        }
    }
    return stack.dockerHosts;
}

type HostsByName = ReadonlyMap<string, readonly DockerHostModel[]>;

/** Declared hosts by host name (a container looks its daemon up in O(1)). */
function hostsByNameOf(stack: StackModel): HostsByName {
    const hostsByName = new Map<string, DockerHostModel[]>();
    for (const h of stack.dockerHosts) {
        if (h.hostname === undefined) continue;
        const list = hostsByName.get(h.hostname);
        if (list) list.push(h);
        else hostsByName.set(h.hostname, [h]);
    }
    return hostsByName;
}

/** Per check: each provider's daemons, and each verdict, are worked out once. */
class Lookups {
    private readonly providers: Map<string, StackModel["dockerProviders"][number]>;
    private readonly hostsByName: HostsByName;
    private readonly daemonsByProvider = new Map<string | undefined, readonly DockerHostModel[]>();
    private readonly verdicts = new Map<readonly DockerHostModel[], Map<string, Verdict>>();
    private readonly jsonFile = new Map<readonly DockerHostModel[], Map<string, Opts>>();
    constructor(
        private readonly stack: StackModel,
        private readonly cfg: LoggingConfig,
    ) {
        this.providers = new Map(stack.dockerProviders.map((p) => [p.urn, p]));
        this.hostsByName = hostsByNameOf(stack);
    }
    daemonsOf(lc: DockerLogConfigModel): readonly DockerHostModel[] {
        let d = this.daemonsByProvider.get(lc.provider);
        if (d === undefined) {
            d = daemonsOfProvider(this.stack, lc.provider ? this.providers.get(lc.provider) : undefined, this.hostsByName);
            this.daemonsByProvider.set(lc.provider, d);
        }
        return d;
    }
    /** The same for every container with the same own options on the same hosts. */
    verdictOf(daemons: readonly DockerHostModel[], own: Opts): Verdict {
        let byOpts = this.verdicts.get(daemons);
        if (!byOpts) this.verdicts.set(daemons, (byOpts = new Map()));
        const key = optsKey(own);
        let v = byOpts.get(key);
        if (v === undefined) byOpts.set(key, (v = verdictNow(daemons, own, this.cfg)));
        return v;
    }
    /** Options of a container with its own json-file driver on `daemons` (see everyDaemonMerge). */
    jsonFileOpts(daemons: readonly DockerHostModel[], own: Opts): Opts {
        let byOpts = this.jsonFile.get(daemons);
        if (!byOpts) this.jsonFile.set(daemons, (byOpts = new Map()));
        const key = optsKey(own);
        let o = byOpts.get(key);
        if (o === undefined) byOpts.set(key, (o = everyDaemonMerge("json-file", own, daemons)));
        return o;
    }
}

/** The messages for a container without its own driver, the same for every container it applies to (so written once). */
interface Verdict {
    /** One per host whose settings are unknown at preview. */
    readonly unknown: readonly string[];
    /** Hosts whose default is not compliant, with why; undefined when none is. */
    readonly failing: string | undefined;
}

/** What the daemon defaults of `daemons` mean for a container without its own driver. */
function verdictNow(daemons: readonly DockerHostModel[], own: Opts, cfg: LoggingConfig): Verdict {
    const unknown: { readonly host: string; readonly why: string }[] = [];
    const failing: string[] = [];
    for (const h of daemons) {
        const d = daemonSettings(h);
        if ("finding" in d) {
            if (d.finding.unknown) {
                unknown.push({ host: h.host, why: `the daemon.json of ${h.host} is unknown at preview, so the default cannot be checked yet` });
            } else failing.push(`${h.host} (its daemon.json is unreadable)`);
            continue;
        }
        const dd = settledOr(d.settings.logDriver, "json-file");
        const dopts = settledOr(d.settings.logOpts, {});
        if (dd === UNKNOWN || dopts === UNKNOWN) {
            unknown.push({ host: h.host, why: `the log settings of ${h.host} are unknown at preview` });
            continue;
        }
        if (dd instanceof Invalid || dopts instanceof Invalid) {
            failing.push(`${h.host} (its log settings are malformed)`);
            continue;
        }
        const problem = logProblem(dd, merged(dd, own, dd, dopts), cfg);
        if (problem) failing.push(`${h.host} (default ${problem})`);
    }
    return {
        unknown:
            unknown.length <= 1
                ? unknown.map((u) => `is unset, and ${u.why}.`)
                : [
                      `is unset, and the log defaults of ${unknown.length} candidate hosts are unknown at preview (${named(unknown.map((u) => u.host))}), so they cannot be checked yet.`,
                  ],
        failing:
            failing.length > 0
                ? `is unset, so the daemon default applies, and it is not compliant on ${named(failing)}. Set logDriver/logOpts on the resource, or fix the daemon default.`
                : undefined,
    };
}

/** How many hosts a message names: a container that may run on any of a fleet's hosts is one finding of bounded size. */
const NAMED_HOSTS = 3;

function named(items: readonly string[]): string {
    if (items.length <= NAMED_HOSTS) return items.join("; ");
    return `${items.slice(0, NAMED_HOSTS).join("; ")}; and ${items.length - NAMED_HOSTS} more hosts`;
}

/** CIS Docker 1.6.0 2.13 (1.2.0: 2.12). */
export default stackControl<LoggingConfig>({
    id: "docker-logging-configured",
    title: "Docker containers log to a rotating or remote log driver, and daemons log at level info",
    description:
        "Repudiation: without a remote or rotating log driver, container logs either vanish with the container or grow until they fill the disk and are truncated by hand, so what happened cannot be shown later.",
    stride: "R",
    targets: ["docker"],
    refs: { docker: ["2.3", "2.13"], dockerLegacy: ["2.2", "2.12"] },
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: [
        'Set the daemon default in /etc/docker/daemon.json on every Docker host: `"log-driver": "json-file", "log-opts": {"max-size": "10m", "max-file": "5"}`, or a remote driver (`"log-driver": "journald"`, syslog, fluentd, gelf, awslogs, splunk).',
        "Or per container: `logDriver` and `logOpts` on docker.Container, `taskSpec.logDriver` on docker.Service.",
        "A container without its own log driver is judged by the daemon.json of the host its provider connects to; when that host is not declared in the stack, every declared Docker host must set a compliant default.",
        'Compose: `logging: { driver: json-file, options: { max-size: "10m", max-file: "5" } }`; docker run: `--log-driver json-file --log-opt max-size=10m --log-opt max-file=5`.',
        'Leave the daemon\'s `"log-level"` unset or "info" (CIS 2.3): "debug" logs more than is needed, "warn" and above drop the events an investigation needs.',
    ],
    config: {
        remoteDrivers: {
            type: "array",
            items: { type: "string", minLength: 1 },
            default: ["syslog", "journald", "fluentd", "gelf", "awslogs", "splunk", "gcplogs", "logentries", "etwlogs"],
            description: "Log drivers that ship logs off the container's storage.",
        },
    },
    scope: "stack",
    check(stack, cfg) {
        const findings: StackFinding[] = [];
        // CIS 2.3: the daemon's own log level (an unreadable daemon.json is reported by the daemon controls).
        for (const h of stack.dockerHosts) {
            if (hostExempt(cfg, h)) continue;
            const d = daemonSettings(h);
            if ("finding" in d) continue;
            const level = d.settings.logLevel;
            const u = unsettledSetting(h, "logLevel", level);
            if (u) findings.push(u);
            else if (typeof level === "string" && level !== "info")
                findings.push(
                    settingFinding(
                        h,
                        "logLevel",
                        `is ${show(level)}: ${level === "debug" ? "debug logs more than an investigation needs, including request details" : "the daemon drops the info-level events that show what it was asked to do"}. Set it to "info" (the default).`,
                    ),
                );
        }
        const lookups = new Lookups(stack, cfg);
        const common = cfg as unknown as CommonSettings;
        // Log configs carry no namespace: only names, or labels (read from an empty map), can exempt one.
        const exemptions = common.excludeNames.length > 0 || Object.keys(common.excludeLabels).length > 0;
        for (const lc of stack.dockerLogConfigs) {
            if (exemptions && isExempt(common, [lc.resourceName], { labels: {} })) continue;
            const at = (field: string, message: string, unknown = false): StackFinding =>
                unknown ? { urn: lc.urn, subject: lc.label, field, message, unknown } : { urn: lc.urn, subject: lc.label, field, message };
            const u = unsettled(lc.paths.driver, lc.driver) ?? unsettled(lc.paths.opts, lc.opts);
            if (u) {
                findings.push(at(u.field as string, u.message, u.unknown === true));
                continue;
            }
            const own: Opts = (lc.opts as Opts | undefined) ?? NO_OPTS;
            const daemons = lookups.daemonsOf(lc);
            if (typeof lc.driver === "string" && lc.driver !== "") {
                // Own driver; daemon options only matter for json-file when the daemon default is json-file too.
                const opts = lc.driver === "json-file" && daemons.length > 0 ? lookups.jsonFileOpts(daemons, own) : own;
                const problem = logProblem(lc.driver, opts, cfg);
                if (problem) findings.push(at(lc.paths.driver, `${problem}. Set a rotating or remote driver.`));
                continue;
            }
            if (daemons.length === 0) {
                findings.push(
                    at(
                        lc.paths.driver,
                        "is unset and the stack declares no Docker host daemon.json, so dockerd's default json-file driver applies: logs grow without rotation. Set logDriver/logOpts, or the daemon default in daemon.json.",
                    ),
                );
                continue;
            }
            const { unknown, failing } = lookups.verdictOf(daemons, own);
            for (const message of unknown) findings.push(at(lc.paths.driver, message, true));
            if (failing !== undefined) findings.push(at(lc.paths.driver, failing));
        }
        return findings;
    },
});

function settledOr<T>(v: V<T>, fallback: T): T | typeof UNKNOWN | Invalid {
    return v === undefined ? fallback : v;
}

/** Options a json-file container gets on every candidate daemon: its own, plus daemon options all daemons agree on. */
function everyDaemonMerge(driver: string, own: Opts, daemons: readonly DockerHostModel[]): Opts {
    let common: Record<string, string> | undefined;
    for (const h of daemons) {
        const d = daemonSettings(h);
        const dd = "settings" in d ? settledOr(d.settings.logDriver, "json-file") : undefined;
        const dopts = "settings" in d ? settledOr(d.settings.logOpts, {}) : undefined;
        if (typeof dd !== "string" || dopts === undefined || dopts === UNKNOWN || dopts instanceof Invalid) return own;
        const m = merged(driver, {}, dd, dopts);
        common = common === undefined ? { ...m } : Object.fromEntries(Object.entries(common).filter(([k, v]) => m[k] === v));
    }
    return { ...(common ?? {}), ...own };
}
