import { Control } from "../contract/control";
import { registerControlIds } from "../engine/suppress";
import { DOCKER_CONTROLS } from "./docker/index";
import { KUBERNETES_CONTROLS } from "./kubernetes/index";

/** Every control stride-guard ships, frozen. Selections are new arrays; nothing mutates this list. */
export const CONTROLS: readonly Control[] = Object.freeze([...DOCKER_CONTROLS, ...KUBERNETES_CONTROLS]);

// A suppression annotation may name any control of the catalog, whichever a run selected.
registerControlIds(CONTROLS.map((c) => c.id));

const BY_ID: ReadonlyMap<string, Control> = new Map(CONTROLS.map((c) => [c.id, c]));

export function controlById(id: string): Control | undefined {
    return BY_ID.get(id);
}
