import { V } from "../kernel/values";

export const ENABLE_ICC = "com.docker.network.bridge.enable_icc";

/** A `docker:index/network:Network`. */
export interface DockerNetworkModel {
    readonly name: string;
    /** Network driver; Docker's default is "bridge". */
    readonly driver: V<string>;
    readonly internal: V<boolean>;
    /** `options["com.docker.network.bridge.enable_icc"]`, read as a boolean ("true"/"false"). */
    readonly enableIcc: V<boolean>;
    readonly paths: Readonly<Record<"driver" | "internal" | "enableIcc", string>>;
}

declare module "../contract/subject" {
    interface SubjectModels {
        /** User-defined Docker networks. */
        readonly dockerNetwork: DockerNetworkModel;
    }
}
