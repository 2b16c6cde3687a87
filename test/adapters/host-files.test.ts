import assert from "node:assert/strict";
import { hostsOf, writesOfCommand } from "stride-guard/lib/adapters/host-files";
import { UNKNOWN } from "stride-guard/lib/kernel/values";
import { clean } from "stride-guard/lib/kernel/clean";
import { remoteCommand } from "../support/docker-platform-fixtures";
import { secret, UNKNOWN_STRING, urnOf } from "../support/run-control";

const JSON_TEXT = '{\n  "icc": false\n}\n';

function writes(create: string, stdin?: string) {
    const w = writesOfCommand(create, stdin);
    assert.notEqual(w, UNKNOWN);
    return w as Exclude<typeof w, typeof UNKNOWN>;
}

describe("host files: writes of remote commands", () => {
    it("reads the reference stack's install -D form with content on stdin", () => {
        const [w, ...rest] = writes("install -D -m 0644 -o root -g root /dev/stdin /etc/docker/daemon.json", JSON_TEXT);
        assert.equal(rest.length, 0);
        assert.deepEqual({ ...w }, { path: "/etc/docker/daemon.json", content: JSON_TEXT, mode: "0644", owner: "root", group: "root", field: "stdin" });
    });

    it("reads bundled and long install options and sudo", () => {
        const [w] = writes("sudo -n install -Dm 0600 --owner=root --group=docker /dev/stdin /etc/docker/certs/key.pem", "k");
        assert.equal(w.path, "/etc/docker/certs/key.pem");
        assert.equal(w.mode, "0600");
        assert.equal(w.owner, "root");
        assert.equal(w.group, "docker");
        assert.equal(w.content, "k");
    });

    it("does not take install -d directories for files", () => {
        assert.deepEqual(writes("install -d -m 0755 /etc/docker /etc/docker/certs.d"), []);
    });

    it("reads a heredoc piped into sudo tee", () => {
        const [w] = writes(`cat <<'EOF' | sudo tee /etc/docker/daemon.json > /dev/null\n{\n  "icc": false\n}\nEOF\nsudo systemctl restart docker`);
        assert.equal(w.path, "/etc/docker/daemon.json");
        assert.equal(w.content, JSON_TEXT);
        assert.equal(w.field, "create");
    });

    it("reads a heredoc after other commands on the same line, and <<- with tabs", () => {
        const [w] = writes(`mkdir -p /etc/docker && cat > /etc/docker/daemon.json <<-EOF\n\t{\n\t  "icc": false\n\t}\n\tEOF\n`);
        assert.equal(w.path, "/etc/docker/daemon.json");
        assert.equal(w.content, JSON_TEXT);
    });

    it("reads tee with content on stdin", () => {
        const [w] = writes("sudo tee /etc/docker/daemon.json >/dev/null", JSON_TEXT);
        assert.equal(w.content, JSON_TEXT);
        assert.equal(w.field, "stdin");
    });

    it("reads echo and printf redirects, appends, and multi-line quoted strings", () => {
        const ws = writes(
            `echo '-w /usr/bin/dockerd -p wa' > /etc/audit/rules.d/docker.rules\necho "-w /var/lib/docker -p wa" >> /etc/audit/rules.d/docker.rules\nprintf '%s\\n' '{"icc": false}' > /etc/docker/daemon.json`,
        );
        assert.equal(ws.length, 2);
        assert.equal(ws[0].content, "-w /usr/bin/dockerd -p wa\n-w /var/lib/docker -p wa\n");
        assert.equal(ws[1].content, '{"icc": false}\n');
        const [multi] = writes(`echo '{\n  "icc": false\n}' | sudo tee /etc/docker/daemon.json`);
        assert.equal(multi.content, JSON_TEXT);
    });

    it("follows a file written to /tmp and moved or installed into place, with chmod and chown", () => {
        const ws = writes(
            `cat > /tmp/daemon.json <<EOF\n{\n  "icc": false\n}\nEOF\nsudo mv /tmp/daemon.json /etc/docker/daemon.json && sudo chmod 644 /etc/docker/daemon.json && sudo chown root:root /etc/docker/daemon.json`,
        );
        const w = ws.find((x) => x.path === "/etc/docker/daemon.json")!;
        assert.equal(w.content, JSON_TEXT);
        assert.equal(w.mode, "644");
        assert.equal(w.owner, "root");
        assert.equal(w.group, "root");
    });

    it("reads sh -c scripts and backslash continuations", () => {
        const [w] = writes(`sudo sh -c 'cat > /etc/docker/daemon.json'`, JSON_TEXT);
        assert.equal(w.content, JSON_TEXT);
        const [c] = writes("install -D -m 0644 \\\n  -o root -g root \\\n  /dev/stdin /etc/docker/daemon.json", JSON_TEXT);
        assert.equal(c.path, "/etc/docker/daemon.json");
        assert.equal(c.mode, "0644");
    });

    it("keeps an unknown stdin unknown and marks content it cannot follow as undefined", () => {
        const [u] = writes("install -m 0644 /dev/stdin /etc/docker/daemon.json", UNKNOWN as unknown as string);
        assert.equal(u.content, UNKNOWN);
        const [x] = writes("cp /opt/conf/daemon.json /etc/docker/daemon.json; install -m 0644 /opt/x /etc/docker/daemon.json");
        assert.equal(x.path, "/etc/docker/daemon.json");
        assert.equal(x.content, undefined);
        assert.equal(writesOfCommand(UNKNOWN, undefined), UNKNOWN);
        assert.deepEqual(writesOfCommand(undefined, undefined), []);
    });

    it("does not take text with shell expansions for file content", () => {
        const ws = writes(
            `echo "$CONFIG" > /etc/docker/daemon.json\ncat <<EOF > /etc/audit/rules.d/docker.rules\n-w $(command -v dockerd) -p wa\nEOF\ncat <<'EOF' > /etc/docker/literal.json\n{"a": "$b"}\nEOF\necho '$literal' > /etc/x\necho "\\$escaped" > /etc/y`,
        );
        assert.deepEqual(
            ws.map((w) => [w.path, w.content]),
            [
                ["/etc/docker/daemon.json", undefined],
                ["/etc/audit/rules.d/docker.rules", undefined],
                ["/etc/docker/literal.json", '{"a": "$b"}\n'],
                ["/etc/x", "$literal\n"],
                ["/etc/y", "$escaped\n"],
            ],
        );
    });

    it("ignores comments and unrelated commands", () => {
        assert.deepEqual(writes("# install /dev/stdin /etc/docker/daemon.json\nsystemctl restart docker 2>&1 || true &"), []);
    });
});

describe("host files: hosts of a stack", () => {
    const stack = (...rs: ReturnType<typeof remoteCommand>[]) =>
        hostsOf(rs.map((r) => ({ type: r.type, name: r.name, urn: urnOf(r), props: clean(r.props).value, parent: r.parent })));

    it("groups writes by connection host and port", () => {
        const a = remoteCommand("a", "tee /etc/docker/daemon.json", { stdin: "{}" });
        const b = remoteCommand("b", "tee /etc/docker/daemon.json", { stdin: "{}", host: "10.0.0.6" });
        const c = {
            ...remoteCommand("c", "tee /etc/x", { stdin: "1" }),
            props: { connection: { host: "10.0.0.6", port: 2222 }, create: "tee /etc/x", stdin: "1" },
        };
        const hosts = stack(a, b, c);
        assert.deepEqual(
            hosts.map((h) => h.host),
            ["10.0.0.5", "10.0.0.6", "10.0.0.6:2222"],
        );
    });

    it("keys hosts unknown at preview by their parent component", () => {
        const r = remoteCommand("a", "tee /etc/docker/daemon.json", { stdin: "{}", host: UNKNOWN_STRING, parent: "urn:parent" });
        assert.equal(stack(r)[0].host, "(host of urn:parent)");
    });

    it("reads secret stdin and CopyToRemote string assets", () => {
        const r = remoteCommand("a", "tee /etc/docker/daemon.json", { stdin: secret("{}") });
        assert.equal(stack(r)[0].files[0].content, "{}");
        const copy = {
            type: "command:remote:CopyToRemote",
            name: "copy",
            props: {
                connection: { host: "10.0.0.5" },
                remotePath: "/etc/docker/daemon.json",
                source: { "4dabf18193072939515e22adb298388d": "c44067f5952c0a294b673a41bacd8c17", text: "{}" },
            },
        };
        const hosts = hostsOf([{ type: copy.type, name: copy.name, urn: "urn:copy", props: clean(copy.props).value }]);
        assert.equal(hosts[0].files[0].content, "{}");
        assert.equal(hosts[0].files[0].source.field, "source");
    });

    it("skips commands whose script is unknown and malformed props without throwing", () => {
        const unknown = remoteCommand("u", UNKNOWN_STRING);
        const bad = { type: "command:remote:Command", name: "bad", props: { connection: null, create: 42 } };
        const hosts = hostsOf([unknown, bad].map((r) => ({ type: r.type, name: r.name, urn: urnOf(r), props: clean(r.props).value })));
        assert.deepEqual(hosts, []);
    });
});
