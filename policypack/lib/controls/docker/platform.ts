import { Control } from "../../core/control";
import dockerDaemonAuditing from "./docker-daemon-auditing";

/** Controls over Docker daemons and hosts, providers and endpoints, images and networks. */
export const DOCKER_PLATFORM_CONTROLS: readonly Control[] = [dockerDaemonAuditing];
