import { AdapterTable } from "../../core/subject";

/** Subjects of Docker daemons, providers and endpoints, images, networks. */
export const DOCKER_PLATFORM_ADAPTERS: AdapterTable<never> = {};
