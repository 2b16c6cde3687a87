import { Control } from "../../contract/control";
import { DOCKER_CONTAINER_CONTROLS } from "./containers";
import { DOCKER_PLATFORM_CONTROLS } from "./platform";

/** Docker controls, in catalog order: containers and service tasks, then daemon, hosts, providers, images, networks. */
export const DOCKER_CONTROLS: readonly Control[] = [...DOCKER_CONTAINER_CONTROLS, ...DOCKER_PLATFORM_CONTROLS];
