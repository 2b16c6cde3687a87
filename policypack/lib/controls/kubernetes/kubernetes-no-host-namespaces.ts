import { Finding, resourceControl } from "../../contract/control";
import { pssCheck, PSS_CONFIG, PssConfig } from "./pss";
import { whenTrue } from "../shared/findings";

const NAMESPACES = [
    ["hostNetwork", "network", "it sees every interface of the node, can bind node ports and reach services listening on localhost"],
    ["hostPID", "process ID", "it sees every process of the node and can signal or ptrace them and read their environment"],
    ["hostIPC", "IPC", "it can read and write the shared memory of every process on the node"],
] as const;

/** CIS Kubernetes 5.2.3 (hostPID), 5.2.4 (hostIPC), 5.2.5 (hostNetwork); PSS baseline "Host Namespaces". */
export default resourceControl<"pod", PssConfig>({
    id: "kubernetes-no-host-namespaces",
    title: "Kubernetes pods do not share the node's network, PID or IPC namespace",
    description:
        "Elevation of privilege: a pod in the node's namespaces drops the isolation between its containers and the node — it can watch and signal node processes, read shared memory, and talk to node-local services.",
    stride: "E",
    targets: ["kubernetes"],
    refs: { kubernetes: ["5.2.3", "5.2.4", "5.2.5"] },
    pss: "baseline",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: [
        "Remove `hostNetwork`, `hostPID` and `hostIPC` from the pod spec (or set them to false).",
        "Expose network services through a Service instead of the node's network; debug with ephemeral containers instead of hostPID.",
        "Run node agents that truly need them in a namespace whose PSS level is `privileged` (`namespaceLevels`).",
    ],
    config: PSS_CONFIG,
    scope: "resource",
    subject: "pod",
    check(p, cfg) {
        return pssCheck(cfg, p, "baseline", () => {
            const findings: Finding[] = [];
            for (const [key, what, why] of NAMESPACES) {
                findings.push(...whenTrue(key, p[key], `the pod shares the node's ${what} namespace: ${why}. Remove it or set it to false.`));
            }
            return findings;
        });
    },
});
