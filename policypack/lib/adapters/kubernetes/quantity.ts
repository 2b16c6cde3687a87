import { Invalid, UNKNOWN, V } from "../../kernel/values";

const SUFFIX: Readonly<Record<string, number>> = {
    "": 1,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
    m: 1e-3,
};

/** Parses a Kubernetes resource quantity ("512Mi", "1.5G", "250m", 1024) into a number of base units. */
export function quantity(v: unknown): V<number> {
    if (v === undefined || v === null) return undefined;
    if (v === UNKNOWN || v instanceof Invalid) return v;
    if (typeof v === "number") return Number.isFinite(v) ? v : new Invalid("a quantity", "a non-finite number");
    if (typeof v !== "string") return new Invalid('a quantity such as "512Mi"', typeof v);
    const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+))(?:[eE]([+-]?\d+))?\s*([kMGTPE]i?|m)?\s*$/.exec(v);
    if (!m) return new Invalid('a quantity such as "512Mi"', "a malformed string");
    const factor = SUFFIX[m[3] ?? ""];
    const exp = m[2] ? 10 ** Number(m[2]) : 1;
    return Number(m[1]) * exp * factor;
}
