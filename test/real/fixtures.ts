// Hand-written hardened daemon.json and the capture of `docker inspect`
// fixtures (a hardened and an insecure container) for the `scan docker` work.
import * as fs from "fs";
import * as path from "path";
import { Dockerd, importBusyboxImage, startDockerd, TlsFiles } from "./dockerd";
import { ok } from "./proc";

/** A hardened daemon.json (CIS Docker 2.x). With tls, the TCP listener requires client certs signed by tls.ca. */
export function hardenedDaemonJson(tls?: TlsFiles): Record<string, unknown> {
    return {
        ...(tls ? { tls: true, tlsverify: true, tlscacert: tls.ca, tlscert: tls.cert, tlskey: tls.key } : {}),
        icc: false,
        iptables: true,
        "userns-remap": "default",
        "live-restore": true,
        "no-new-privileges": true,
        "log-driver": "json-file",
        "log-opts": { "max-size": "10m", "max-file": "3" },
        "insecure-registries": [],
    };
}

export const BUSYBOX_TAG = "stride-guard/busybox:test";

/** `docker run` flags of the hardened fixture container. */
export const HARDENED_RUN_FLAGS = [
    "--memory",
    "64m",
    "--restart",
    "on-failure:5",
    "--user",
    "1000:1000",
    "--read-only",
    "--pids-limit",
    "64",
    "--security-opt",
    "no-new-privileges",
    "--cap-drop",
    "ALL",
];

/**
 * `docker run` flags of the insecure fixture container (it runs). `--privileged` is in a
 * separate, created-only container: see PRIVILEGED_CREATE_FLAGS.
 */
export const INSECURE_RUN_FLAGS = ["--cap-add", "SYS_ADMIN", "--cap-add", "NET_ADMIN", "-v", "/etc:/host/etc"];

/** `docker create` flags of the privileged fixture container. It is only created: runc cannot start privileged containers on a host whose capability bounding set lacks a capability (this sandbox lacks CAP_SYS_RESOURCE). */
export const PRIVILEGED_CREATE_FLAGS = ["--privileged", "-v", "/:/host"];

export interface InspectFixtures {
    /** Files written (docker inspect output is a JSON array with one element, exactly as the CLI prints it). */
    hardened: string;
    insecure: string;
    privileged: string;
    info: string;
    daemonJson: string;
    /** Container ids (only meaningful while the daemon is up, i.e. when a dockerd was passed in). */
    ids: { hardened: string; insecure: string; privileged: string };
}

/**
 * Save `docker inspect` JSON of a hardened and an insecure container (plus a
 * created-only privileged one, `docker info` and the effective daemon.json)
 * into outDir as hardened.inspect.json, insecure.inspect.json,
 * privileged.inspect.json, info.json, daemon.json.
 *
 * Uses `opts.dockerd` when given (its containers are left running, with names
 * prefixed by opts.namePrefix), else starts a daemon with hardenedDaemonJson()
 * (no TLS) and stops it afterwards.
 */
export async function captureInspectFixtures(outDir: string, opts: { dockerd?: Dockerd; namePrefix?: string } = {}): Promise<InspectFixtures> {
    const own = !opts.dockerd;
    const d = opts.dockerd ?? (await startDockerd({ daemonJson: hardenedDaemonJson() }));
    try {
        const prefix = opts.namePrefix ?? "sg-fixture";
        await importBusyboxImage(d, BUSYBOX_TAG);
        const userns = typeof d.daemonJson["userns-remap"] === "string" && d.daemonJson["userns-remap"] !== "";
        // with userns-remap, privileged / host-namespace containers must opt out of the remap
        const hostUserns = userns ? ["--userns", "host"] : [];
        const hardened = (await d.docker(["run", "-d", "--name", `${prefix}-hardened`, ...HARDENED_RUN_FLAGS, BUSYBOX_TAG, "sleep", "3600"])).trim();
        const insecure = (
            await d.docker(["run", "-d", "--name", `${prefix}-insecure`, ...hostUserns, ...INSECURE_RUN_FLAGS, BUSYBOX_TAG, "sleep", "3600"])
        ).trim();
        const privileged = (
            await d.docker(["create", "--name", `${prefix}-privileged`, ...hostUserns, ...PRIVILEGED_CREATE_FLAGS, BUSYBOX_TAG, "sleep", "3600"])
        ).trim();
        fs.mkdirSync(outDir, { recursive: true });
        const files = {
            hardened: path.join(outDir, "hardened.inspect.json"),
            insecure: path.join(outDir, "insecure.inspect.json"),
            privileged: path.join(outDir, "privileged.inspect.json"),
            info: path.join(outDir, "info.json"),
            daemonJson: path.join(outDir, "daemon.json"),
        };
        fs.writeFileSync(files.hardened, ok(await d.exec(["inspect", hardened])));
        fs.writeFileSync(files.insecure, ok(await d.exec(["inspect", insecure])));
        fs.writeFileSync(files.privileged, ok(await d.exec(["inspect", privileged])));
        fs.writeFileSync(files.info, JSON.stringify(await d.info(), null, 2) + "\n");
        fs.writeFileSync(files.daemonJson, JSON.stringify(d.daemonJson, null, 2) + "\n");
        return { ...files, ids: { hardened, insecure, privileged } };
    } finally {
        if (own) await d.stop();
    }
}
