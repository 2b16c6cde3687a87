import { stackControl } from "../../core/control";
import { show } from "../../core/values";
import { eachDaemon, settingFinding, unsettledSetting } from "../../model/docker-daemon";

export interface DaemonIccConfig {
    /** CIS ids not required: 2.2 (icc), 2.4 (iptables) or 2.16 (userland-proxy). */
    readonly skip: readonly string[];
}

/** CIS Docker 1.6.0 2.2, 2.4 and 2.16 (1.2.0: 2.1, 2.3 and 2.14). */
export default stackControl<DaemonIccConfig>({
    id: "docker-daemon-icc-disabled",
    title: "Docker daemons block inter-container traffic on the default bridge, manage iptables and run no userland proxy",
    description:
        "Information disclosure: with icc on, every container on the default bridge can reach every other container's ports, so one compromised container can probe and talk to all of them; the userland proxy adds a privileged forwarding process that widens the attack surface.",
    stride: "I",
    targets: ["docker"],
    refs: { docker: ["2.2", "2.4", "2.16"], dockerLegacy: ["2.1", "2.3", "2.14"] },
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: [
        'Set `"icc": false` and `"userland-proxy": false` in /etc/docker/daemon.json on every Docker host, and never `"iptables": false`.',
        "Put containers that must talk to each other on a user-defined network (docker.Network) and connect only those.",
        "userland-proxy false needs hairpin NAT support (any current kernel); keep it on only where a legacy kernel requires it, and list 2.16 in `skip`.",
    ],
    config: {
        skip: { type: "array", items: { type: "string", enum: ["2.2", "2.4", "2.16"] }, default: [], description: "CIS ids not required." },
    },
    scope: "stack",
    check(stack, cfg) {
        return eachDaemon(stack.dockerHosts, cfg, (h, s, note) => {
            const rows = [
                { cis: "2.2", key: "icc", v: s.icc, why: "every container on the default bridge can reach every other one" },
                { cis: "2.16", key: "userlandProxy", v: s.userlandProxy, why: "published ports go through a userland proxy process instead of iptables rules" },
            ] as const;
            const out = rows.flatMap((r) => {
                if (cfg.skip.includes(r.cis)) return [];
                const u = unsettledSetting(h, r.key, r.v);
                if (u) return [u];
                return r.v !== false ? [settingFinding(h, r.key, `is ${show(r.v)}${r.v === undefined ? note : ""}: ${r.why}. Set it to false.`)] : [];
            });
            if (!cfg.skip.includes("2.4")) {
                // Unset is dockerd's default, true: only an explicit false turns the rules off.
                const u = unsettledSetting(h, "iptables", s.iptables);
                if (u) out.push(u);
                else if (s.iptables === false)
                    out.push(
                        settingFinding(
                            h,
                            "iptables",
                            "is false: dockerd writes no firewall rules, so icc=false is not enforced and published ports bypass the host firewall. Remove it (true is the default).",
                        ),
                    );
            }
            return out;
        });
    },
});
