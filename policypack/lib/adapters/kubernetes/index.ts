import { setPath } from "../../core/paths";
import { AdapterTable, NOTHING, Problem, Subject } from "../../core/subject";
import { describeContainer } from "../../model/container";
import { describePod, PodModel } from "../../model/pod";
import { kubernetesPodModel, podKindOfType } from "./workload";

function podProblems(pod: PodModel): Problem[] {
    return pod.malformed.map((m) => ({ label: describePod(pod), path: m.path, problem: m.problem }));
}

/** Kubernetes subjects: pod templates of every pod-bearing kind, and each of their containers. */
export const KUBERNETES_ADAPTERS: AdapterTable<"kubernetesContainer" | "pod"> = {
    kubernetesContainer(res) {
        const kind = podKindOfType(res.type);
        if (kind === undefined) return NOTHING;
        const pod = kubernetesPodModel(kind, res.props, res.name);
        const subjects = pod.containers.map(
            (model): Subject<"kubernetesContainer"> => ({
                model,
                label: `${describePod(pod)} ${describeContainer(model)}`,
                write: (raw, f, v) => {
                    const path = model.paths[f as keyof typeof model.paths];
                    if (path === undefined) return undefined;
                    const value = f === "memoryLimitBytes" && typeof v === "number" ? `${Math.ceil(v / 2 ** 20)}Mi` : v;
                    return setPath(raw, path, value);
                },
            }),
        );
        return { subjects, problems: podProblems(pod) };
    },
    pod(res) {
        const kind = podKindOfType(res.type);
        if (kind === undefined) return NOTHING;
        const model = kubernetesPodModel(kind, res.props, res.name);
        return { subjects: [{ model, label: describePod(model) }], problems: podProblems(model) };
    },
};
