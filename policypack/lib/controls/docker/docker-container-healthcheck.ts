import { resourceControl } from "../../contract/control";
import { unsettled } from "../../contract/check";

/** CIS Docker 4.6 (image HEALTHCHECK) and 5.27 (legacy 5.26, health checked at runtime). */
export default resourceControl<"dockerContainer", Record<string, never>>({
    id: "docker-container-healthcheck",
    title: "Docker containers declare a health check",
    description:
        "Denial of service: without a health check a hung or degraded container keeps receiving traffic and is never replaced; Swarm and restart policies only act on containers they can see failing.",
    stride: "D",
    targets: ["docker"],
    refs: { docker: ["4.6", "5.27"], dockerLegacy: ["4.6", "5.26"] },
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: [
        'Set `healthcheck: { tests: ["CMD", "/app/healthcheck"], interval: "30s", timeout: "5s", retries: 3 }` on the docker.Container (docker.Service: `taskSpec.containerSpec.healthcheck`).',
        "A HEALTHCHECK in the image cannot be seen at preview time: repeat it here so that it is checked, or exempt the resource.",
        'Compose: `healthcheck: { test: [...] }`; docker run: `--health-cmd`. Never `["NONE"]` / `--no-healthcheck`.',
    ],
    config: {},
    scope: "resource",
    subject: "dockerContainer",
    check(c) {
        const u = unsettled("healthcheckTest", c.healthcheckTest);
        if (u) return [u];
        const test = c.healthcheckTest as readonly string[] | undefined;
        if (test === undefined || test.length === 0) {
            return [
                { field: "healthcheckTest", message: "no health check is declared, so a hung container is never detected. Declare a health check command." },
            ];
        }
        if (test[0].toUpperCase() === "NONE") {
            return [{ field: "healthcheckTest", message: "the health check is disabled (NONE), also the image's own. Declare a health check command." }];
        }
        return [];
    },
});
