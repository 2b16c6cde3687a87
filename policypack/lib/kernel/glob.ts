const patternCache = new Map<string, RegExp>();

/** `*`-wildcard match, anchored, case-sensitive. */
export function globMatch(pattern: string, name: string): boolean {
    let re = patternCache.get(pattern);
    if (re === undefined) {
        re = new RegExp(
            `^${pattern
                .split("*")
                .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
                .join(".*")}$`,
        );
        patternCache.set(pattern, re);
    }
    return re.test(name);
}
