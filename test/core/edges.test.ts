/**
 * Edge cases of the core that the per-control tests do not reach (found by mutation testing): value
 * cleaning limits and wire forms, path parsing, exemption matching, and the evaluator's failure paths.
 */
import assert from "assert/strict";
import memory from "stride-guard/lib/controls/docker/docker-container-memory-limit";
import { resourceControl, stackControl } from "stride-guard/lib/contract/control";
import { evaluateStack, remediateResource } from "stride-guard/lib/engine/evaluate";
import { parsePath, setPath } from "stride-guard/lib/kernel/paths";
import { COMMON_DEFAULTS, globMatch, isExempt } from "stride-guard/lib/engine/settings";
import { buildStackModel } from "stride-guard/lib/engine/stack-model";
import { at, Invalid, isUnknown, num, numish, show, strList, UNKNOWN } from "stride-guard/lib/kernel/values";
import { clean, unproxy } from "stride-guard/lib/kernel/clean";
import { redact } from "stride-guard/lib/kernel/redact";
import { defaultsOf, settingsFrom } from "stride-guard/lib/pack";
import { dockerContainer } from "../support/fixtures";
import { messages, secret } from "../support/run-control";

const SIG = "4dabf18193072939515e22adb298388d";
const OUTPUT = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const ASSET = "c44067f5952c0a294b673a41bacd8c17";

describe("core edge cases", () => {
    describe("clean", () => {
        it("cuts structures deeper than 64 levels, but not shallower ones", () => {
            const nest = (d: number): unknown => (d === 0 ? "leaf" : { a: nest(d - 1) });
            assert.equal(at(clean(nest(60)).value, Array(60).fill("a").join(".")), "leaf");
            let v = clean(nest(70)).value;
            for (let i = 0; i < 65; i++) v = (v as { a: unknown }).a;
            assert.ok(v instanceof Invalid);
            assert.equal((v as Invalid).got, "a structure nested too deeply");
        });

        it("reads an object referenced twice (not a cycle) both times", () => {
            const shared = { x: 1 };
            assert.deepEqual(JSON.parse(JSON.stringify(clean({ a: shared, b: [shared, shared] }).value)), { a: { x: 1 }, b: [{ x: 1 }, { x: 1 }] });
        });

        it("converts bigints to numbers and remembers them when secret", () => {
            const c = clean({ n: 5n, s: secret(7n) });
            assert.equal((c.value as { n: unknown }).n, 5);
            assert.deepEqual(c.secrets, ["7"]);
        });

        it("reads output values: known, unknown, and secret ones", () => {
            const c = clean({ known: { [SIG]: OUTPUT, value: "v" }, unknown: { [SIG]: OUTPUT }, hidden: { [SIG]: OUTPUT, value: "shh", secret: true } });
            const v = c.value as Record<string, unknown>;
            assert.equal(v.known, "v");
            assert.equal(v.unknown, UNKNOWN);
            assert.equal(v.hidden, "shh");
            assert.deepEqual(c.secrets, ["shh"]);
        });

        it("reads string assets (wire form and @pulumi/pulumi's StringAsset), secret or not", () => {
            class StringAsset {
                constructor(readonly text: string) {}
            }
            const c = clean({
                wire: { [SIG]: ASSET, text: "rules" },
                sdk: new StringAsset("more"),
                hidden: secret({ [SIG]: ASSET, text: "key" }),
                file: { [SIG]: ASSET, path: "/x" },
            });
            const v = c.value as Record<string, unknown>;
            assert.equal(v.wire, "rules");
            assert.equal(v.sdk, "more");
            assert.equal(v.hidden, "key");
            assert.ok(v.file instanceof Invalid);
            assert.deepEqual(c.secrets, ["key"]);
            assert.equal(
                clean({ a: { [SIG]: ASSET, text: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } }).value &&
                    (clean({ a: { [SIG]: ASSET, text: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } }).value as { a: unknown }).a,
                UNKNOWN,
            );
        });

        it("remembers a secret block's long values (12 characters or more) but not shorter ones", () => {
            assert.deepEqual(clean(secret({ a: "abcdefghijkl", b: "abcdefghijk" })).secrets, ["abcdefghijkl"]);
            assert.deepEqual(clean(secret("")).secrets, []);
        });

        it("unwraps nested proxies, and stops after four", () => {
            const proxy = (t: object): object =>
                new Proxy(t, {
                    get: (o, p) => (p === "__isSpecialProxy" ? true : p === "__getSpecialProxyTarget" ? o : (o as Record<string | symbol, unknown>)[p]),
                });
            const target = { x: 1 };
            assert.equal(unproxy(proxy(proxy(target))), target);
            const five = proxy(proxy(proxy(proxy(proxy(target)))));
            assert.notEqual(unproxy(five), target);
            const throwing = new Proxy(
                {},
                {
                    get: () => {
                        throw new Error("no");
                    },
                },
            );
            assert.equal(unproxy(throwing), throwing);
        });
    });

    describe("typed readers and rendering", () => {
        it("numish accepts padded numbers and rejects anything else", () => {
            assert.equal(numish(" 512 "), 512);
            assert.equal(numish("-1.5"), -1.5);
            assert.ok(numish("512abc") instanceof Invalid);
            assert.ok(numish("x512") instanceof Invalid);
            assert.ok(num(Infinity) instanceof Invalid);
            assert.ok(num("5") instanceof Invalid);
        });

        it("says what a malformed value is", () => {
            assert.equal((strList(["a", null]) as Invalid).got, "a list holding null");
            assert.equal(num(null as unknown) as unknown, undefined);
            assert.equal(show(UNKNOWN), "unknown");
            assert.equal(show(3), "3");
            assert.equal(show(new Invalid("x", "a number")), "a number");
            assert.equal(show({}), "an object");
            assert.ok(isUnknown(UNKNOWN) && !isUnknown("x"));
            assert.equal(at({ a: UNKNOWN }, "a.b"), UNKNOWN);
            assert.equal(at({ a: null }, "a.b"), undefined);
        });

        it("redacts where a secret fills a value position, longest first, never prose, names or paths around it", () => {
            const secrets = ["root", "ab", "ab/cd", "docker", "4711", ...Array.from({ length: 30 }, (_, i) => `token-${i}-value`)];
            // Quoted values, whole; the longest secret that fills the span wins.
            assert.equal(redact('is "root", "ab/cd" and "token-29-value"', secrets), 'is "[secret]", "[secret]" and "[secret]"');
            // Words of the message, names and paths that merely contain a secret stay.
            const prose = 'so the root filesystem; dockerd\'s default; Pod "root-pod"; quobyte-root-secret.yaml; "/root"; "root:latest"';
            assert.equal(redact(prose, secrets), prose);
            // A number standing alone is a value (show() renders numbers unquoted); inside ids and longer numbers it is not.
            assert.equal(redact("port 4711 of 14711, CIS 1.4711, 4711.5, v4711", secrets), "port [secret] of 14711, CIS 1.4711, 4711.5, v4711");
            // With names, either name of "ns/name" too, but never the parts of a longer path.
            assert.equal(redact('Pod "root/api" and "web/docker"', secrets, true), 'Pod "[secret]/api" and "web/[secret]"');
            assert.equal(redact('mounts "/var/root/x"', secrets, true), 'mounts "/var/root/x"');
            // A quote inside a name cannot shift the spans.
            assert.equal(redact('Pod "a"b/root" container "c"', secrets, true), 'Pod "a"b/[secret]" container "c"');
            assert.equal(redact("nothing here", secrets), "nothing here");
            assert.equal(redact('"x"', []), '"x"');
            assert.equal(redact('"root"', secrets, false, "[redacted]"), '"[redacted]"');
        });
    });

    describe("paths", () => {
        it("refuses every prototype key and malformed paths", () => {
            for (const p of ["constructor.x", "a.prototype", "__proto__"]) assert.equal(setPath({}, p, 1), undefined, p);
            assert.deepEqual(parsePath("a[x].b"), []);
            assert.deepEqual(parsePath("a]b"), []);
            assert.deepEqual(parsePath("list[12][3]"), ["list", 12, 3]);
            assert.equal(setPath({}, "", 1), undefined);
        });

        it("creates arrays for indexes and objects for keys, replacing scalars in the way", () => {
            assert.deepEqual(setPath({ a: "scalar" }, "a.b", 1), { a: { b: 1 } });
            const sparse = setPath({}, "a[1]", 1) as { a: unknown[] };
            assert.ok(Array.isArray(sparse.a) && sparse.a.length === 2 && sparse.a[1] === 1);
            assert.deepEqual(setPath({ a: { 0: "x" } }, "a[0]", 1), { a: [1] });
            assert.deepEqual(setPath({ a: [1] }, "a.b", 1), { a: { b: 1 } });
        });
    });

    describe("exemptions", () => {
        it("exempts when any name pattern matches, escaping regex characters", () => {
            const s = { ...COMMON_DEFAULTS, excludeNames: ["x*", "api"] };
            assert.ok(isExempt(s, ["api"], { labels: {} }));
            assert.ok(globMatch("a+b.c", "a+b.c"));
            assert.ok(!globMatch("a+b.c", "aab.c"));
            assert.ok(!globMatch("a+b.c", "a+bxc"));
        });

        it('"*" matches any value of a label that is present, and only then', () => {
            const s = { ...COMMON_DEFAULTS, excludeLabels: { team: "*" } };
            assert.ok(!isExempt(s, ["api"], { labels: {} }));
            assert.ok(isExempt(s, ["api"], { labels: { team: "x" } }));
        });
    });

    describe("evaluator failure paths", () => {
        const res = (props: object) => {
            const r = dockerContainer(props);
            return { type: r.type, name: r.name, urn: "urn:x", props: clean(r.props).value };
        };
        const settings = (o: object = {}) => settingsFrom(defaultsOf(memory), o) as never;

        it("does not remediate an exempt resource, an unknown field, or a fix the adapter refuses", () => {
            const bad = dockerContainer({ memory: undefined });
            assert.ok(remediateResource(memory, res({ memory: undefined }), bad.props, settings()));
            assert.equal(remediateResource(memory, res({ memory: undefined }), bad.props, settings({ excludeNames: ["web"] })), undefined);
            assert.equal(remediateResource(memory, res({ memory: "3eeb2bf0-c639-47a8-9e75-3b44932eb421" }), bad.props, settings()), undefined);
            const refusing = resourceControl({ ...memory, remediate: () => [{ field: "notAField", value: 1 }] });
            assert.equal(remediateResource(refusing, res({ memory: undefined }), bad.props, settings()), undefined);
            const throwing = resourceControl({
                ...memory,
                remediate: () => {
                    throw new Error("boom");
                },
            });
            assert.equal(remediateResource(throwing, res({ memory: undefined }), bad.props, settings()), undefined);
        });

        it("reports an adapter that throws as a problem of the resource, never an exception", () => {
            const weird = {
                type: "docker:index/container:Container",
                name: "x",
                props: new Proxy(
                    {},
                    {
                        ownKeys: () => {
                            throw new Error("no");
                        },
                        get: () => {
                            throw new Error("no");
                        },
                    },
                ),
            };
            assert.doesNotThrow(() => messages(memory, weird));
        });

        it("turns a throwing stack control into a violation, and routes its unknowns by setting", () => {
            const model = buildStackModel([]);
            const base = { ...memory, config: {}, scope: "stack" as const };
            const throwing = stackControl<Record<string, never>>({
                ...base,
                check: () => {
                    throw new TypeError("x");
                },
            } as never);
            const out = evaluateStack(throwing, model, { ...COMMON_DEFAULTS } as never);
            assert.match(out.violations[0].message, /could not be checked \(TypeError\)/);
            const unknown = stackControl<Record<string, never>>({
                ...base,
                check: () => [{ urn: "u", subject: "s", field: "f", message: "m", unknown: true }],
            } as never);
            assert.deepEqual(evaluateStack(unknown, model, { ...COMMON_DEFAULTS } as never).unknownPaths, ["f"]);
            assert.deepEqual(evaluateStack(unknown, model, { ...COMMON_DEFAULTS, unknownValues: "pass" } as never), {
                violations: [],
                unknownPaths: [],
                unknownUrns: [],
            });
            const failed = evaluateStack(unknown, model, { ...COMMON_DEFAULTS, unknownValues: "fail" } as never);
            assert.equal(failed.violations[0].unknown, true);
        });
    });
});
