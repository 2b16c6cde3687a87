/**
 * Stack configuration shared by the stacks (project namespace; see stacks/README.md for every key).
 */
import * as pulumi from "@pulumi/pulumi";
import { SshConnection } from "./components/RemoteHost";

/** The machine a stack configures over SSH: `host`, `user`, `sshPort`, and the secret `sshPrivateKey` (else the SSH agent). */
export function sshFromConfig(config: pulumi.Config): SshConnection {
    return {
        host: config.require("host"),
        user: config.get("user") ?? "root",
        port: config.getNumber("sshPort") ?? 22,
        privateKey: config.getSecret("sshPrivateKey"),
    };
}
