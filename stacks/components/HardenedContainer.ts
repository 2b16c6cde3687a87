/**
 * A container run per CIS Docker 1.6.0 section 4–5: image pinned by digest, non-root user, read-only root
 * filesystem (tmpfs for writable paths), ALL capabilities dropped, no-new-privileges, memory/CPU/process limits,
 * restart on-failure at most 5 times, a health check, ports published ≥ 1024 on a named interface only,
 * json-file log rotation. Invariants are checked when the component is built, so a misuse fails at preview.
 */
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";

export const DIGEST_REF = /^[a-z0-9]+(?:[._/-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?@sha256:[0-9a-f]{64}$/;

export interface PublishedPort {
    /** Port inside the container. */
    internal: number;
    /** Port on the host: ≥ 1024. */
    external: number;
}

export interface HardenedContainerArgs {
    provider: docker.Provider;
    /** `repo[:tag]@sha256:<64 hex>` */
    image: string;
    /** `uid:gid`, not 0. */
    user: string;
    memoryMb: number;
    /** CPU limit, e.g. "0.5". */
    cpus: string;
    /** Maximum processes of the container's user (the pids limit: @pulumi/docker 5.x has no pidsLimit, so ulimit nproc). */
    maxProcesses: number;
    healthcheck: string[];
    /** Writable paths as tmpfs, path → mount options. */
    tmpfs?: Record<string, string>;
    command?: string[];
    envs?: string[];
    /** Capabilities to add back after dropping ALL (only NET_BIND_SERVICE is accepted). */
    capAdd?: "NET_BIND_SERVICE"[];
    ports?: PublishedPort[];
    /** Host interface address that published ports bind to (never 0.0.0.0 / ::). */
    bindIp?: string;
    networks: pulumi.Input<string>[];
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class HardenedContainer extends pulumi.ComponentResource {
    readonly container: docker.Container;
    readonly image: docker.RemoteImage;

    constructor(name: string, args: HardenedContainerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("stride-guard:docker:HardenedContainer", name, {}, opts);
        HardenedContainer.validate(name, args);
        const ro = { parent: this, provider: args.provider };
        this.image = new docker.RemoteImage(`${name}-image`, { name: args.image, keepLocally: true }, { ...ro, dependsOn: args.dependsOn });
        this.container = new docker.Container(
            name,
            {
                name,
                // The digest reference itself (not the image id), so the pin is visible in the program's inputs.
                image: args.image,
                user: args.user,
                command: args.command,
                envs: args.envs,
                memory: args.memoryMb,
                memorySwap: args.memoryMb,
                cpus: args.cpus,
                ulimits: [{ name: "nproc", soft: args.maxProcesses, hard: args.maxProcesses }],
                restart: "on-failure",
                maxRetryCount: 5,
                readOnly: true,
                tmpfs: args.tmpfs,
                capabilities: { drops: ["ALL"], adds: args.capAdd ?? [] },
                securityOpts: ["no-new-privileges"],
                healthcheck: { tests: args.healthcheck, interval: "30s", timeout: "5s", retries: 3, startPeriod: "10s" },
                ports: (args.ports ?? []).map((p) => ({ internal: p.internal, external: p.external, ip: args.bindIp, protocol: "tcp" })),
                networksAdvanced: args.networks.map((n) => ({ name: n })),
                logDriver: "json-file",
                logOpts: { "max-size": "10m", "max-file": "3" },
                init: true,
                mustRun: true,
                wait: true,
            },
            { ...ro, dependsOn: [this.image] },
        );
        this.registerOutputs({});
    }

    static validate(name: string, a: HardenedContainerArgs): void {
        const fail = (why: string): never => {
            throw new Error(`HardenedContainer ${name}: ${why}`);
        };
        if (!DIGEST_REF.test(a.image)) fail(`image must be pinned by digest (repo@sha256:<64 hex>), got ${a.image}`);
        const [uid, gid] = a.user.split(":");
        if (!/^\d+$/.test(uid) || uid === "0" || (gid !== undefined && (!/^\d+$/.test(gid) || gid === "0")))
            fail(`user must be a numeric non-root uid[:gid], got ${a.user}`);
        if (!(a.memoryMb > 0)) fail("memoryMb must be positive");
        if (!(Number(a.cpus) > 0)) fail("cpus must be positive");
        if (!(a.maxProcesses > 0)) fail("maxProcesses must be positive");
        if (a.healthcheck.length === 0) fail("a health check is required");
        for (const c of a.capAdd ?? []) if (c !== "NET_BIND_SERVICE") fail(`capability ${c} is not allowed`);
        if ((a.ports ?? []).length > 0) {
            if (!a.bindIp || a.bindIp === "0.0.0.0" || a.bindIp === "::" || a.bindIp === "") fail("published ports need a specific bindIp (not 0.0.0.0)");
            for (const p of a.ports ?? []) if (!(p.external >= 1024 && p.external <= 65535)) fail(`host port ${p.external} must be in 1024..65535`);
        }
        if (a.networks.length === 0) fail("attach the container to a user-defined network");
    }
}
