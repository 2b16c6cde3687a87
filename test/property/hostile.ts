/**
 * Arbitrary and hostile inputs for property tests: valid fixtures from every area, mutated at a
 * random path with nulls, wrong types, huge or deeply nested values, unknown sentinels, secret
 * wrappers, unicode and prototype-polluting keys.
 */
import fc from "fast-check";
import { Res, secret } from "../support/run-control";
import { dockerContainer, podSpec, POD_BEARING_KINDS, workload } from "../support/fixtures";
import { hardenedService } from "../support/docker-fixtures";
import { dockerNetwork, dockerProvider, hardenedHost, registryImage, remoteImage } from "../support/docker-platform-fixtures";
import { controlPlaneNode } from "../support/control-plane-fixtures";
import {
    hardenedNamespace,
    ingress,
    provider as k8sProvider,
    clusterRole,
    clusterRoleBinding,
    secretRes,
    service,
} from "../support/kubernetes-cluster-fixtures";

/** Every kind of resource the controls read, in a valid, hardened form. */
export function seeds(): Res[] {
    return [
        dockerContainer(),
        hardenedService(),
        dockerProvider(),
        dockerNetwork(),
        remoteImage(),
        registryImage(),
        ...hardenedHost(),
        ...POD_BEARING_KINDS.map((k) => workload(k, podSpec())),
        ...controlPlaneNode(),
        ...hardenedNamespace(),
        clusterRole("reader", [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }]),
        clusterRoleBinding("readers", "reader", [{ kind: "Group", name: "devs" }]),
        service("web", "shop", { type: "ClusterIP" }),
        ingress("web", "shop", { tls: [{ hosts: ["a.example.com"] }], rules: [{ host: "a.example.com" }] }),
        secretRes("db", "shop", { stringData: secret({ password: "x" }) }),
        k8sProvider({ kubeconfig: "apiVersion: v1\nkind: Config\n" }),
    ];
}

const SENTINELS = [
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
];

const KEYS = [
    "__proto__",
    "constructor",
    "prototype",
    "spec",
    "template",
    "containers",
    "securityContext",
    "privileged",
    "memory",
    "value",
    "__isSpecialProxy",
    "__getSpecialProxyTarget",
];
/** Pulumi's signature key: an object carrying it with a made-up signature is not something the engine sends (@pulumi/policy rejects it before any policy runs), but in-process callers can. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";

const WORDS = [
    "",
    "ALL",
    "host",
    "root",
    "0",
    "-1",
    "true",
    "/",
    "/var/run/docker.sock",
    "tcp://0.0.0.0:2375",
    "on-failure:5",
    "512Mi",
    "--anonymous-auth=true",
    "\u0000",
    "é🙂\u202e",
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
];

/** JSON-safe hostile values (what can cross the Analyzer protocol; `wire` leaves out forged signatures). */
export function hostileJson(wire = false): fc.Arbitrary<unknown> {
    const keys = wire ? KEYS : [...KEYS, SIG_KEY];
    const leaf = fc.oneof(
        fc.constant(null),
        fc.boolean(),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.string({ unit: "grapheme", maxLength: 20 }),
        fc.constantFrom(...WORDS),
        fc.constantFrom(...SENTINELS),
    );
    const { value } = fc.letrec<{ value: unknown }>((tie) => ({
        value: fc.oneof(
            { depthSize: "small", withCrossShrink: true },
            leaf,
            fc.array(tie("value"), { maxLength: 4 }),
            fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 8 })), tie("value"), { maxKeys: 4 }),
            tie("value").map((v) => secret(v)),
        ),
    }));
    return fc.oneof(
        { weight: 8, arbitrary: value },
        // huge and deeply nested shapes
        {
            weight: 1,
            arbitrary: fc
                .integer({ min: 1000, max: 5000 })
                .map((n) => Array.from({ length: n }, (_, i) => ({ name: `c${i}`, securityContext: { privileged: i % 2 === 0 } }))),
        },
        // protobuf (and so the engine) stops at 100 levels; in-process callers can go deeper
        {
            weight: 1,
            arbitrary: fc.integer({ min: 60, max: wire ? 90 : 400 }).map((d) => {
                let v: unknown = "x";
                for (let i = 0; i < d; i++) v = { spec: v };
                return v;
            }),
        },
    );
}

/** Hostile values that only exist in-process (the CLI and library path): NaN, Infinity, bigint, undefined, functions, symbols. */
export function hostileInProcess(): fc.Arbitrary<unknown> {
    return fc.oneof(
        { weight: 6, arbitrary: hostileJson() },
        { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, undefined, 10n ** 30n, () => 1, Symbol("s")) },
    );
}

function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = [], depth = 0): (string | number)[][] {
    out.push(prefix);
    if (depth > 12 || v === null || typeof v !== "object") return out;
    if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out, depth + 1));
    else for (const k of Object.keys(v)) paths((v as Record<string, unknown>)[k], [...prefix, k], out, depth + 1);
    return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
    if (path.length === 0) return value;
    const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<string | number, unknown>;
    Object.defineProperty(copy, path[0], { value: setAt(copy[path[0]], path.slice(1), value), enumerable: true, configurable: true, writable: true });
    return copy;
}

/** A seed resource with one value replaced by a hostile one, at a random depth. */
export function mutated(hostile: fc.Arbitrary<unknown>): fc.Arbitrary<Res> {
    const all = seeds();
    return fc
        .record({ seed: fc.integer({ min: 0, max: all.length - 1 }), pick: fc.nat(), value: hostile, plantSecret: fc.boolean() })
        .map(({ seed, pick, value, plantSecret }) => {
            const r = all[seed];
            const ps = paths(r.props);
            const path = ps[pick % ps.length];
            const v = plantSecret ? secret(PLANTED) : value;
            return { ...r, props: setAt(r.props, path, v) };
        });
}

/** A secret value planted by the properties; it must never reach a message. */
export const PLANTED = "pl4nted-s3cret-9d0e";
