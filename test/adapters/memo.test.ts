import assert from "assert/strict";
import { subjectsOf } from "stride-guard/lib/adapters/index";
import { clean } from "stride-guard/lib/kernel/clean";
import { dockerContainer, podSpec, workload } from "../support/fixtures";
import { Res, urnOf } from "../support/run-control";

const input = (r: Res) => ({ type: r.type, name: r.name, urn: urnOf(r), props: clean(r.props).value });

describe("adapters: models shared between the subject kinds of one input", () => {
    it("gives the pod and container controls of an input one pod model, however other inputs' calls interleave", () => {
        const a = input(workload("Deployment", podSpec(), "a", "shop"));
        const b = input(workload("Deployment", podSpec(), "b", "other"));
        const podA = subjectsOf("pod", a).subjects[0].model;
        const podB = subjectsOf("pod", b).subjects[0].model;
        const containersB = subjectsOf("kubernetesContainer", b).subjects.map((s) => s.model);
        const containersA = subjectsOf("kubernetesContainer", a).subjects.map((s) => s.model);
        assert.equal(containersA[0], podA.containers[0]);
        assert.equal(containersB[0], podB.containers[0]);
        assert.notEqual(podA, podB);
        assert.equal(podA.name, "a");
        assert.equal(containersB[0].pod.namespace, "other");
        // Another input, even of the same props, is read for itself: a model never outlives the input it came from.
        const again = { ...a };
        assert.deepEqual(subjectsOf("pod", again).subjects[0].model, podA);
    });

    it("gives the container and image controls of a Docker input one container model, however other inputs' calls interleave", () => {
        const a = input(dockerContainer({ image: "nginx:1.27" }, "a"));
        const b = input(dockerContainer({ image: "redis:7" }, "b"));
        const la = subjectsOf("dockerContainer", a).subjects[0];
        const lb = subjectsOf("dockerContainer", b).subjects[0];
        assert.equal(subjectsOf("dockerContainer", a).subjects[0], la);
        assert.deepEqual(
            [subjectsOf("dockerImageRef", b).subjects[0].model.ref, subjectsOf("dockerImageRef", a).subjects[0].model.ref],
            ["redis:7", "nginx:1.27"],
        );
        assert.match(la.label, /"a"/);
        assert.match(lb.label, /"b"/);
    });
});
