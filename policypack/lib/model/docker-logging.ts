import { V } from "../kernel/values";

/** How a container or Swarm service logs, from its own inputs (the daemon default applies when `driver` is unset). */
export interface DockerLogConfigModel {
    readonly urn: string;
    readonly resourceName: string;
    /** `Docker container "web"`, `Docker service "api"`. */
    readonly label: string;
    readonly driver: V<string>;
    readonly opts: V<Readonly<Record<string, string>>>;
    readonly paths: { readonly driver: string; readonly opts: string };
    /** URN of the Docker provider the resource uses, when the engine says. */
    readonly provider: string | undefined;
}

/** A Docker provider as stack controls see it: where it connects. */
export interface DockerEndpointRef {
    readonly urn: string;
    readonly name: string;
    readonly host: V<string>;
}

declare module "../contract/stack" {
    interface StackModel {
        /** Log settings of every Docker container and Swarm service. */
        readonly dockerLogConfigs: readonly DockerLogConfigModel[];
        /** Every Docker provider of the stack (explicit and default). */
        readonly dockerProviders: readonly DockerEndpointRef[];
    }
}
