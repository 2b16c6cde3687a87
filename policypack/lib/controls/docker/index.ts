import { Control } from "../../core/control";
import dockerContainerMemoryLimit from "./docker-container-memory-limit";
import dockerContainerRestartOnFailure from "./docker-container-restart-on-failure";
import dockerDaemonAuditing from "./docker-daemon-auditing";

/** Docker controls, in catalog order. */
export const DOCKER_CONTROLS: readonly Control[] = [dockerContainerMemoryLimit, dockerContainerRestartOnFailure, dockerDaemonAuditing];
