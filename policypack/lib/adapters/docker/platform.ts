import { Adapted, AdapterTable, NOTHING, ResourceInput, Subject } from "../../core/subject";
import { arr, boolish, field, Invalid, isObj, obj, Obj, str, strList, UNKNOWN, V } from "../../core/values";
import { buildArgVars, DockerBuildModel, DockerImageRefModel, expand, globalScope, ImageRefUse, stageOf } from "../../model/docker-image";
import { DockerNetworkModel, ENABLE_ICC } from "../../model/docker-network";
import { DockerRegistryModel } from "../../model/docker-registry";
import { describeProvider, DockerProviderModel, RegistryAuthModel } from "../../model/docker-provider";
import { isAbsolute } from "node:path";
import { dockerfileLocation, readDockerfile } from "./dockerfile";
import { DOCKER_ADAPTERS } from "./index";

export const DOCKER_PROVIDER = "pulumi:providers:docker";
export const DOCKER_REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage";
export const DOCKER_REGISTRY_IMAGE = "docker:index/registryImage:RegistryImage";
export const DOCKER_IMAGE = "docker:index/image:Image";
export const DOCKER_NETWORK = "docker:index/network:Network";

/** Provider inputs of non-string type may arrive JSON-encoded (the engine's provider config form). */
function decoded(v: unknown): unknown {
    if (typeof v !== "string") return v;
    const t = v.trim();
    if (!t.startsWith("[") && !t.startsWith("{")) return v;
    try {
        return JSON.parse(t);
    } catch {
        return new Invalid("JSON", "a string that is not valid JSON");
    }
}

/** Whether a secret input is set, without reading its value into the model. */
function present(v: unknown): V<boolean> {
    const s = str(v);
    if (s === UNKNOWN || s instanceof Invalid) return s;
    return s !== undefined && s.trim() !== "";
}

function nameOf(props: unknown, fallback: string): string {
    const n = str(field(props, "name"));
    return typeof n === "string" && n !== "" ? n : fallback;
}

function single<K extends "dockerProvider" | "dockerNetwork" | "dockerBuild" | "dockerRegistry">(model: Subject<K>["model"], label: string): Adapted<K> {
    return { subjects: [{ model, label } as Subject<K>], problems: [] };
}

export function dockerProviderModel(res: ResourceInput): DockerProviderModel {
    const p = res.props;
    const auths = arr(decoded(field(p, "registryAuth")));
    let registryAuth: V<readonly RegistryAuthModel[]> = auths as V<readonly RegistryAuthModel[]>;
    if (Array.isArray(auths)) {
        registryAuth = auths.map((a) => ({ address: isObj(a) ? str(a["address"]) : a === UNKNOWN ? UNKNOWN : new Invalid("an object", "a non-object entry") }));
    }
    return {
        name: res.name,
        isDefault: /^default(_|$)/.test(res.name),
        host: str(field(p, "host")),
        context: str(field(p, "context")),
        caMaterial: present(field(p, "caMaterial")),
        certMaterial: present(field(p, "certMaterial")),
        keyMaterial: present(field(p, "keyMaterial")),
        certPath: str(field(p, "certPath")),
        sshOpts: strList(decoded(field(p, "sshOpts"))),
        registryAuth,
        paths: PROVIDER_PATHS,
    };
}

const PROVIDER_PATHS = {
    host: "host",
    context: "context",
    caMaterial: "caMaterial",
    certMaterial: "certMaterial",
    keyMaterial: "keyMaterial",
    certPath: "certPath",
    sshOpts: "sshOpts",
    registryAuth: "registryAuth",
} as const;

function imageRef(ref: unknown, use: ImageRefUse, path: string, unresolved: readonly string[] = []): DockerImageRefModel {
    return { ref: str(ref), use, unresolved, paths: { ref: path } };
}

function buildInputs(props: unknown): { context: V<string>; dockerfile: V<string>; target: V<string>; args: V<Obj> } {
    const b = field(props, "build");
    // @pulumi/docker 3.x accepted a context path string.
    if (typeof b === "string") return { context: b, dockerfile: undefined, target: undefined, args: undefined };
    return { context: str(field(b, "context")), dockerfile: str(field(b, "dockerfile")), target: str(field(b, "target")), args: obj(field(b, "args")) };
}

export function dockerBuildModel(props: unknown): DockerBuildModel {
    const b = buildInputs(props);
    const written =
        b.dockerfile !== undefined
            ? b.dockerfile
            : b.context === undefined
              ? "Dockerfile"
              : typeof b.context === "string"
                ? `${b.context.replace(/\/$/, "")}/Dockerfile`
                : b.context;
    let dockerfile: DockerBuildModel["dockerfile"] = undefined;
    let unreadable: string | undefined;
    if (b.context === UNKNOWN || b.dockerfile === UNKNOWN) dockerfile = UNKNOWN;
    else if (b.context instanceof Invalid) dockerfile = b.context;
    else if (b.dockerfile instanceof Invalid) dockerfile = b.dockerfile;
    else {
        const path = dockerfileLocation(b.context, b.dockerfile);
        const read = readDockerfile(path);
        const asWritten = b.dockerfile ?? b.context ?? ".";
        if (typeof read === "string")
            unreadable = `${read} at ${path}${isAbsolute(asWritten) ? "" : ` (relative paths resolve against the directory the policy runs in, ${process.cwd()})`}`;
        else dockerfile = read;
    }
    return {
        imageName: str(field(props, "imageName")),
        dockerfilePath: written,
        dockerfile,
        unreadable,
        target: b.target,
        buildArgs: b.args,
        paths: {
            imageName: "imageName",
            dockerfile: b.dockerfile !== undefined ? "build.dockerfile" : "build.context",
            target: "build.target",
            buildArgs: "build.args",
        },
    };
}

/** FROM references of a readable Dockerfile, global ARGs expanded; stages and `scratch` are not images. */
function baseRefs(build: DockerBuildModel, props: unknown, label: string): Subject<"dockerImageRef">[] {
    const df = build.dockerfile;
    if (df === undefined || df === UNKNOWN || df instanceof Invalid) return [];
    const scope = globalScope(df, buildArgVars(buildInputs(props).args));
    const out: Subject<"dockerImageRef">[] = [];
    for (const stage of df.stages) {
        const { value, missing } = expand(stage.from, scope);
        if (value.toLowerCase() === "scratch" || (missing.length === 0 && stageOf(df, value, stage.index))) continue;
        const name = stage.name ? ` stage "${stage.name}"` : ` stage ${stage.index}`;
        out.push({
            model: imageRef(value, "base", `${typeof build.dockerfilePath === "string" ? build.dockerfilePath : "Dockerfile"}:${stage.fromLine} FROM`, missing),
            label: `${label} Dockerfile${name}`,
        });
    }
    return out;
}

/** How messages name an image resource. */
function imageResourceLabel(res: ResourceInput): string {
    switch (res.type) {
        case DOCKER_REMOTE_IMAGE:
            return `Docker remote image "${res.name}"`;
        case DOCKER_REGISTRY_IMAGE:
            return `Docker registry image "${res.name}"`;
        default:
            return `Docker image build "${res.name}"`;
    }
}

function imageRefs(res: ResourceInput): Adapted<"dockerImageRef"> {
    const p = res.props;
    const one = (model: DockerImageRefModel, label: string): Adapted<"dockerImageRef"> => ({ subjects: [{ model, label }], problems: [] });
    switch (res.type) {
        case DOCKER_REMOTE_IMAGE: {
            const builds = field(p, "build") !== undefined;
            return one(imageRef(field(p, "name"), builds ? "push" : "pull", "name"), imageResourceLabel(res));
        }
        case DOCKER_REGISTRY_IMAGE:
            return one(imageRef(field(p, "name"), "push", "name"), imageResourceLabel(res));
        case DOCKER_IMAGE: {
            const label = imageResourceLabel(res);
            const subjects: Subject<"dockerImageRef">[] = [{ model: imageRef(field(p, "imageName"), "push", "imageName"), label }];
            subjects.push(...baseRefs(dockerBuildModel(p), p, label));
            return { subjects, problems: [] };
        }
        default: {
            // Containers and service tasks from every source (Pulumi, Compose, docker inspect): the container adapter reads the image.
            const containers = DOCKER_ADAPTERS.dockerContainer(res);
            if (containers.subjects.length === 0 && containers.problems.length === 0) return NOTHING;
            return { subjects: containers.subjects.flatMap(containerImageRefs), problems: containers.problems };
        }
    }
}

/**
 * The images a container runs: its image, pulled; for one the source builds (Compose `build:`), the base
 * images of the Dockerfile instead of "names no image", and the image name only when one is given.
 */
function containerImageRefs(c: Subject<"dockerContainer">): Subject<"dockerImageRef">[] {
    const pulled: Subject<"dockerImageRef"> = {
        model: { ref: c.model.image, use: "pull", unresolved: [], paths: { ref: c.model.paths.image ?? "image" } },
        label: c.label,
    };
    const built = c.model.builtImage;
    if (built === undefined) return [pulled];
    if (built === UNKNOWN || built instanceof Invalid) {
        const path = c.model.paths.builtImage ?? "build";
        const unsettledBuild: Subject<"dockerImageRef"> = {
            model: { ref: built === UNKNOWN ? UNKNOWN : built, use: "base", unresolved: [], paths: { ref: path } },
            label: c.label,
        };
        return c.model.image === undefined ? [unsettledBuild] : [pulled];
    }
    const bases = built.bases.map((b): Subject<"dockerImageRef"> => ({
        model: { ref: b.ref, use: "base" as const, unresolved: b.unresolved, paths: { ref: `${built.dockerfile}:${b.line} FROM` } },
        label: `${c.label} Dockerfile ${b.stage}`,
    }));
    return c.model.image === undefined ? bases : [pulled, ...bases];
}

export function dockerNetworkModel(res: ResourceInput): DockerNetworkModel {
    const options = obj(field(res.props, "options"));
    const icc = options === UNKNOWN || options instanceof Invalid ? options : options === undefined ? undefined : boolish(options[ENABLE_ICC]);
    return {
        name: nameOf(res.props, res.name),
        driver: str(field(res.props, "driver")),
        internal: boolish(field(res.props, "internal")),
        enableIcc: icc,
        paths: { driver: "driver", internal: "internal", enableIcc: `options["${ENABLE_ICC}"]` },
    };
}

/** Registry addresses and TLS verification of image resources; none for resources that name no registry. */
export function dockerRegistryModel(res: ResourceInput): DockerRegistryModel | undefined {
    const p = res.props;
    switch (res.type) {
        case DOCKER_REGISTRY_IMAGE:
            return {
                addresses: [{ address: str(field(field(p, "authConfig"), "address")), path: "authConfig.address" }],
                skipVerify: boolish(field(p, "insecureSkipVerify")),
                paths: { skipVerify: "insecureSkipVerify" },
            };
        case DOCKER_IMAGE:
            return {
                addresses: [{ address: str(field(field(p, "registry"), "server")), path: "registry.server" }],
                skipVerify: undefined,
                paths: { skipVerify: "insecureSkipVerify" },
            };
        case DOCKER_REMOTE_IMAGE: {
            const list = arr(field(field(p, "build"), "authConfigs"));
            const addresses: DockerRegistryModel["addresses"] = Array.isArray(list)
                ? list.flatMap((a, i) => [
                      { address: str(field(a, "hostName")), path: `build.authConfigs[${i}].hostName` },
                      { address: str(field(a, "serverAddress")), path: `build.authConfigs[${i}].serverAddress` },
                  ])
                : list === undefined
                  ? []
                  : [{ address: list as unknown as V<string>, path: "build.authConfigs" }];
            return { addresses, skipVerify: undefined, paths: { skipVerify: "insecureSkipVerify" } };
        }
        default:
            return undefined;
    }
}

/** Subjects of Docker daemons, providers and endpoints, images, registries, networks. */
export const DOCKER_PLATFORM_ADAPTERS: AdapterTable<"dockerProvider" | "dockerImageRef" | "dockerBuild" | "dockerNetwork" | "dockerRegistry"> = {
    dockerProvider(res) {
        if (res.type !== DOCKER_PROVIDER) return NOTHING;
        const model = dockerProviderModel(res);
        return single<"dockerProvider">(model, describeProvider(model));
    },
    dockerImageRef: imageRefs,
    dockerBuild(res) {
        if (res.type !== DOCKER_IMAGE) return NOTHING;
        return single<"dockerBuild">(dockerBuildModel(res.props), imageResourceLabel(res));
    },
    dockerRegistry(res) {
        const model = dockerRegistryModel(res);
        return model ? single<"dockerRegistry">(model, imageResourceLabel(res)) : NOTHING;
    },
    dockerNetwork(res) {
        if (res.type !== DOCKER_NETWORK) return NOTHING;
        const model = dockerNetworkModel(res);
        return single<"dockerNetwork">(model, `Docker network "${model.name}"`);
    },
};
