import assert from "assert/strict";
import { basename, gateOf, itemsOf, parseArgs, parseBool, shellWords } from "stride-guard/lib/adapters/kubernetes/flags";
import { Invalid, UNKNOWN } from "stride-guard/lib/core/values";

const pairs = (argv: unknown[], withProgram = true) => parseArgs(argv, withProgram).flags.map((f) => [f.name, f.value, f.index]);

describe("control-plane flag parser", () => {
    it("reads --flag=value, --flag value, -flag=value and the program", () => {
        const p = parseArgs(["/usr/local/bin/kube-apiserver", "--a=1", "--b", "2", "-c=3", "--d=x=y,z"], true);
        assert.equal(p.program, "kube-apiserver");
        assert.deepEqual(pairs(["kube-apiserver", "--a=1", "--b", "2", "-c=3", "--d=x=y,z"]), [
            ["a", "1", 1],
            ["b", "2", 2],
            ["c", "3", 4],
            ["d", "x=y,z", 5],
        ]);
        assert.equal(p.open, false);
    });

    it("reads a boolean flag alone as true and never takes the next word as its value", () => {
        assert.deepEqual(pairs(["etcd", "--client-cert-auth", "--profiling", "false", "--x"]), [
            ["client-cert-auth", "true", 1],
            ["profiling", "true", 2],
            ["x", "true", 4],
        ]);
        assert.deepEqual(pairs(["kubelet", "--config", "--v=2"]), [
            ["config", "true", 1],
            ["v", "2", 2],
        ]);
    });

    it("marks a value flag written alone as bare, never a known boolean one", () => {
        const p = parseArgs(["kube-controller-manager", "--terminated-pod-gc-threshold", "--profiling", "--v=2", "--last"], true);
        assert.deepEqual(
            p.flags.map((f) => [f.name, f.bare === true]),
            [
                ["terminated-pod-gc-threshold", true],
                ["profiling", false],
                ["v", false],
                ["last", true],
            ],
        );
    });

    it("keeps repeated flags in order, and an empty value", () => {
        assert.deepEqual(pairs(["x", "--m=Node", "--m=RBAC", "--e="]), [
            ["m", "Node", 1],
            ["m", "RBAC", 2],
            ["e", "", 3],
        ]);
    });

    it("marks unknown values and unknown arguments", () => {
        const p = parseArgs(["kube-apiserver", "--audit-log-path", UNKNOWN, UNKNOWN], true);
        assert.deepEqual(
            p.flags.map((f) => [f.name, f.value]),
            [["audit-log-path", UNKNOWN]],
        );
        assert.equal(p.open, true);
        assert.equal(parseArgs([UNKNOWN, "--a=1"], true).open, true);
    });

    it("reports non-string arguments and values instead of throwing", () => {
        const p = parseArgs(["kube-apiserver", null, 3, "--x", { a: 1 }], true);
        assert.deepEqual(p.malformed, [
            [1, "null"],
            [2, "a number"],
        ]);
        assert.ok(p.flags[0].value instanceof Invalid);
        assert.deepEqual(parseArgs([7], true).malformed, [[0, "a number"]]);
        assert.deepEqual(parseArgs([], true), { program: undefined, flags: [], open: false, malformed: [] });
    });

    it("ignores positional words and can parse without a program", () => {
        assert.deepEqual(pairs(["serve", "--a=1", "-", "--"], false), [["a", "1", 1]]);
    });

    it("splits shell command lines with quotes and continuations", () => {
        assert.deepEqual(shellWords(`exec /usr/bin/kubelet --a="x y" \\\n  --b='q' c\\ d --e=f"g"`), [
            "exec",
            "/usr/bin/kubelet",
            "--a=x y",
            "--b=q",
            "c d",
            "--e=fg",
        ]);
        assert.deepEqual(shellWords("   "), []);
    });

    it("adds up list flags and reads feature gates (later wins)", () => {
        assert.deepEqual(itemsOf(["Node, RBAC", "", "Webhook,"]), ["Node", "RBAC", "Webhook"]);
        assert.equal(gateOf(["A=true,RotateKubeletServerCertificate=false", "RotateKubeletServerCertificate=true"], "RotateKubeletServerCertificate"), "true");
        assert.equal(gateOf(["A=true"], "B"), undefined);
    });

    it("parses booleans as Go does, and basenames", () => {
        assert.deepEqual(["1", "t", "TRUE", "True", "0", "F", "false", "yes"].map(parseBool), [true, true, true, true, false, false, false, undefined]);
        assert.equal(basename("/a/b/etcd"), "etcd");
        assert.equal(basename("etcd"), "etcd");
    });
});
