import { resourceControl } from "../../contract/control";
import { eachBad } from "../shared/findings";
import { show } from "../../kernel/values";
import { Located } from "../../model/kubernetes-container";

/** CIS Kubernetes 5.4.1. */
export default resourceControl<"kubernetesContainer", Record<string, never>>({
    id: "kubernetes-secrets-not-in-env",
    title: "Kubernetes containers read Secrets from files, not environment variables",
    description:
        "Information disclosure: environment variables leak into crash dumps, logs, child processes, `kubectl describe` output and /proc/<pid>/environ; Secrets mounted as files do not, and they can be rotated without a restart.",
    stride: "I",
    targets: ["kubernetes"],
    refs: { kubernetes: ["5.4.1"] },
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: [
        "Replace `env[].valueFrom.secretKeyRef` and `envFrom[].secretRef` with a `secret` volume mounted read-only, and read the value from the file.",
    ],
    config: {},
    scope: "resource",
    subject: "kubernetesContainer",
    check(c) {
        return eachBad<Located<string>>(
            "secretEnv",
            c.secretEnv,
            () => true,
            (e) => ({
                field: e.path,
                message:
                    e.value === "envFrom"
                        ? "imports a whole Secret into the environment. Mount it as a volume and read the files instead."
                        : `puts a Secret into the environment variable ${show(e.value)}. Mount the Secret as a volume and read the file instead.`,
            }),
        );
    },
});
