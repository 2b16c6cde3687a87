/**
 * Linux audit rule files, read as text (they are never loaded into a kernel here).
 * Understands watch rules (`-w PATH [-p PERMS] [-k KEY]`) and syscall rules with a path or dir
 * field (`-a always,exit -F path=PATH [-F perm=PERMS] [-k KEY]`).
 */

export interface AuditWatch {
    readonly path: string;
    /** Permissions watched: subset of "rwxa"; all four when the rule names none. */
    readonly perms: string;
    readonly key?: string;
    readonly line: number;
}

export interface ParsedRules {
    readonly watches: readonly AuditWatch[];
    /** Lines that are not valid audit rules (1-based line numbers with the reason). */
    readonly errors: readonly { readonly line: number; readonly problem: string }[];
}

const CONTROL_FLAGS = new Set(["-D", "-b", "-f", "-e", "-r", "--backlog_wait_time", "--loginuid-immutable", "-i", "-c"]);

export function parseAuditRules(text: string): ParsedRules {
    const watches: AuditWatch[] = [];
    const errors: { line: number; problem: string }[] = [];
    text.split("\n").forEach((raw, idx) => {
        const line = idx + 1;
        const s = raw.replace(/#.*$/, "").trim();
        if (s === "") return;
        const ws = s.split(/\s+/);
        if (CONTROL_FLAGS.has(ws[0])) return;
        if (ws[0] === "-w" || ws[0] === "-W") {
            const path = ws[1];
            if (!path || path.startsWith("-")) return void errors.push({ line, problem: "-w needs a path" });
            if (ws[0] === "-W") return; // removes a watch
            let perms = "rwxa";
            let key: string | undefined;
            for (let i = 2; i < ws.length; i++) {
                if (ws[i] === "-p") perms = ws[++i] ?? "";
                else if (ws[i] === "-k") key = ws[++i];
                else return void errors.push({ line, problem: `unexpected ${JSON.stringify(ws[i].slice(0, 20))} in a watch rule` });
            }
            if (!/^[rwxa]+$/.test(perms)) return void errors.push({ line, problem: "-p takes a subset of rwxa" });
            watches.push({ path: normalize(path), perms, key, line });
            return;
        }
        if (ws[0] === "-a" || ws[0] === "-A") {
            const action = ws[1] ?? "";
            if (!/^(always|never),(exit|task|user|exclude|filesystem|io_uring)$|^(exit|task|user|exclude|filesystem|io_uring),(always|never)$/.test(action)) {
                return void errors.push({ line, problem: "-a needs action,list (e.g. always,exit)" });
            }
            if (action.includes("never")) return;
            let path: string | undefined;
            let perms = "rwxa";
            let key: string | undefined;
            for (let i = 2; i < ws.length; i++) {
                if (ws[i] === "-F") {
                    const m = /^(\w+)(=|!=)(.*)$/.exec(ws[++i] ?? "");
                    if (!m) return void errors.push({ line, problem: "-F needs field=value" });
                    if ((m[1] === "path" || m[1] === "dir") && m[2] === "=") path = m[3];
                    if (m[1] === "perm") perms = m[3];
                    if (m[1] === "key") key = m[3];
                } else if (ws[i] === "-k") key = ws[++i];
                else if (ws[i] === "-S" || ws[i] === "-C") i++;
                else return void errors.push({ line, problem: `unexpected ${JSON.stringify(ws[i].slice(0, 20))} in a syscall rule` });
            }
            if (path) watches.push({ path: normalize(path), perms, key, line });
            return;
        }
        errors.push({ line, problem: "not an audit rule (expected -w, -a or a control flag)" });
    });
    return { watches, errors };
}

function normalize(p: string): string {
    return p.length > 1 ? p.replace(/\/+$/, "") : p;
}

/** Audit rule files that auditd loads (augenrules reads rules.d; audit.rules is the compiled set). */
export function isAuditRulesPath(path: string): boolean {
    return path === "/etc/audit/audit.rules" || /^\/etc\/audit\/rules\.d\/[^/]+\.rules$/.test(path);
}
