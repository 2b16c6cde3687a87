/**
 * Fixtures for Docker platform controls: hosts configured over SSH with @pulumi/command, Docker
 * providers, images, networks, and Dockerfiles on disk. Each builder returns what a hardened stack
 * writes; tests override one field to plant one violation.
 */
import type * as docker from "@pulumi/docker";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DOCKER_AUDIT_TARGETS } from "stride-guard/lib/controls/docker/docker-daemon-auditing";
import { Res } from "./run-control";

type Loose<T> = { [K in keyof T]?: unknown };

export const HOST = "10.0.0.5";

/** A daemon.json that passes every daemon control. */
export function hardenedDaemonJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        icc: false,
        "userland-proxy": false,
        "userns-remap": "default",
        "no-new-privileges": true,
        "live-restore": true,
        "log-driver": "json-file",
        "log-opts": { "max-size": "10m", "max-file": "5" },
        ...overrides,
    };
}

/** `command:remote:Command` running `create` on a host, with optional stdin. */
export function remoteCommand(name: string, create: unknown, opts: { stdin?: unknown; host?: unknown; parent?: string } = {}): Res {
    const props: Record<string, unknown> = { connection: { host: opts.host ?? HOST, user: "root" }, create };
    if (opts.stdin !== undefined) props["stdin"] = opts.stdin;
    return { type: "command:remote:Command", name, props, parent: opts.parent };
}

/** Writes daemon.json the way the hardened reference stack does: `install -D … /dev/stdin PATH` with the content on stdin. */
export function daemonJsonWriter(content: Record<string, unknown> | string = hardenedDaemonJson(), host: unknown = HOST, name = "daemon-json"): Res {
    const text = typeof content === "string" ? content : JSON.stringify(content, null, 2);
    return remoteCommand(name, "install -D -m 0644 -o root -g root /dev/stdin /etc/docker/daemon.json", { stdin: text, host });
}

/** Audit rules covering every CIS Docker target. */
export function auditRulesText(skip: readonly string[] = []): string {
    return (
        DOCKER_AUDIT_TARGETS.filter((t) => !skip.includes(t.cis))
            .map((t) => `-w ${t.paths[0]} -p wa -k docker`)
            .join("\n") + "\n"
    );
}

export function auditRulesWriter(text = auditRulesText(), host: unknown = HOST, name = "audit-rules"): Res {
    return remoteCommand(name, "install -D -m 0640 -o root -g root /dev/stdin /etc/audit/rules.d/docker.rules && augenrules --load", { stdin: text, host });
}

/** A Docker host with hardened daemon.json and full audit rules. */
export function hardenedHost(host: unknown = HOST, daemon: Record<string, unknown> = hardenedDaemonJson()): Res[] {
    const suffix = typeof host === "string" ? host : "unknown";
    return [daemonJsonWriter(daemon, host, `daemon-json-${suffix}`), auditRulesWriter(auditRulesText(), host, `audit-rules-${suffix}`)];
}

export function dockerProvider(overrides: Loose<docker.ProviderArgs> = {}, name = "remote"): Res {
    return { type: "pulumi:providers:docker", name, props: { host: `ssh://deploy@${HOST}`, ...overrides } };
}

export function dockerNetwork(overrides: Loose<docker.NetworkArgs> = {}, name = "backend"): Res {
    return {
        type: "docker:index/network:Network",
        name,
        props: { name, driver: "bridge", options: { "com.docker.network.bridge.enable_icc": "false" }, ...overrides },
    };
}

export const DIGEST = "sha256:" + "c".repeat(64);

export function remoteImage(overrides: Loose<docker.RemoteImageArgs> = {}, name = "nginx"): Res {
    return { type: "docker:index/remoteImage:RemoteImage", name, props: { name: `nginx@${DIGEST}`, ...overrides } };
}

export function registryImage(overrides: Loose<docker.RegistryImageArgs> = {}, name = "pushed"): Res {
    return { type: "docker:index/registryImage:RegistryImage", name, props: { name: "registry.example.com/app:1.4.2", ...overrides } };
}

export function dockerService(overrides: Record<string, unknown> = {}, name = "api"): Res {
    return {
        type: "docker:index/service:Service",
        name,
        props: { name, taskSpec: { containerSpec: { image: `registry.example.com/api@${DIGEST}` }, logDriver: { name: "journald" } }, ...overrides },
    };
}

/** A Dockerfile that passes every image build control. */
export const HARDENED_DOCKERFILE = `# syntax=docker/dockerfile:1
FROM golang:1.22@${DIGEST} AS build
WORKDIR /src
COPY . .
RUN go build -o /app ./cmd/app

FROM gcr.io/distroless/static@${DIGEST}
COPY --from=build /app /app
USER 10001:10001
ENTRYPOINT ["/app"]
`;

/** Writes a Dockerfile into a fresh temporary directory; returns the directory (the build context). */
export function dockerfileDir(text: string, fileName = "Dockerfile"): string {
    const dir = mkdtempSync(join(tmpdir(), "stride-guard-df-"));
    writeFileSync(join(dir, fileName), text);
    return dir;
}

/** `docker:index/image:Image` building `text` (written to a temporary context). */
export function dockerImage(
    text: string = HARDENED_DOCKERFILE,
    overrides: Loose<docker.ImageArgs> = {},
    name = "app",
    build: Record<string, unknown> = {},
): Res {
    const context = dockerfileDir(text);
    return { type: "docker:index/image:Image", name, props: { imageName: "registry.example.com/app:1.4.2", build: { context, ...build }, ...overrides } };
}

/** The parts of an outcome these tests compare (evaluators may add more, e.g. `unknownUrns`). */
export function outcomeOf(o: { violations: readonly unknown[]; unknownPaths: readonly string[] }): {
    violations: readonly unknown[];
    unknownPaths: readonly string[];
} {
    return { violations: o.violations, unknownPaths: o.unknownPaths };
}
