import assert from "assert/strict";
import { printable } from "stride-guard/lib/kernel/text";

describe("core/text printable", () => {
    it("drops escape sequences, C1 controls and bidi overrides, keeping the visible text", () => {
        assert.equal(printable("dial unix /x: \u001b[31mred\u001b[0m\u0007"), "dial unix /x: [31mred[0m");
        assert.equal(printable("a\u009bb\u202ec\u2066d\u0000e\u007f"), "abcde");
    });

    it("puts text on one line unless asked for several, and keeps tabs", () => {
        assert.equal(printable("one\r\ntwo\nthree\rfour\u2028five"), "one two three four five");
        assert.equal(printable("one\r\ntwo\u001b\n\tthree", { multiline: true }), "one\ntwo\n\tthree");
    });

    it("cuts long text to the limit with an ellipsis, also for huge input", () => {
        assert.equal(printable("x".repeat(20), { max: 10 }), `${"x".repeat(9)}…`);
        const huge = printable("\u001b".repeat(5000) + "y".repeat(1_000_000));
        assert.equal(huge.length, 1000);
        assert.ok(huge.endsWith("…"));
        assert.equal(printable("short"), "short");
    });
});
