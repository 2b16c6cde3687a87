import { unsettled } from "../../contract/check";
import { Finding, resourceControl } from "../../contract/control";
import { registryAddressFinding } from "../../model/docker-registry";

/** CIS Docker 2.5 (1.2.0: 2.4), client side: the stack's own pushes and pulls verify the registry. */
export default resourceControl<"dockerRegistry", Record<string, never>>({
    id: "docker-registry-tls",
    title: "Images are pushed to and pulled from registries over verified TLS",
    description:
        "Spoofing: without TLS certificate verification (or over plain http://), anyone on the path can pose as the registry, collect its credentials and serve or receive substituted images.",
    stride: "S",
    targets: ["docker"],
    refs: { docker: ["2.5"], dockerLegacy: ["2.4"] },
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Remove `insecureSkipVerify: true` from docker.RegistryImage; trust a private CA on the machine running Pulumi instead.",
        "Give registry addresses as `https://…` or a bare host name (`registry.server` on docker.Image, `authConfig.address` on docker.RegistryImage, `build.authConfigs` on docker.RemoteImage).",
    ],
    config: {},
    scope: "resource",
    subject: "dockerRegistry",
    check(r) {
        const findings: Finding[] = [];
        const u = unsettled("skipVerify", r.skipVerify);
        if (u) findings.push(u);
        else if (r.skipVerify === true) {
            findings.push({
                field: "skipVerify",
                message:
                    "turns off TLS certificate verification of the registry: anyone on the path can pose as it. Remove it and trust the registry's CA instead.",
            });
        }
        for (const a of r.addresses) {
            const f = registryAddressFinding(a.path, a.address);
            if (f) findings.push(f);
        }
        return findings;
    },
});
