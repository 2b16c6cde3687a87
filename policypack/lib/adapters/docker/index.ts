import { AdapterTable, NOTHING, Subject } from "../../core/subject";
import { unproxy } from "../../core/values";
import { describeContainer } from "../../model/container";
import { dockerContainerModel, writeDockerContainer } from "./container";

export const DOCKER_CONTAINER = "docker:index/container:Container";

/** Docker subjects: containers (and, as they are added, service tasks, images, providers, networks). */
export const DOCKER_ADAPTERS: AdapterTable<"dockerContainer"> = {
    dockerContainer(res) {
        if (res.type !== DOCKER_CONTAINER) return NOTHING;
        const model = dockerContainerModel(res.props, res.name);
        const subject: Subject<"dockerContainer"> = {
            model,
            label: `Docker ${describeContainer(model)}`,
            write: (raw, f, v) => {
                const copy = { ...(unproxy(raw) as object) } as Record<string, unknown>;
                return writeDockerContainer(copy, f, v) ? copy : undefined;
            },
        };
        return { subjects: [subject], problems: [] };
    },
};
