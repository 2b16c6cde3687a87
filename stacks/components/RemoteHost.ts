/**
 * A machine reached over SSH, and the one way the stacks write to it: a `command:remote:Command` running
 * `install -D -m MODE -o OWNER -g GROUP /dev/stdin PATH` with the content on stdin (secret content stays secret).
 */
import * as pulumi from "@pulumi/pulumi";
import { remote } from "@pulumi/command";
import { asRoot, FileSpec, installFromStdin } from "../render/shell";

export interface SshConnection {
    host: string;
    user: string;
    port?: number;
    /** PEM private key (a secret); undefined = the SSH agent (SSH_AUTH_SOCK). */
    privateKey?: pulumi.Output<string>;
}

export interface RemoteFileArgs extends FileSpec {
    content: pulumi.Input<string>;
    /** Run after writing (e.g. a reload); must be idempotent. */
    then?: string;
}

export class RemoteHost {
    constructor(readonly ssh: SshConnection) {}

    get connection(): remote.CommandArgs["connection"] {
        const { host, user, port, privateKey } = this.ssh;
        return { host, user, port: port ?? 22, ...(privateKey ? { privateKey } : {}) };
    }

    /** Prefix for commands that need root. */
    root(cmd: string): string {
        return asRoot(this.ssh.user, cmd);
    }

    /** Writes one file with its mode and owner. Content that is secret stays secret. */
    file(name: string, f: RemoteFileArgs, opts: pulumi.CustomResourceOptions): remote.Command {
        const create = [this.root(installFromStdin(f)), ...(f.then ? [this.root(f.then)] : [])].join(" && ");
        return new remote.Command(name, { connection: this.connection, create, stdin: f.content, logging: "stdoutAndStderr" }, opts);
    }

    /** Runs commands as root, one after the other (`&&`); `triggers` re-run them when they change. */
    run(name: string, commands: string[], opts: pulumi.CustomResourceOptions, triggers?: pulumi.Input<unknown>[]): remote.Command {
        const create = commands.map((c) => this.root(c)).join(" && ");
        return new remote.Command(name, { connection: this.connection, create, triggers, logging: "stdoutAndStderr" }, opts);
    }
}
