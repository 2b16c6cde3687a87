import { resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";
import { show } from "../../kernel/values";

export interface RestartConfig {
    /** Most restarts allowed before Docker gives up. */
    readonly maxRetries: number;
}

/**
 * CIS Docker 5.15 (legacy 5.14). docker-bench only checks the retry count, so `always` passes there;
 * here it fails: a crash-looping container restarted forever hides the failure and burns the host.
 */
export default resourceControl<"dockerContainer", RestartConfig>({
    id: "docker-container-restart-on-failure",
    title: "Docker containers restart on failure, a bounded number of times",
    description:
        "Denial of service: `always` or `unless-stopped` restart a crash-looping (or exploited) container forever; `no` leaves a failed service down. `on-failure` with a small retry count bounds both.",
    stride: "D",
    targets: ["docker"],
    refs: { docker: ["5.15"], dockerLegacy: ["5.14"] },
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: [
        'Set `restart: "on-failure"` and `maxRetryCount: 5` (or fewer) on the docker.Container.',
        'docker.Service: `taskSpec.restartPolicy: { condition: "on-failure", maxAttempts: 5 }`.',
        "Compose: `restart: on-failure:5` (v2) or `deploy.restart_policy: { condition: on-failure, max_attempts: 5 }`; docker run: `--restart on-failure:5`.",
    ],
    config: {
        maxRetries: { type: "integer", minimum: 1, default: 5, description: "Most restart attempts allowed." },
    },
    scope: "resource",
    subject: "dockerContainer",
    check(c, cfg) {
        const u = unsettled("restartPolicy", c.restartPolicy);
        if (u) return [u];
        const policy = c.restartPolicy as string | undefined;
        if (policy !== "on-failure") {
            const what =
                policy === undefined
                    ? `no restart policy is set, so ${show(c.restartPolicyDefault)} applies (the ${c.role === "serviceTask" ? "Swarm" : "Docker"} default)`
                    : `the restart policy is ${show(policy)}`;
            return [{ field: "restartPolicy", message: `${what}; use "on-failure" with at most ${cfg.maxRetries} retries.` }];
        }
        const r = unsettled("restartMaxRetries", c.restartMaxRetries);
        if (r) return [r];
        const retries = c.restartMaxRetries as number | undefined;
        if (retries === undefined || retries < 1) {
            return [{ field: "restartMaxRetries", message: `"on-failure" without a retry count restarts forever; set it between 1 and ${cfg.maxRetries}.` }];
        }
        if (retries > cfg.maxRetries) {
            return [{ field: "restartMaxRetries", message: `${retries} retries exceed the maximum of ${cfg.maxRetries}.` }];
        }
        return [];
    },
    remediate(c, cfg) {
        const retries = c.restartMaxRetries;
        const keep = typeof retries === "number" && retries >= 1 && retries <= cfg.maxRetries && c.restartPolicy === "on-failure";
        return [
            { field: "restartPolicy", value: "on-failure" },
            { field: "restartMaxRetries", value: keep ? retries : cfg.maxRetries },
        ];
    },
});
