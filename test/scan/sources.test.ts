import assert from "assert/strict";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Readable } from "stream";
import { decodeText, MAX_SOURCE_BYTES, readSources, readStream } from "stride-guard/lib/scan/sources";
import { readKubernetes } from "stride-guard/lib/scan/kubernetes";

const POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n";
const noStdin = async () => "";

describe("scan/sources: reading only what can be read, bounded", function () {
    this.timeout(30_000);
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "sg-sources-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("refuses a FIFO without waiting for a writer, and reads the other inputs", async () => {
        const fifo = path.join(dir, "fifo.yaml");
        try {
            execFileSync("mkfifo", [fifo]);
        } catch {
            return; // no mkfifo here
        }
        const good = path.join(dir, "pod.yaml");
        fs.writeFileSync(good, POD);
        const src = await readSources([fifo, good], [".yaml"], noStdin);
        assert.deepEqual(src.errors, [`${fifo}: cannot read: not a regular file (a FIFO)`]);
        assert.deepEqual(
            src.texts.map((t) => t.name),
            [good],
        );
    });

    it("refuses devices such as /dev/zero instead of reading without end", async () => {
        if (!fs.existsSync("/dev/zero")) return;
        const src = await readSources(["/dev/zero"], [".yaml"], noStdin);
        assert.deepEqual(src.errors, ["/dev/zero: cannot read: not a regular file (a character device)"]);
    });

    it("counts bytes while reading: a file past the cap is refused, a file that reports size 0 is read whole", async () => {
        const big = path.join(dir, "big.yaml");
        const fd = fs.openSync(big, "w");
        fs.ftruncateSync(fd, MAX_SOURCE_BYTES + 1); // sparse: no disk used
        fs.closeSync(fd);
        const src = await readSources([big], [".yaml"], noStdin);
        assert.deepEqual(src.errors, [`${big}: cannot read: larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MiB`]);
        if (fs.existsSync("/proc/self/status")) {
            assert.equal(fs.statSync("/proc/self/status").size, 0);
            const proc = await readSources(["/proc/self/status"], [".yaml"], noStdin);
            assert.deepEqual(proc.errors, []);
            assert.match(proc.texts[0].text, /^Name:/);
        }
    });

    it("stops reading stdin at the cap, whatever the stream would still give", async () => {
        let pulled = 0;
        const chunk = Buffer.alloc(64 * 1024, "a");
        const endless = new Readable({
            read() {
                pulled++;
                this.push(chunk);
            },
        });
        await assert.rejects(readStream(endless), /^Error: larger than 16 MiB$/);
        await new Promise((r) => setTimeout(r, 50));
        assert.ok(pulled * chunk.length <= MAX_SOURCE_BYTES + 4 * chunk.length, `pulled ${pulled} chunks`);
    });

    it("decodes UTF-16 with a byte-order mark (LE and BE) and UTF-8 with one; refuses UTF-32 and NUL bytes with a reason", () => {
        const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(POD, "utf16le")]);
        const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(POD, "utf16le").swap16()]);
        const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(POD)]);
        for (const b of [le, be, utf8]) {
            const read = readKubernetes([{ name: "p.yaml", text: decodeText(b) }]);
            assert.deepEqual(
                read.resources.map((r) => r.name),
                ["p"],
            );
        }
        assert.throws(() => decodeText(Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0])), /UTF-32 text is not supported/);
        assert.throws(() => decodeText(Buffer.from(POD, "utf16le")), /holds NUL bytes, so it is not UTF-8 text \(UTF-16 without a byte-order mark\?\)/);
    });
});
