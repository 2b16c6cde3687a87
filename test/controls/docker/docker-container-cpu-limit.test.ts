import control from "stride-guard/lib/controls/docker/docker-container-cpu-limit";
import { secret, UNKNOWN_NUMBER, UNKNOWN_STRING } from "../../support/run-control";
import {
    assertMalformed,
    assertOne,
    assertPass,
    assertSecretHidden,
    assertUnknown,
    assertUnreadableReported,
    hardenedContainer,
    hardenedService,
} from "../../support/docker-fixtures";

describe("docker-container-cpu-limit", () => {
    it("passes a CPU cap, a quota or a non-default weight", () => {
        assertPass(control, [
            hardenedContainer(),
            hardenedService(),
            hardenedContainer({ cpus: undefined, cpuQuota: 50000 }),
            hardenedContainer({ cpus: undefined, cpuShares: 512 }),
            hardenedContainer({ cpus: 2 }),
        ]);
    });

    it("fails no limit and the default weight, naming the field and CIS id", () => {
        assertOne(control, hardenedContainer({ cpus: undefined }), [
            'Docker container "web": cpus:',
            "neither a CPU limit nor a CPU weight",
            "CIS Docker 5.12 (legacy 5.11)",
        ]);
        assertOne(control, hardenedContainer({ cpus: undefined, cpuShares: 1024 }), ["cpuShares 1024 is the default weight"]);
        assertOne(control, hardenedContainer({ cpus: "0" }), ["cpus"]);
        assertOne(control, hardenedService({}, { resources: { limits: { memoryBytes: 1 } } }), [
            'Docker service task "api": taskSpec.resources.limits.nanoCpus',
        ]);
    });

    it("requires a hard cap when configured", () => {
        assertOne(control, hardenedContainer({ cpus: undefined, cpuShares: 512 }), ["no hard CPU cap", "cpuShares 512 is not a limit"], {
            requireHardLimit: true,
        });
    });

    it("treats unknown values per the unknownValues setting", () => {
        assertUnknown(control, hardenedContainer({ cpus: UNKNOWN_STRING }), "cpus");
        assertPass(control, hardenedContainer({ cpus: UNKNOWN_STRING, cpuQuota: 50000 }));
        assertUnknown(control, hardenedContainer({ cpus: undefined, cpuShares: UNKNOWN_NUMBER }), "cpuShares");
    });

    it("never shows a secret value", () => {
        assertSecretHidden(control, hardenedContainer({ cpus: undefined, cpuShares: secret(1024) }), "1024");
    });

    it("reports malformed input without throwing", () => {
        assertMalformed(control, hardenedContainer({ cpus: "half" }), ["cpus", "malformed", "expected a number"]);
        assertUnreadableReported(control);
    });
});
