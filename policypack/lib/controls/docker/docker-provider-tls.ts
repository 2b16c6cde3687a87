import { unsettled } from "../../contract/check";
import { Finding, resourceControl } from "../../contract/control";
import { show } from "../../kernel/values";
import { parseEndpoint } from "../../adapters/docker/endpoint";
import { DockerProviderModel, RegistryAuthModel } from "../../model/docker-provider";
import { registryAddressFinding } from "../../model/docker-registry";

export interface ProviderTlsConfig {
    /** Docker contexts the provider may use (their endpoint lives outside the stack and is trusted as configured). */
    readonly allowedContexts: readonly string[];
}

/** SSH options that turn off host key verification. */
const INSECURE_SSH = /StrictHostKeyChecking\s*=?\s*(no|off)|UserKnownHostsFile\s*=?\s*\/dev\/null/i;

function where(p: DockerProviderModel, key: string): string {
    return p.isDefault ? ` (stack config docker:${key})` : "";
}

/** CIS Docker 1.6.0 2.7 (1.2.0: 2.6), client side: how Pulumi reaches dockerd and registries. */
export default resourceControl<"dockerProvider", ProviderTlsConfig>({
    id: "docker-provider-tls",
    title: "Docker providers reach the daemon over mutual TLS, SSH or a local socket, and registries over HTTPS",
    description:
        "Spoofing: a provider that talks tcp:// without TLS client material cannot tell the real daemon from an impostor, and sends every API call (registry credentials included) in the clear; an http:// registry hands credentials and images to anyone on the path.",
    stride: "S",
    targets: ["docker"],
    refs: { docker: ["2.7"], dockerLegacy: ["2.6"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Use `host: ssh://user@host` (host keys verified) or the local unix socket, or for tcp:// set `caMaterial`, `certMaterial` and `keyMaterial` (as secrets) or `certPath`.",
        "For the default provider, set them in stack config: `pulumi config set docker:host ssh://…` or `pulumi config set --secret docker:keyMaterial …`.",
        "Give registries as `https://registry.example.com` or a bare host name, never http://.",
        "Do not pass `StrictHostKeyChecking=no` or `UserKnownHostsFile=/dev/null` in `sshOpts`; add the host key to known_hosts instead.",
    ],
    config: {
        allowedContexts: { type: "array", items: { type: "string", minLength: 1 }, default: [], description: "Docker contexts the provider may use." },
    },
    scope: "resource",
    subject: "dockerProvider",
    check(p, cfg) {
        const findings: Finding[] = [];
        const u = unsettled("context", p.context) ?? unsettled("host", p.host);
        if (u) findings.push(u);
        else if (typeof p.context === "string" && p.context !== "") {
            if (!cfg.allowedContexts.includes(p.context)) {
                findings.push({
                    field: "context",
                    message: `selects Docker context ${show(p.context)}${where(p, "context")}, which overrides host; its endpoint and TLS settings live outside the stack and cannot be checked. Set host explicitly, or list the context in allowedContexts.`,
                });
            }
        } else if (typeof p.host === "string" && p.host.trim() !== "") {
            findings.push(...endpointFindings(p, p.host));
        }
        const ra = unsettled("registryAuth", p.registryAuth);
        if (ra) findings.push(ra);
        else if (Array.isArray(p.registryAuth)) {
            (p.registryAuth as readonly RegistryAuthModel[]).forEach((a, i) => {
                const f = registryAddressFinding(`registryAuth[${i}].address`, a.address);
                if (f) findings.push(f);
            });
        }
        return findings;
    },
});

function endpointFindings(p: DockerProviderModel, host: string): Finding[] {
    const ep = parseEndpoint(host);
    if (typeof ep === "string") return [{ field: "host", message: `is not a Docker endpoint: ${ep}.` }];
    switch (ep.scheme) {
        case "unix":
        case "npipe":
            return [];
        case "fd":
            return [
                {
                    field: "host",
                    message:
                        "is fd://, a socket-activation listener of dockerd that a client cannot connect to. Use unix://, ssh:// or tcp:// with mutual TLS.",
                },
            ];
        case "ssh": {
            const us = unsettled("sshOpts", p.sshOpts);
            if (us) return [us];
            return (Array.isArray(p.sshOpts) ? (p.sshOpts as readonly string[]) : []).some((o) => INSECURE_SSH.test(o))
                ? [
                      {
                          field: "sshOpts",
                          message: `turns off SSH host key verification${where(p, "sshOpts")}, so the provider cannot tell the real host from an impostor. Remove the option and add the host key to known_hosts.`,
                      },
                  ]
                : [];
        }
        case "tcp": {
            const certPath = unsettled("certPath", p.certPath);
            if (certPath) return [certPath];
            if (typeof p.certPath === "string" && p.certPath.trim() !== "") return [];
            const out: Finding[] = [];
            const missing: string[] = [];
            for (const key of ["caMaterial", "certMaterial", "keyMaterial"] as const) {
                const uk = unsettled(key, p[key]);
                if (uk) out.push(uk);
                else if (p[key] !== true) missing.push(key);
            }
            if (out.length > 0) return out;
            if (missing.length === 3) {
                return [
                    {
                        field: "host",
                        message: `connects over tcp://${where(p, "host")} without TLS material: the daemon cannot be authenticated and every API call, registry credentials included, crosses the network in the clear. Set caMaterial, certMaterial and keyMaterial (or certPath), or use ssh://.`,
                    },
                ];
            }
            if (missing.length > 0) {
                return missing.map((key) => ({
                    field: key,
                    message: `is unset${where(p, key)}: mutual TLS over tcp:// needs the CA, the client certificate and its key.`,
                }));
            }
            return [];
        }
        default: {
            const never: never = ep.scheme;
            return never;
        }
    }
}
