import { Control } from "../../core/control";
import dockerContainerMemoryLimit from "./docker-container-memory-limit";
import dockerContainerRestartOnFailure from "./docker-container-restart-on-failure";

/** Controls over Docker containers and Swarm service tasks. */
export const DOCKER_CONTAINER_CONTROLS: readonly Control[] = [dockerContainerMemoryLimit, dockerContainerRestartOnFailure];
